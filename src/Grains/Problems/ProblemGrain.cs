using Microsoft.Extensions.DependencyInjection;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Notifications;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace KeyProjects.Grains.Problems;

public sealed class ProblemGrain(
    [PersistentState("problem")] IPersistentState<ProblemState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    IOptions<DeadlineWatchOptions> watch,
    ILogger<ProblemGrain> logger) : Grain, IProblemGrain, IRemindable
{
    private ProblemState S => state.State;

    /// <summary>When the deadline reminder last looked at the clock in this activation (shown, not stored).</summary>
    private DateTimeOffset? _deadlinesCheckedAt;

    public Task<ProblemView?> Get() => Task.FromResult(S.Raised ? View() : null);

    public async Task<ProblemCommandResult> Raise(RaiseProblem cmd)
    {
        if (await Replay(cmd.CommandId, "raise", cmd.Actor) is { } replay)
        {
            // The same key sent with a different problem is a client error, not a retry.
            var sameProblem = S.ProjectCode == cmd.ProjectCode && S.Title == cmd.Title.Trim();
            return sameProblem || !replay.Outcome.Succeeded
                ? replay
                : Rejected(CommandOutcome.Conflict("command.key_reused", "This idempotency key was already used to raise a different problem."));
        }
        if (S.Raised)
            return Rejected(CommandOutcome.Conflict("problem.already_raised", "This problem has already been raised."));
        if (cmd.Actor.Role is Role.BigScreen or Role.Admin)
            return Rejected(CommandOutcome.Forbidden("problem.raise_forbidden", "This role cannot raise problems."));
        if (Validate(cmd) is { } invalid) return Rejected(invalid);

        var project = await GrainFactory.GetGrain<IProjectGrain>(cmd.ProjectCode).GetProfile();
        if (project is null)
            return Rejected(CommandOutcome.NotFound("project.not_found", $"Project '{cmd.ProjectCode}' does not exist."));

        S.ProjectCode = cmd.ProjectCode;
        S.ProjectName = project.Name;
        S.ResponsibleLeaderId = project.ResponsibleLeaderId;
        S.Title = cmd.Title.Trim();
        S.Description = cmd.Description.Trim();
        S.Category = cmd.Category;
        S.Severity = cmd.Severity;
        S.RaisedBy = cmd.Actor;
        S.RaisedAt = clock.GetUtcNow();
        S.Status = ProblemStatus.Unrouted;

        if (string.IsNullOrWhiteSpace(cmd.LeadDepartmentId))
        {
            if (cmd.AssistingDepartmentIds.Count > 0 || cmd.ClaimDeadline is not null || cmd.ResolutionDeadline is not null)
                return Rejected(CommandOutcome.Invalid("leadDepartmentId", "field.required", "Assisting departments and deadlines need a lead department."));
            S.Raised = true;
            return await Commit(new Transition(ProblemActions.Raised, null, null) { Command = (cmd.CommandId, "raise") }, cmd.Actor);
        }

        var route = new RouteProblem(cmd.LeadDepartmentId, cmd.AssistingDepartmentIds, cmd.ClaimDeadline, cmd.ResolutionDeadline);
        if (await Dispatch(route) is { } refused)
        {
            state.State = new ProblemState(); // nothing of a refused raise stays in memory
            return Rejected(refused);
        }
        S.Raised = true;
        return await Commit(new Transition(ProblemActions.Raised, null, null) { Command = (cmd.CommandId, "raise") }, cmd.Actor);
    }

    public async Task<ProblemCommandResult> Route(string commandId, Actor actor, RouteProblem route)
    {
        if (await Replay(commandId, "route", actor) is { } replay) return replay;
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (actor.Role != Role.Office)
            return Rejected(CommandOutcome.Forbidden("problem.route_forbidden", "Only the command office routes problems."));
        if (S.Status == ProblemStatus.AwaitingRuling)
            return Rejected(CommandOutcome.Conflict("problem.awaiting_ruling", "Returned twice: the office rules on its owner instead of routing it."));
        if (S.Status is ProblemStatus.ResolutionSubmitted or ProblemStatus.Closed)
            return Rejected(CommandOutcome.Conflict("problem.not_routable", $"The problem is {S.Status} and cannot be routed."));

        var from = S.Status;
        var previousLead = S.LeadDepartmentId;
        var snapshot = Snapshot();
        if (await Dispatch(route) is { } refused)
        {
            Restore(snapshot);
            return Rejected(refused);
        }
        var formerLead = previousLead.Length > 0 && previousLead != S.LeadDepartmentId ? previousLead : null;
        if (formerLead is not null && !S.FormerLeadDepartmentIds.Contains(formerLead)) S.FormerLeadDepartmentIds.Add(formerLead);
        return await Commit(new Transition(ProblemActions.Routed, from, null) { Command = (commandId, "route"), FormerLead = formerLead }, actor);
    }

    public async Task<ProblemCommandResult> Claim(string commandId, Actor actor)
    {
        if (await Replay(commandId, "claim", actor) is { } replay) return replay;
        if (Check(actor, mustBeLead: true) is { } rejected) return Rejected(rejected);
        if (S.Status != ProblemStatus.Routed)
            return Rejected(CommandOutcome.Conflict("problem.not_claimable", $"The problem is {S.Status} and cannot be claimed."));

        var now = clock.GetUtcNow();
        S.Status = ProblemStatus.InProgress;
        S.ClaimedBy = actor;
        S.ClaimedAt = now;
        var fact = new DepartmentFact(DepartmentFactKind.Claimed, now - (S.DispatchedAt ?? S.RaisedAt), S.ClaimDeadline is null || now <= S.ClaimDeadline);
        return await Commit(new Transition(ProblemActions.Claimed, ProblemStatus.Routed, null) { Command = (commandId, "claim"), LeadFact = fact }, actor);
    }

    public async Task<ProblemCommandResult> Return(string commandId, Actor actor, ReturnReason reason, string text)
    {
        if (await Replay(commandId, "return", actor) is { } replay) return replay;
        if (!Enum.IsDefined(reason))
            return Rejected(CommandOutcome.Invalid("reason", "field.unknown_value", "The reason is Territory, Ownership or Function."));
        if (CommandOutcome.RequiredText("text", text, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: true) is { } rejected) return Rejected(rejected);
        if (S.Status is not (ProblemStatus.Routed or ProblemStatus.InProgress))
            return Rejected(CommandOutcome.Conflict("problem.not_returnable", $"The problem is {S.Status} and cannot be returned."));
        if (S.RuledOwnerDepartmentId == S.LeadDepartmentId)
            return Rejected(CommandOutcome.Conflict("problem.ruled_owner", "The office ruled that this department owns the problem; it cannot be returned."));

        var from = S.Status;
        var returning = S.LeadDepartmentId;
        S.Returns.Add(new ProblemReturn(returning, reason, text.Trim(), actor, clock.GetUtcNow()));
        if (!S.FormerLeadDepartmentIds.Contains(returning)) S.FormerLeadDepartmentIds.Add(returning);
        S.LeadDepartmentId = "";
        S.AssistingDepartmentIds = [];
        S.Status = S.Returns.Count >= 2 ? ProblemStatus.AwaitingRuling : ProblemStatus.Unrouted;
        ClearDispatch();
        var action = S.Status == ProblemStatus.AwaitingRuling ? ProblemActions.RulingRequested : ProblemActions.Returned;
        return await Commit(new Transition(action, from, $"{reason}: {text.Trim()}")
        {
            Command = (commandId, "return"),
            FormerLead = returning,
            FormerFact = new DepartmentFact(DepartmentFactKind.Returned, TimeSpan.Zero, true),
        }, actor);
    }

    public async Task<ProblemCommandResult> Rule(string commandId, Actor actor, string ownerDepartmentId, string text)
    {
        if (await Replay(commandId, "rule", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("ownerDepartmentId", ownerDepartmentId, 64) is { } noOwner) return Rejected(noOwner);
        if (CommandOutcome.RequiredText("text", text, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (actor.Role != Role.Office)
            return Rejected(CommandOutcome.Forbidden("problem.ruling_forbidden", "Only the command office rules on a returned problem."));
        if (S.Status != ProblemStatus.AwaitingRuling)
            return Rejected(CommandOutcome.Conflict("problem.not_awaiting_ruling", $"The problem is {S.Status}; there is no return to rule on."));

        var snapshot = Snapshot();
        if (await Dispatch(new RouteProblem(ownerDepartmentId, [], null, null), field: "ownerDepartmentId") is { } refused)
        {
            Restore(snapshot);
            return Rejected(refused);
        }
        S.RuledOwnerDepartmentId = ownerDepartmentId;
        return await Commit(new Transition(ProblemActions.Ruled, ProblemStatus.AwaitingRuling, text.Trim()) { Command = (commandId, "rule") }, actor);
    }

    public async Task<ProblemCommandResult> PostInput(string commandId, Actor actor, string text)
    {
        if (await Replay(commandId, "input", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("text", text, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        var involved = S.LeadDepartmentId.Length > 0 && actor.IsMemberOf(S.LeadDepartmentId)
            || S.AssistingDepartmentIds.Exists(actor.IsMemberOf);
        if (!involved)
            return Rejected(CommandOutcome.Forbidden("problem.not_involved", "Only the lead and assisting departments post input."));
        if (S.Status == ProblemStatus.Closed)
            return Rejected(CommandOutcome.Conflict("problem.closed", "The problem is closed."));
        return await Commit(new Transition(ProblemActions.InputPosted, null, text.Trim()) { Command = (commandId, "input") }, actor);
    }

    public async Task<ProblemCommandResult> RequestPause(string commandId, Actor actor, string reason)
    {
        if (await Replay(commandId, "pause-request", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("reason", reason, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: true) is { } rejected) return Rejected(rejected);
        if (S.Status is not (ProblemStatus.Routed or ProblemStatus.InProgress))
            return Rejected(CommandOutcome.Conflict("problem.no_running_deadline", $"The problem is {S.Status}; no deadline runs."));
        if (S.PauseRequest is not null)
            return Rejected(CommandOutcome.Conflict("problem.pause_exists", "A pause is already requested or in force."));
        S.PauseRequest = new PauseRecord(actor, reason.Trim(), clock.GetUtcNow(), false, null, null);
        return await Commit(new Transition(ProblemActions.PauseRequested, null, reason.Trim()) { Command = (commandId, "pause-request") }, actor);
    }

    public async Task<ProblemCommandResult> DecidePause(string commandId, Actor actor, bool approve, string? note)
    {
        if (await Replay(commandId, "pause-decision", actor) is { } replay) return replay;
        if (note is { Length: > ProblemRules.TextMaxLength })
            return Rejected(CommandOutcome.Invalid("note", "text.too_long", $"At most {ProblemRules.TextMaxLength} characters."));
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (actor.Role != Role.Office)
            return Rejected(CommandOutcome.Forbidden("problem.pause_forbidden", "Only the command office decides on pauses."));
        if (S.PauseState != PauseState.Requested)
            return Rejected(CommandOutcome.Conflict("problem.no_pause_request", "There is no pause request to decide."));
        S.PauseRequest = approve ? S.PauseRequest! with { Approved = true, DecidedBy = actor, DecidedAt = clock.GetUtcNow() } : null;
        var action = approve ? ProblemActions.PauseApproved : ProblemActions.PauseRejected;
        return await Commit(new Transition(action, null, string.IsNullOrWhiteSpace(note) ? null : note.Trim()) { Command = (commandId, "pause-decision") }, actor);
    }

    public async Task<ProblemCommandResult> Resume(string commandId, Actor actor)
    {
        if (await Replay(commandId, "resume", actor) is { } replay) return replay;
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (!(actor.Role == Role.Office || actor.IsMemberOf(S.LeadDepartmentId)))
            return Rejected(CommandOutcome.Forbidden("problem.resume_forbidden", "Only the lead department or the office resumes the clock."));
        if (S.PauseState != PauseState.Paused)
            return Rejected(CommandOutcome.Conflict("problem.not_paused", "The deadlines are not paused."));

        var calendar = new WorkingCalendar(await Settings().GetCalendar());
        var now = clock.GetUtcNow();
        var paused = calendar.WorkingDaysBetween(WorkingCalendar.LocalDate(S.PauseRequest!.DecidedAt ?? now), WorkingCalendar.LocalDate(now));
        S.PausedWorkingDays += paused;
        if (S.Status == ProblemStatus.Routed && S.ClaimDeadline is { } claim) S.ClaimDeadline = calendar.Extend(claim, paused);
        if (S.ResolutionDeadline is { } resolution) S.ResolutionDeadline = calendar.Extend(resolution, paused);
        S.PauseRequest = null;
        // Warnings given before the pause are judged again against the moved deadlines.
        S.ClaimWarnedAt = null;
        S.ResolutionWarnedAt = null;
        return await Commit(new Transition(ProblemActions.Resumed, null, $"+{paused}") { Command = (commandId, "resume") }, actor);
    }

    public async Task<ProblemCommandResult> SubmitResolution(string commandId, Actor actor, string resolution)
    {
        if (await Replay(commandId, "resolve", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("resolution", resolution, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: true) is { } rejected) return Rejected(rejected);
        if (S.Status != ProblemStatus.InProgress)
            return Rejected(CommandOutcome.Conflict("problem.not_in_progress", $"The problem is {S.Status}; only a claimed problem can be resolved."));

        S.Status = ProblemStatus.ResolutionSubmitted;
        S.Resolution = resolution.Trim();
        S.ResolutionSubmittedAt = clock.GetUtcNow();
        S.PauseRequest = null;
        return await Commit(new Transition(ProblemActions.ResolutionSubmitted, ProblemStatus.InProgress, S.Resolution) { Command = (commandId, "resolve") }, actor);
    }

    public async Task<ProblemCommandResult> Close(string commandId, Actor actor, string? note)
    {
        if (await Replay(commandId, "close", actor) is { } replay) return replay;
        if (note is { Length: > ProblemRules.TextMaxLength })
            return Rejected(CommandOutcome.Invalid("note", "text.too_long", $"At most {ProblemRules.TextMaxLength} characters."));
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (!MayVerify(actor))
            return Rejected(CommandOutcome.Forbidden("problem.verify_forbidden", "Only the raiser or the command office verifies a resolution."));
        if (S.Status != ProblemStatus.ResolutionSubmitted)
            return Rejected(CommandOutcome.Conflict("problem.not_awaiting_verification", $"The problem is {S.Status}; there is no resolution to verify."));

        S.Status = ProblemStatus.Closed;
        S.ClosedAt = clock.GetUtcNow();
        var onTime = S.ResolutionDeadline is null || S.ResolutionSubmittedAt <= S.ResolutionDeadline;
        var fact = new DepartmentFact(DepartmentFactKind.Closed, S.ClosedAt.Value - (S.DispatchedAt ?? S.RaisedAt), onTime);
        return await Commit(new Transition(ProblemActions.Closed, ProblemStatus.ResolutionSubmitted, string.IsNullOrWhiteSpace(note) ? null : note.Trim())
        {
            Command = (commandId, "close"),
            LeadFact = fact,
        }, actor);
    }

    public async Task<ProblemCommandResult> SendBack(string commandId, Actor actor, string reason)
    {
        if (await Replay(commandId, "send-back", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("reason", reason, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (!MayVerify(actor))
            return Rejected(CommandOutcome.Forbidden("problem.verify_forbidden", "Only the raiser or the command office can send a resolution back."));
        if (S.Status != ProblemStatus.ResolutionSubmitted)
            return Rejected(CommandOutcome.Conflict("problem.not_awaiting_verification", $"The problem is {S.Status}; there is no resolution to send back."));

        S.Status = ProblemStatus.InProgress;
        S.SendBackCount++;
        S.Resolution = null;
        S.ResolutionSubmittedAt = null;
        return await Commit(new Transition(ProblemActions.SentBack, ProblemStatus.ResolutionSubmitted, reason.Trim()) { Command = (commandId, "send-back") }, actor);
    }

    public async Task<ProblemCommandResult> Annotate(string commandId, Actor actor, string text)
    {
        if (await Replay(commandId, "annotate", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("text", text, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (actor.Role != Role.Leadership)
            return Rejected(CommandOutcome.Forbidden("problem.instruction_forbidden", "Only a leader gives instructions."));
        return await Commit(new Transition(ProblemActions.Instructed, null, text.Trim()) { Command = (commandId, "annotate") }, actor);
    }

    // ---- Deadlines -------------------------------------------------------------------------------------------

    /// <summary>
    /// The deadline reminder is due at the problem's next instant (a warning, a breach, an escalation), or after the
    /// longest wait if that comes first; it looks at the clock, gives what is due, and is set again for the next one.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ProblemRules.DeadlineReminder) return;
        await ReviewDeadlines();
    }

    public async Task ReviewDeadlines()
    {
        await HandOn(); // whatever an earlier check left in the outbox first
        var rules = await ReadRules();
        await ReviewDeadlines(rules);
        S.NextDeadlineLook = NextDeadlineLook(rules);
        await KeepDeadlineWatch(force: true);
    }

    /// <summary>Gives every warning, breach and escalation that is due by the clock now, each as its own transition.</summary>
    private async Task ReviewDeadlines(Rules rules)
    {
        _deadlinesCheckedAt = clock.GetUtcNow();
        if (!S.Raised || S.Status is not (ProblemStatus.Routed or ProblemStatus.InProgress) || S.PauseState == PauseState.Paused) return;
        var (settings, calendar) = rules;
        var now = clock.GetUtcNow();

        if (S.Status == ProblemStatus.Routed && S.ClaimDeadline is { } claim)
        {
            if (now >= claim && S.ClaimBreachedAt is null) await Breach("claim", claim, now, b => S.ClaimBreachedAt = b, rules);
            else if (S.ClaimBreachedAt is null && S.ClaimWarnedAt is null && now >= calendar.WarningBefore(claim, settings.PreBreachWorkingDays))
                await Warn("claim", now, w => S.ClaimWarnedAt = w, rules);
        }
        if (S.ResolutionDeadline is { } resolution)
        {
            if (now >= resolution && S.ResolutionBreachedAt is null) await Breach("resolution", resolution, now, b => S.ResolutionBreachedAt = b, rules);
            else if (S.ResolutionBreachedAt is null && S.ResolutionWarnedAt is null && now >= calendar.WarningBefore(resolution, settings.PreBreachWorkingDays))
                await Warn("resolution", now, w => S.ResolutionWarnedAt = w, rules);
        }
        if (UnescalatedBreach() is { } missed) await EscalateToLeader(missed, rules);
        if (S.EscalationLevel == 1 && S.EscalationDeadline is { } breached
            && now >= calendar.After(breached, settings.EscalateToGroupAfterWorkingDays))
        {
            S.EscalationLevel = 2;
            S.OnMeetingAgenda = true;
            await Commit(new Transition(ProblemActions.EscalatedToGroup, null, null)
            {
                Notify = [Mailboxes.Leadership, Mailboxes.Office],
            }, Actor.System, rules);
        }
    }

    private async Task Warn(string which, DateTimeOffset now, Action<DateTimeOffset> mark, Rules rules)
    {
        mark(now);
        await Commit(new Transition(ProblemActions.DeadlineWarning, null, which) { Notify = [Mailboxes.ForDepartment(S.LeadDepartmentId)] }, Actor.System, rules);
    }

    private async Task Breach(string which, DateTimeOffset deadline, DateTimeOffset now, Action<DateTimeOffset> mark, Rules rules)
    {
        mark(now);
        await Commit(new Transition(ProblemActions.DeadlineBreached, null, which)
        {
            Notify = [Mailboxes.ForDepartment(S.LeadDepartmentId), Mailboxes.Office],
        }, Actor.System, rules);
        if (S.EscalationLevel == 0) await EscalateToLeader(deadline, rules);
    }

    /// <summary>包联领导: the project's responsible leader is the first level of escalation of a breach.</summary>
    private async Task EscalateToLeader(DateTimeOffset breachedDeadline, Rules rules)
    {
        S.EscalationLevel = 1;
        S.EscalationDeadline = breachedDeadline;
        await Commit(new Transition(ProblemActions.EscalatedToLeader, null, S.ResponsibleLeaderId)
        {
            Notify = [await ResponsibleLeaderMailbox()],
        }, Actor.System, rules);
    }

    /// <summary>A breach written without its escalation (the process stopped between the two writes).</summary>
    private DateTimeOffset? UnescalatedBreach() => S.EscalationLevel != 0 ? null
        : S.ClaimBreachedAt is not null ? S.ClaimDeadline
        : S.ResolutionBreachedAt is not null ? S.ResolutionDeadline
        : null;

    private async Task<string> ResponsibleLeaderMailbox()
    {
        var members = await GrainFactory.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City).GetMembers();
        var leader = members.FirstOrDefault(m => m.Leader.Id == S.ResponsibleLeaderId)?.Leader;
        return leader?.UserName is { Length: > 0 } userName ? Mailboxes.ForUser(userName) : Mailboxes.Leadership;
    }

    /// <summary>Gives the problem to a lead department and starts the clock: deadlines from the settings unless given.</summary>
    private async Task<CommandOutcome?> Dispatch(RouteProblem route, string field = "leadDepartmentId")
    {
        var assisting = (route.AssistingDepartmentIds ?? []).Where(d => !string.IsNullOrWhiteSpace(d)).Distinct().ToList();
        if (string.IsNullOrWhiteSpace(route.LeadDepartmentId))
            return CommandOutcome.Invalid(field, "field.required", "The lead department is required.");
        if (assisting.Count > ProblemRules.MaxAssistingDepartments)
            return CommandOutcome.Invalid("assistingDepartmentIds", "field.too_many", $"At most {ProblemRules.MaxAssistingDepartments} assisting departments.");
        if (assisting.Contains(route.LeadDepartmentId))
            return CommandOutcome.Invalid("assistingDepartmentIds", "problem.lead_also_assisting", "The lead department cannot also be an assisting department.");
        if (await DepartmentRules.TakesWork(GrainFactory, route.LeadDepartmentId, field) is { } badLead) return badLead;
        foreach (var id in assisting)
        {
            if (await DepartmentRules.TakesWork(GrainFactory, id, "assistingDepartmentIds") is { } badAssisting) return badAssisting;
        }

        var now = clock.GetUtcNow();
        var settings = await Settings().GetProblemSettings();
        var calendar = new WorkingCalendar(await Settings().GetCalendar());
        var rule = settings.DeadlineFor(S.Category, S.Severity);
        var claimDeadline = route.ClaimDeadline ?? calendar.Deadline(now, rule.ClaimWorkingDays);
        var resolutionDeadline = route.ResolutionDeadline ?? calendar.Deadline(now, rule.ResolutionWorkingDays);
        if (claimDeadline <= now)
            return CommandOutcome.Invalid("claimDeadline", "problem.deadline_past", "The claim deadline must be in the future.");
        if (resolutionDeadline < claimDeadline)
            return CommandOutcome.Invalid("resolutionDeadline", "problem.deadline_order", "The resolution deadline cannot be before the claim deadline.");

        ClearDispatch();
        S.LeadDepartmentId = route.LeadDepartmentId;
        S.AssistingDepartmentIds = assisting;
        S.FormerLeadDepartmentIds.Remove(route.LeadDepartmentId);
        S.DispatchedAt = now;
        S.ClaimDeadline = claimDeadline;
        S.ResolutionDeadline = resolutionDeadline;
        S.Status = ProblemStatus.Routed;
        return null;
    }

    private void ClearDispatch()
    {
        S.ClaimedBy = null;
        S.ClaimedAt = null;
        S.DispatchedAt = null;
        S.ClaimDeadline = null;
        S.ResolutionDeadline = null;
        S.PauseRequest = null;
        S.ClaimWarnedAt = S.ClaimBreachedAt = S.ResolutionWarnedAt = S.ResolutionBreachedAt = null;
    }

    // ---- Shared plumbing -------------------------------------------------------------------------------------

    private ISettingsGrain Settings() => GrainFactory.GetGrain<ISettingsGrain>(ISettingsGrain.City);

    private CommandOutcome? Check(Actor actor, bool mustBeLead)
    {
        if (!S.Raised)
            return CommandOutcome.NotFound("problem.not_found", "No such problem.");
        if (mustBeLead && (S.LeadDepartmentId.Length == 0 || !actor.IsMemberOf(S.LeadDepartmentId)))
            return CommandOutcome.Forbidden("problem.not_lead_department", "Only a user of the lead department may do this.");
        return null;
    }

    private bool MayVerify(Actor actor) =>
        actor.Role == Role.Office || string.Equals(actor.UserName, S.RaisedBy?.UserName, StringComparison.Ordinal);

    /// <summary>A command already applied returns its first outcome (with the problem as it is now).</summary>
    /// <remarks>A retry finishes what its first attempt may have left undone: it hands on the events not yet in the log.</remarks>
    private async Task<ProblemCommandResult?> Replay(string commandId, string kind, Actor actor)
    {
        switch (CommandLog.Check(S.RecentCommands, commandId, kind, actor))
        {
            case null:
                return null;
            case { Succeeded: true }:
                await KeepDeadlineWatch();
                await HandOn();
                return new ProblemCommandResult(CommandOutcome.Ok, View());
            case var refused:
                return Rejected(refused);
        }
    }

    /// <summary>One transition: what happened, the command it answers, what departments' figures learn, who is told.</summary>
    private sealed record Transition(string Action, ProblemStatus? From, string? Note)
    {
        public (string Id, string Kind)? Command { get; init; }
        public DepartmentFact? LeadFact { get; init; }
        public string? FormerLead { get; init; }
        public DepartmentFact? FormerFact { get; init; }
        public IReadOnlyList<string>? Notify { get; init; }
    }

    private async Task<ProblemCommandResult> Commit(Transition t, Actor actor, Rules? known = null)
    {
        var now = clock.GetUtcNow();
        var rules = known ?? await ReadRules();
        S.Light = ProblemLights.Read(S, rules.Settings);
        S.NextDeadlineLook = NextDeadlineLook(rules);
        S.History.Add(new ProblemHistoryEntry(S.History.Count + 1, now, actor, t.Action, t.From, S.Status, t.Note));
        if (t.Command is { } command) CommandLog.Remember(S.RecentCommands, command.Id, command.Kind, actor, now);
        S.Outbox.Add(Event(t, actor, now));

        // Durable before acknowledged: the transition, its history entry and its event are one write; then the event
        // is handed to the log, which keeps the project, the departments, the lists and the screens in step.
        await GrainState.Persist(this, state);
        await KeepDeadlineWatch();
        await HandOn();
        return new ProblemCommandResult(CommandOutcome.Ok, View());
    }

    /// <summary>The event of one transition, with everything those who follow the log need.</summary>
    private DomainEvent Event(Transition t, Actor actor, DateTimeOffset now)
    {
        var id = this.GetPrimaryKey();
        var sequence = S.History.Count;
        var notify = (t.Notify ?? DefaultRecipients(t.Action)).Where(m => m.Length > 0).Distinct().ToList();
        var notification = notify.Count == 0 ? null : new Notification(
            $"problem:{id}:{sequence}", "problem." + t.Action, S.Title, t.Note ?? "", $"/problems/{id}", now);
        var departments = new List<DepartmentInvolvement>();
        if (S.LeadDepartmentId.Length > 0) departments.Add(new(S.LeadDepartmentId, Involvement.Lead));
        departments.AddRange(S.AssistingDepartmentIds.Select(d => new DepartmentInvolvement(d, Involvement.Assisting)));
        departments.AddRange(S.FormerLeadDepartmentIds.Where(d => d != S.LeadDepartmentId && !S.AssistingDepartmentIds.Contains(d))
            .Select(d => new DepartmentInvolvement(d, Involvement.Former)));
        var payload = new ProblemChanged(Summary(), t.From, t.Note, departments, t.LeadFact, t.FormerLead, t.FormerFact, notify, notification);
        return new DomainEvent(
            Streams.Of(Streams.Problem, id.ToString()), sequence, "problem." + t.Action, actor.UserName, actor.DisplayName, now,
            new EventConcerns(id.ToString(), S.ProjectCode, S.LeadDepartmentId.Length > 0 ? S.LeadDepartmentId : null,
                departments.Select(d => d.DepartmentId).ToList(), S.ResponsibleLeaderId, S.Title, notify),
            EventJson.Write(payload));
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Problem {this.GetPrimaryKey()}");

    private Task HandOn() => Delivery.HandOn();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Delivery.HandOnAtActivation();
        // A crash between the write and the reminder's registration leaves a running deadline without its reminder.
        if (S.NextDeadlineLook is not null) await KeepDeadlineWatch();
    }

    /// <summary>Who hears of a user's command: the department that must act next, or the office, or the raiser.</summary>
    private IReadOnlyList<string> DefaultRecipients(string action) => action switch
    {
        ProblemActions.Raised when S.Status == ProblemStatus.Unrouted => [Mailboxes.Office],
        ProblemActions.Raised or ProblemActions.Routed or ProblemActions.Ruled or ProblemActions.Instructed or ProblemActions.SentBack
            or ProblemActions.PauseApproved or ProblemActions.PauseRejected => [Mailboxes.ForDepartment(S.LeadDepartmentId)],
        ProblemActions.Returned or ProblemActions.RulingRequested or ProblemActions.PauseRequested => [Mailboxes.Office],
        ProblemActions.ResolutionSubmitted => [Mailboxes.ForUser(S.RaisedBy!.UserName)],
        _ => [],
    };

    /// <summary>The settings and the calendar a command or a deadline check judges by, read once for it.</summary>
    private sealed record Rules(ProblemSettings Settings, WorkingCalendar Calendar);

    private async Task<Rules> ReadRules() =>
        new(await Settings().GetProblemSettings(), new WorkingCalendar(await Settings().GetCalendar()));

    /// <summary>The next instant a deadline asks for something (a warning, a breach, an escalation); null when none runs.</summary>
    private DateTimeOffset? NextDeadlineLook(Rules rules)
    {
        if (!S.Raised || S.Status is not (ProblemStatus.Routed or ProblemStatus.InProgress) || S.PauseState == PauseState.Paused) return null;
        var (settings, calendar) = rules;
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset at) => next = next is { } n && n <= at ? n : at;
        void Deadline(DateTimeOffset deadline, DateTimeOffset? warned)
        {
            var warning = calendar.WarningBefore(deadline, settings.PreBreachWorkingDays);
            Consider(warned is null && warning < deadline ? warning : deadline);
        }
        if (S.Status == ProblemStatus.Routed && S.ClaimDeadline is { } claim && S.ClaimBreachedAt is null) Deadline(claim, S.ClaimWarnedAt);
        if (S.ResolutionDeadline is { } resolution && S.ResolutionBreachedAt is null) Deadline(resolution, S.ResolutionWarnedAt);
        if (S.EscalationLevel == 1 && S.EscalationDeadline is { } breached) Consider(calendar.After(breached, settings.EscalateToGroupAfterWorkingDays));
        if (UnescalatedBreach() is not null) Consider(clock.GetUtcNow());
        return next;
    }

    private bool _watchKnown;
    private DateTimeOffset? _watchFor;

    /// <summary>
    /// Keeps the one deadline reminder due at <see cref="ProblemState.NextDeadlineLook"/> (at most the longest wait
    /// away), and none when no deadline runs. Called after each write, on activation and after each reminder tick.
    /// </summary>
    private async Task KeepDeadlineWatch(bool force = false)
    {
        var next = S.NextDeadlineLook;
        if (!force && _watchKnown && _watchFor == next) return;
        if (next is { } at)
        {
            var longest = watch.Value.LongestWait;
            var wait = at - clock.GetUtcNow();
            wait = wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > longest ? longest : wait;
            await this.RegisterOrUpdateReminder(ProblemRules.DeadlineReminder, wait, longest);
        }
        else if (await this.GetReminder(ProblemRules.DeadlineReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        (_watchKnown, _watchFor) = (true, next);
    }

    private ProblemState Snapshot() => new()
    {
        LeadDepartmentId = S.LeadDepartmentId, AssistingDepartmentIds = S.AssistingDepartmentIds, Status = S.Status,
        DispatchedAt = S.DispatchedAt, ClaimDeadline = S.ClaimDeadline, ResolutionDeadline = S.ResolutionDeadline,
        ClaimedBy = S.ClaimedBy, ClaimedAt = S.ClaimedAt, PauseRequest = S.PauseRequest,
        FormerLeadDepartmentIds = [.. S.FormerLeadDepartmentIds],
        ClaimWarnedAt = S.ClaimWarnedAt, ClaimBreachedAt = S.ClaimBreachedAt,
        ResolutionWarnedAt = S.ResolutionWarnedAt, ResolutionBreachedAt = S.ResolutionBreachedAt,
    };

    private void Restore(ProblemState s)
    {
        S.LeadDepartmentId = s.LeadDepartmentId; S.AssistingDepartmentIds = s.AssistingDepartmentIds; S.Status = s.Status;
        S.DispatchedAt = s.DispatchedAt; S.ClaimDeadline = s.ClaimDeadline; S.ResolutionDeadline = s.ResolutionDeadline;
        S.ClaimedBy = s.ClaimedBy; S.ClaimedAt = s.ClaimedAt; S.PauseRequest = s.PauseRequest;
        S.FormerLeadDepartmentIds = s.FormerLeadDepartmentIds;
        S.ClaimWarnedAt = s.ClaimWarnedAt; S.ClaimBreachedAt = s.ClaimBreachedAt;
        S.ResolutionWarnedAt = s.ResolutionWarnedAt; S.ResolutionBreachedAt = s.ResolutionBreachedAt;
    }

    private static CommandOutcome? Validate(RaiseProblem cmd)
    {
        if (string.IsNullOrWhiteSpace(cmd.ProjectCode))
            return CommandOutcome.Invalid("projectCode", "field.required", "The project code is required.");
        if (CommandOutcome.RequiredText("title", cmd.Title, ProblemRules.TitleMaxLength) is { } title) return title;
        if (cmd.Description is null || cmd.Description.Length > ProblemRules.TextMaxLength)
            return CommandOutcome.Invalid("description", "text.too_long", $"At most {ProblemRules.TextMaxLength} characters.");
        if (!Enum.IsDefined(cmd.Category))
            return CommandOutcome.Invalid("category", "field.unknown_value", "Unknown problem category.");
        if (!Enum.IsDefined(cmd.Severity))
            return CommandOutcome.Invalid("severity", "field.unknown_value", "Unknown severity.");
        return null;
    }


    private static ProblemCommandResult Rejected(CommandOutcome outcome) => ProblemCommandResult.Rejected(outcome);

    private ProblemSummary Summary() => new(
        this.GetPrimaryKey(), S.Title, S.ProjectCode, S.ProjectName, S.Category, S.Status, S.LeadDepartmentId,
        S.AssistingDepartmentIds.ToList(), S.RaisedAt, S.ClaimDeadline, S.ResolutionDeadline,
        S.History.Count > 0 ? S.History[^1].At : S.RaisedAt, S.History.Count,
        S.Severity, S.Light,
        Overdue: S.Status == ProblemStatus.Routed && S.ClaimBreachedAt is not null
                 || S.Status is ProblemStatus.Routed or ProblemStatus.InProgress && S.ResolutionBreachedAt is not null,
        S.EscalationLevel, S.OnMeetingAgenda, S.PauseState, S.Returns.Count, S.ResponsibleLeaderId, S.DispatchedAt);

    private ProblemView View() => new(
        Summary(), S.Description, S.RaisedBy!, S.ClaimedBy, S.ClaimedAt, S.Resolution, S.ResolutionSubmittedAt,
        S.ClosedAt, S.SendBackCount, S.History.ToList(), S.Returns.ToList(), S.RuledOwnerDepartmentId, S.PauseRequest,
        S.PausedWorkingDays, S.FormerLeadDepartmentIds.ToList(), _deadlinesCheckedAt, S.NextDeadlineLook);
}
