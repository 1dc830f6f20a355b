using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Live;
using KeyProjects.Grains.Projects;
using Orleans.Runtime;

namespace KeyProjects.Grains.Problems;

public sealed class ProblemGrain(
    [PersistentState("problem")] IPersistentState<ProblemState> state,
    TimeProvider clock) : Grain, IProblemGrain
{
    private ProblemState S => state.State;

    public Task<ProblemView?> Get() => Task.FromResult(S.Raised ? View() : null);

    public async Task<ProblemCommandResult> Raise(RaiseProblem cmd)
    {
        if (Replay(cmd.CommandId, "raise", cmd.Actor) is { } replay)
        {
            // The same key sent with a different problem is a client error, not a retry.
            var sameProblem = S.ProjectCode == cmd.ProjectCode && S.Title == cmd.Title.Trim() && S.LeadDepartmentId == cmd.LeadDepartmentId;
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
        if (await GrainFactory.GetGrain<IDepartmentGrain>(cmd.LeadDepartmentId).GetProfile() is null)
            return Rejected(CommandOutcome.Invalid("leadDepartmentId", "department.not_found", $"Department '{cmd.LeadDepartmentId}' does not exist."));
        foreach (var assisting in cmd.AssistingDepartmentIds)
        {
            if (await GrainFactory.GetGrain<IDepartmentGrain>(assisting).GetProfile() is null)
                return Rejected(CommandOutcome.Invalid("assistingDepartmentIds", "department.not_found", $"Department '{assisting}' does not exist."));
        }

        var now = clock.GetUtcNow();
        var claimDeadline = cmd.ClaimDeadline ?? now + ProblemRules.DefaultClaimPeriod;
        var resolutionDeadline = cmd.ResolutionDeadline ?? now + ProblemRules.DefaultResolutionPeriod;
        if (claimDeadline <= now)
            return Rejected(CommandOutcome.Invalid("claimDeadline", "problem.deadline_past", "The claim deadline must be in the future."));
        if (resolutionDeadline < claimDeadline)
            return Rejected(CommandOutcome.Invalid("resolutionDeadline", "problem.deadline_order", "The resolution deadline cannot be before the claim deadline."));

        S.Raised = true;
        S.ProjectCode = cmd.ProjectCode;
        S.ProjectName = project.Name;
        S.Title = cmd.Title.Trim();
        S.Description = cmd.Description.Trim();
        S.Category = cmd.Category;
        S.LeadDepartmentId = cmd.LeadDepartmentId;
        S.AssistingDepartmentIds = cmd.AssistingDepartmentIds.Distinct().ToList();
        S.RaisedBy = cmd.Actor;
        S.RaisedAt = now;
        S.ClaimDeadline = claimDeadline;
        S.ResolutionDeadline = resolutionDeadline;
        S.Status = ProblemStatus.Routed;
        return await Commit(cmd.CommandId, "raise", cmd.Actor, ProblemActions.Raised, null, null);
    }

    public async Task<ProblemCommandResult> Claim(string commandId, Actor actor)
    {
        if (Replay(commandId, "claim", actor) is { } replay) return replay;
        if (Check(actor, mustBeLead: true) is { } rejected) return Rejected(rejected);
        if (S.Status != ProblemStatus.Routed)
            return Rejected(CommandOutcome.Conflict("problem.not_claimable", $"The problem is {S.Status} and cannot be claimed."));

        var from = S.Status;
        S.Status = ProblemStatus.InProgress;
        S.ClaimedBy = actor;
        S.ClaimedAt = clock.GetUtcNow();
        return await Commit(commandId, "claim", actor, ProblemActions.Claimed, from, null);
    }

    public async Task<ProblemCommandResult> SubmitResolution(string commandId, Actor actor, string resolution)
    {
        if (Replay(commandId, "resolve", actor) is { } replay) return replay;
        if (RequiredText("resolution", resolution, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: true) is { } rejected) return Rejected(rejected);
        if (S.Status != ProblemStatus.InProgress)
            return Rejected(CommandOutcome.Conflict("problem.not_in_progress", $"The problem is {S.Status}; only a claimed problem can be resolved."));

        var from = S.Status;
        S.Status = ProblemStatus.ResolutionSubmitted;
        S.Resolution = resolution.Trim();
        S.ResolutionSubmittedAt = clock.GetUtcNow();
        return await Commit(commandId, "resolve", actor, ProblemActions.ResolutionSubmitted, from, S.Resolution);
    }

    public async Task<ProblemCommandResult> Close(string commandId, Actor actor, string? note)
    {
        if (Replay(commandId, "close", actor) is { } replay) return replay;
        if (note is { Length: > ProblemRules.TextMaxLength })
            return Rejected(CommandOutcome.Invalid("note", "text.too_long", $"At most {ProblemRules.TextMaxLength} characters."));
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (!MayVerify(actor))
            return Rejected(CommandOutcome.Forbidden("problem.verify_forbidden", "Only the raiser or the command office verifies a resolution."));
        if (S.Status != ProblemStatus.ResolutionSubmitted)
            return Rejected(CommandOutcome.Conflict("problem.not_awaiting_verification", $"The problem is {S.Status}; there is no resolution to verify."));

        var from = S.Status;
        S.Status = ProblemStatus.Closed;
        S.ClosedAt = clock.GetUtcNow();
        return await Commit(commandId, "close", actor, ProblemActions.Closed, from, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
    }

    public async Task<ProblemCommandResult> SendBack(string commandId, Actor actor, string reason)
    {
        if (Replay(commandId, "send-back", actor) is { } replay) return replay;
        if (RequiredText("reason", reason, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Check(actor, mustBeLead: false) is { } rejected) return Rejected(rejected);
        if (!MayVerify(actor))
            return Rejected(CommandOutcome.Forbidden("problem.verify_forbidden", "Only the raiser or the command office can send a resolution back."));
        if (S.Status != ProblemStatus.ResolutionSubmitted)
            return Rejected(CommandOutcome.Conflict("problem.not_awaiting_verification", $"The problem is {S.Status}; there is no resolution to send back."));

        var from = S.Status;
        S.Status = ProblemStatus.InProgress;
        S.SendBackCount++;
        S.Resolution = null;
        S.ResolutionSubmittedAt = null;
        return await Commit(commandId, "send-back", actor, ProblemActions.SentBack, from, reason.Trim());
    }

    private CommandOutcome? Check(Actor actor, bool mustBeLead)
    {
        if (!S.Raised)
            return CommandOutcome.NotFound("problem.not_found", "No such problem.");
        if (mustBeLead && !actor.IsMemberOf(S.LeadDepartmentId))
            return CommandOutcome.Forbidden("problem.not_lead_department", "Only a user of the lead department may do this.");
        return null;
    }

    private bool MayVerify(Actor actor) =>
        actor.Role == Role.Office || string.Equals(actor.UserName, S.RaisedBy?.UserName, StringComparison.Ordinal);

    /// <summary>A command already applied returns its first outcome (with the problem as it is now).</summary>
    private ProblemCommandResult? Replay(string commandId, string kind, Actor actor)
    {
        if (string.IsNullOrWhiteSpace(commandId) || commandId.Length > CommandId.MaxLength)
            return Rejected(CommandOutcome.Invalid("idempotencyKey", "command.invalid_key", $"An idempotency key of 1 to {CommandId.MaxLength} characters is required."));
        var seen = S.RecentCommands.Find(c => c.CommandId == commandId);
        if (seen is null) return null;
        if (seen.Kind != kind || seen.UserName != actor.UserName)
            return Rejected(CommandOutcome.Conflict("command.key_reused", "This idempotency key was already used for another command."));
        return new ProblemCommandResult(CommandOutcome.Ok, View());
    }

    private async Task<ProblemCommandResult> Commit(string commandId, string kind, Actor actor, string action, ProblemStatus? from, string? note)
    {
        var now = clock.GetUtcNow();
        S.History.Add(new ProblemHistoryEntry(S.History.Count + 1, now, actor, action, from, S.Status, note));
        S.RecentCommands.Add(new ProcessedCommand(commandId, kind, actor.UserName));
        if (S.RecentCommands.Count > ProblemRules.RememberedCommands) S.RecentCommands.RemoveAt(0);

        // Durable before acknowledged: the transition and its history entry are written, then the others are told.
        await GrainState.Persist(this, state);

        var summary = Summary();
        var tracking = new List<Task>
        {
            GrainFactory.GetGrain<IProjectGrain>(S.ProjectCode).TrackProblem(summary),
            GrainFactory.GetGrain<IDepartmentGrain>(S.LeadDepartmentId).TrackProblem(summary, Involvement.Lead),
        };
        tracking.AddRange(S.AssistingDepartmentIds.Select(d =>
            GrainFactory.GetGrain<IDepartmentGrain>(d).TrackProblem(summary, Involvement.Assisting)));
        await Task.WhenAll(tracking);

        await GrainFactory.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City).Publish(new LiveChange(
            "problem." + action, this.GetPrimaryKey().ToString(), S.ProjectCode, S.LeadDepartmentId, S.Title, actor.DisplayName, now));
        return new ProblemCommandResult(CommandOutcome.Ok, View());
    }

    private static CommandOutcome? Validate(RaiseProblem cmd)
    {
        if (string.IsNullOrWhiteSpace(cmd.ProjectCode))
            return CommandOutcome.Invalid("projectCode", "field.required", "The project code is required.");
        if (RequiredText("title", cmd.Title, ProblemRules.TitleMaxLength) is { } title) return title;
        if (cmd.Description is null || cmd.Description.Length > ProblemRules.TextMaxLength)
            return CommandOutcome.Invalid("description", "text.too_long", $"At most {ProblemRules.TextMaxLength} characters.");
        if (!Enum.IsDefined(cmd.Category))
            return CommandOutcome.Invalid("category", "field.unknown_value", "Unknown problem category.");
        if (string.IsNullOrWhiteSpace(cmd.LeadDepartmentId))
            return CommandOutcome.Invalid("leadDepartmentId", "field.required", "The lead department is required.");
        if (cmd.AssistingDepartmentIds.Count > ProblemRules.MaxAssistingDepartments)
            return CommandOutcome.Invalid("assistingDepartmentIds", "field.too_many", $"At most {ProblemRules.MaxAssistingDepartments} assisting departments.");
        if (cmd.AssistingDepartmentIds.Contains(cmd.LeadDepartmentId))
            return CommandOutcome.Invalid("assistingDepartmentIds", "problem.lead_also_assisting", "The lead department cannot also be an assisting department.");
        return null;
    }

    private static CommandOutcome? RequiredText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            return CommandOutcome.Invalid(field, "field.required", $"'{field}' is required.");
        if (value.Length > maxLength)
            return CommandOutcome.Invalid(field, "text.too_long", $"At most {maxLength} characters.");
        return null;
    }

    private static ProblemCommandResult Rejected(CommandOutcome outcome) => ProblemCommandResult.Rejected(outcome);

    private ProblemSummary Summary() => new(
        this.GetPrimaryKey(), S.Title, S.ProjectCode, S.ProjectName, S.Category, S.Status, S.LeadDepartmentId,
        S.AssistingDepartmentIds.ToList(), S.RaisedAt, S.ClaimDeadline, S.ResolutionDeadline,
        S.History.Count > 0 ? S.History[^1].At : S.RaisedAt, S.History.Count);

    private ProblemView View() => new(
        Summary(), S.Description, S.RaisedBy!, S.ClaimedBy, S.ClaimedAt, S.Resolution, S.ResolutionSubmittedAt,
        S.ClosedAt, S.SendBackCount, S.History.ToList());
}
