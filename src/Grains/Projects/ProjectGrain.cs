using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Factors;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Settings;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Projects;

public sealed class ProjectState
{
    public ProjectProfile? Profile { get; set; }

    /// <summary>How many times the profile was registered or changed: the sequence of the project's events.</summary>
    public long Version { get; set; }

    /// <summary>Events written with the state and not yet confirmed in the event log (the outbox).</summary>
    public List<DomainEvent> Outbox { get; set; } = [];

    public List<StageChange> Stages { get; set; } = [];

    /// <summary>The stage a suspended (停缓建) project resumes at.</summary>
    public ProjectStage? SuspendedFrom { get; set; }

    public List<ProcessedCommand> RecentCommands { get; set; } = [];

    /// <summary>
    /// The year-to-date completed investment the project was registered with, and the month it was registered in
    /// (yyyy-MM): reports of earlier months are already in that figure and are not added again.
    /// </summary>
    public string OpeningMonth { get; set; } = "";
    public decimal OpeningCompleted { get; set; }

    /// <summary>This year's and last year's monthly reports (month → the latest version taken): at most 24.</summary>
    public Dictionary<string, ReportedMonth> Reports { get; set; } = [];

    /// <summary>The approval path (手续): at most one item of each <see cref="ApprovalKind"/>.</summary>
    public List<ApprovalItem> Approvals { get; set; } = [];

    /// <summary>The factor needs: at most one of each <see cref="Factors.FactorNeedKind"/>.</summary>
    public List<Factors.FactorNeed> Needs { get; set; } = [];
}

/// <summary>A month's report as the project took it.</summary>
public sealed record ReportedMonth(int Version, Reports.ReportFigures Figures);

/// <summary>
/// A key project: its profile and its rules. Its problems, light and figures are read from the read model, which
/// follows the project's events and its problems' events.
/// </summary>
public sealed class ProjectGrain(
    [PersistentState("project")] IPersistentState<ProjectState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<ProjectGrain> logger) : Grain, IProjectGrain
{
    private ProjectState S => state.State;

    public async Task<CommandOutcome> Register(Actor actor, ProjectProfile profile)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("project.register_forbidden", "Only the command office registers projects.");
        if (!string.Equals(profile.Code, this.GetPrimaryKeyString(), StringComparison.Ordinal))
            return CommandOutcome.Invalid("code", "project.code_mismatch", "The profile's code does not match the project.");
        if (S.Profile == profile)
        {
            await HandOn(); // a retry: finish what the first attempt may have left undone
            return CommandOutcome.Ok;
        }
        var previous = S.Profile;

        var kind = S.Profile is null ? "project.registered" : "project.changed";
        if (S.Profile is null) (S.OpeningMonth, S.OpeningCompleted) = (Reports.ReportRules.MonthOf(WorkingCalendar.LocalDate(clock.GetUtcNow())), profile.CompletedInvestment);
        // A registered project's stage (and its start and completion days) moves only through ChangeStage, and its
        // progress (completed investment, image progress) only through its reports: registering again (an import of
        // next year's list) replaces what the library keeps, never those.
        S.Profile = S.Profile is { } current ? Registered(current, profile) : profile;
        if (S.Profile == previous)
        {
            await HandOn(); // nothing the library keeps changed
            return CommandOutcome.Ok;
        }
        await Commit(actor, kind, null);
        return CommandOutcome.Ok;
    }

    public Task<CommandOutcome> RegisterNew(Actor actor, ProjectProfile profile) =>
        S.Profile is { } existing && existing != Registered(existing, profile)
            ? Task.FromResult(CommandOutcome.Conflict("project.exists", $"Project '{profile.Code}' is registered already; change it on its page."))
            : Register(actor, profile);

    /// <summary>What registering <paramref name="asked"/> over <paramref name="current"/> keeps: the stage, its days and the progress are the project's own commands'.</summary>
    private static ProjectProfile Registered(ProjectProfile current, ProjectProfile asked) => asked with
    {
        Stage = current.Stage, ActualStart = current.ActualStart, ActualCompletion = current.ActualCompletion,
        CompletedInvestment = current.CompletedInvestment, ImageProgress = current.ImageProgress, ImageProgressPercent = current.ImageProgressPercent,
    };

    public Task<ProjectProfile?> GetProfile() => Task.FromResult(S.Profile);

    public Task<ProjectView?> Get() => Task.FromResult(S.Profile is null ? null : View());

    public async Task<ProjectCommandResult> ChangeStage(string commandId, Actor actor, ProjectStage to, DateOnly on, string? reason)
    {
        switch (CommandLog.Check(S.RecentCommands, commandId, "change-stage", actor))
        {
            case { Succeeded: true }:
                await HandOn(); // a retry: finish what the first attempt may have left undone
                return new ProjectCommandResult(CommandOutcome.Ok, View());
            case { } refused:
                return ProjectCommandResult.Rejected(refused);
        }
        if (S.Profile is not { } profile) return ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", "No such project."));
        if (actor.Role is not (Role.Office or Role.Admin))
            return ProjectCommandResult.Rejected(CommandOutcome.Forbidden("project.stage_forbidden", "The command office records a project's stage."));
        if (!Enum.IsDefined(to)) return ProjectCommandResult.Rejected(CommandOutcome.Invalid("stage", "field.unknown_value", $"'{to}' is not a stage."));
        var allowed = ProjectLifecycle.Next(profile.Stage, S.SuspendedFrom);
        if (!allowed.Contains(to))
            return ProjectCommandResult.Rejected(CommandOutcome.Conflict("project.stage_transition", allowed.Count == 0
                ? $"From {profile.Stage} the project moves no further."
                : $"From {profile.Stage} the project may move to {string.Join(", ", allowed)}, not to {to}."));
        if (to == ProjectStage.Suspended && CommandOutcome.RequiredText("reason", reason, ProjectLifecycle.ReasonMaxLength) is { } noReason)
            return ProjectCommandResult.Rejected(noReason);
        if (reason is { Length: > ProjectLifecycle.ReasonMaxLength })
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("reason", "text.too_long", $"At most {ProjectLifecycle.ReasonMaxLength} characters."));
        var now = clock.GetUtcNow();
        if (on > WorkingCalendar.LocalDate(now))
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("on", "project.stage_in_future", "A stage is recorded on the day it happened, not ahead."));
        if (S.Stages.Count > 0 && on < S.Stages[^1].On)
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("on", "project.stage_before_last", $"The last change was on {S.Stages[^1].On:yyyy-MM-dd}."));
        if (S.Stages.Count >= ProjectLifecycle.MaxChanges)
            return ProjectCommandResult.Rejected(CommandOutcome.Conflict("project.stage_history_full", "This project has no room for more stage changes."));

        var change = new StageChange(S.Stages.Count + 1, profile.Stage, to, on, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            actor.UserName, actor.DisplayName, now);
        S.Stages.Add(change);
        S.SuspendedFrom = to == ProjectStage.Suspended ? profile.Stage : null;
        S.Profile = profile with
        {
            Stage = to,
            ActualStart = to == ProjectStage.UnderConstruction ? profile.ActualStart ?? on : profile.ActualStart,
            ActualCompletion = to == ProjectStage.Completed ? on : profile.ActualCompletion,
        };
        CommandLog.Remember(S.RecentCommands, commandId, "change-stage", actor, now);
        await Commit(actor, "project.stage-changed", change);
        return new ProjectCommandResult(CommandOutcome.Ok, View());
    }

    public async Task TakeReport(string month, int version, Reports.ReportFigures figures)
    {
        if (S.Profile is not { } profile) return;
        if (S.Reports.TryGetValue(month, out var known) && known.Version >= version)
        {
            await HandOn(); // taken before: finish handing on its event
            return;
        }
        var today = WorkingCalendar.LocalDate(clock.GetUtcNow());
        if (known is not null && known.Figures == figures)
        {
            // A new version with the same figures (a photo added): nothing the project shows changes.
            S.Reports[month] = known with { Version = version };
            await GrainState.Persist(this, state);
            return;
        }
        S.Reports[month] = new ReportedMonth(version, figures);
        var year = $"{today.Year}-";
        foreach (var old in S.Reports.Keys.Where(m => string.CompareOrdinal(m, $"{today.Year - 1}-01") < 0).ToList()) S.Reports.Remove(old);
        var latest = S.Reports.OrderBy(r => r.Key, StringComparer.Ordinal).LastOrDefault().Value?.Figures;
        S.Profile = profile with
        {
            // This year's: the opening figure (if registered this year) and this year's reports from the registration month on.
            CompletedInvestment = (S.OpeningMonth.StartsWith(year, StringComparison.Ordinal) ? S.OpeningCompleted : 0)
                + S.Reports.Where(r => r.Key.StartsWith(year, StringComparison.Ordinal) && string.CompareOrdinal(r.Key, S.OpeningMonth) >= 0)
                    .Sum(r => r.Value.Figures.CompletedThisMonth),
            ImageProgress = latest?.ImageProgress ?? profile.ImageProgress,
            ImageProgressPercent = latest?.ImageProgressPercent ?? profile.ImageProgressPercent,
        };
        await Commit(Actor.System, "project.progress-reported", null);
    }

    public async Task<ProjectCommandResult> PlanApprovals(string commandId, Actor actor, DateOnly from, IReadOnlyDictionary<ApprovalKind, string> owners)
    {
        if (await Replay(commandId, "plan-approvals", actor) is { } replay) return replay;
        if (S.Profile is not { } profile) return ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", "No such project."));
        if (actor.Role is not (Role.Office or Role.Admin))
            return ProjectCommandResult.Rejected(CommandOutcome.Forbidden("approval.plan_forbidden", "The command office plans a project's approvals."));
        if (S.Approvals.Any(a => a.Status is not (ApprovalStatus.NotStarted or ApprovalStatus.NotRequired)))
            return ProjectCommandResult.Rejected(CommandOutcome.Conflict("approval.path_started", "Items of this path are under way: change them one by one."));
        // Every owner given is checked (a waived item's too: it may be needed later); a needed item must have one.
        foreach (var step in ApprovalRules.Template(profile.Type))
            if ((step.Required || !string.IsNullOrEmpty(owners.GetValueOrDefault(step.Kind)))
                && await UnknownDepartment(owners.GetValueOrDefault(step.Kind), $"owners.{step.Kind}") is { } bad)
                return ProjectCommandResult.Rejected(bad);
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.LocalDate(now);
        if (from < today.AddYears(-ApprovalRules.PlanYears) || from > today.AddYears(ApprovalRules.PlanYears))
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("from", "approval.from", $"A path is planned from a day within {ApprovalRules.PlanYears} years of today."));
        var calendar = new WorkingCalendar(await GrainFactory.GetGrain<ISettingsGrain>(ISettingsGrain.City).GetCalendar());
        var before = S.Approvals.ToDictionary(a => a.Kind);
        var formerly = S.Approvals.Select(a => a.DepartmentId).ToList();
        // Planned again: what the items carried (the problem raised about one, its helper, its note) stays with them.
        S.Approvals = ApprovalRules.Plan(profile.Type, from, owners, calendar, actor, now)
            .Select(a => before.GetValueOrDefault(a.Kind) is { } old
                ? a with { ProblemId = old.ProblemId, ProblemsRaised = old.ProblemsRaised, Helper = old.Helper, Note = old.Note }
                : a)
            .ToList();
        CommandLog.Remember(S.RecentCommands, commandId, "plan-approvals", actor, now);
        await Commit(actor, "project.approvals-planned", null, formerly);
        return new ProjectCommandResult(CommandOutcome.Ok, View());
    }

    public async Task<ProjectCommandResult> UpdateApproval(string commandId, Actor actor, ApprovalUpdate update)
    {
        if (await Replay(commandId, "update-approval", actor) is { } replay) return replay;
        if (S.Profile is null) return ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", "No such project."));
        var index = S.Approvals.FindIndex(a => a.Kind == update.Kind);
        if (index < 0) return ProjectCommandResult.Rejected(CommandOutcome.NotFound("approval.not_found", $"The project's path has no {update.Kind}."));
        var item = S.Approvals[index];
        var office = actor.Role is Role.Office or Role.Admin;
        if (!office && !actor.IsMemberOf(item.DepartmentId))
            return ProjectCommandResult.Rejected(CommandOutcome.Forbidden("approval.forbidden", "The department that owns the item, or the command office, records it."));
        if (!office && (update.DepartmentId is not null || update.PlannedDone is not null || update.Helper is not null
                || update.Status == ApprovalStatus.NotRequired || item.Status == ApprovalStatus.Done || item.Status == ApprovalStatus.NotRequired))
            return ProjectCommandResult.Rejected(CommandOutcome.Forbidden("approval.office_only", "The owner, plan, helper, waiving and reopening are the command office's."));
        if (update.Status is { } s && !Enum.IsDefined(s)) return ProjectCommandResult.Rejected(CommandOutcome.Invalid("status", "field.unknown_value", $"'{s}' is not a status."));
        if (update.Note is { Length: > ApprovalRules.NoteMaxLength }) return ProjectCommandResult.Rejected(CommandOutcome.Invalid("note", "text.too_long", $"At most {ApprovalRules.NoteMaxLength} characters."));
        if (update.Helper is { Length: > ApprovalRules.HelperMaxLength }) return ProjectCommandResult.Rejected(CommandOutcome.Invalid("helper", "text.too_long", $"At most {ApprovalRules.HelperMaxLength} characters."));
        if (update.DepartmentId is { } owner && owner != item.DepartmentId && await UnknownDepartment(owner, "departmentId") is { } unknown)
            return ProjectCommandResult.Rejected(unknown);
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.LocalDate(now);
        var status = update.Status ?? item.Status;
        if (update.PlannedDone is { } planned && planned < item.PlannedStart)
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("plannedDone", "approval.planned_before_start", $"The item is planned to start on {item.PlannedStart:yyyy-MM-dd}."));
        if (update.ActualDone is { } actual && actual > today)
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("actualDone", "approval.done_in_future", "An item is recorded done on the day it was, not ahead."));
        if (update.ActualDone is not null && status != ApprovalStatus.Done)
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("actualDone", "approval.done_day_without_done", "Only a finished item has a day it was finished."));
        if (status == ApprovalStatus.Done && (update.ActualDone ?? item.ActualDone ?? today) < ApprovalRules.EarliestDone(S.Approvals, item))
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("actualDone", "approval.done_before_prerequisites",
                $"Not before {ApprovalRules.EarliestDone(S.Approvals, item):yyyy-MM-dd}: what {item.Kind} waits for was finished then."));
        if (status != ApprovalStatus.NotRequired && item.Status == ApprovalStatus.NotRequired && update.DepartmentId is null
            && await UnknownDepartment(item.DepartmentId, "departmentId") is { } noOwner)
            return ProjectCommandResult.Rejected(noOwner);
        if (status is ApprovalStatus.InProgress or ApprovalStatus.Done or ApprovalStatus.ToleratedAcceptance && status != item.Status
            && ApprovalRules.Waiting(S.Approvals, item) is { Count: > 0 } waiting)
            return ProjectCommandResult.Rejected(CommandOutcome.Conflict("approval.waiting",
                $"{item.Kind} waits for {string.Join(", ", waiting)}: they are not done, accepted (容缺) or waived."));
        if (status != ApprovalStatus.NotRequired && (update.DepartmentId ?? item.DepartmentId).Length == 0)
            return ProjectCommandResult.Rejected(CommandOutcome.Invalid("departmentId", "field.required", "An item that is needed has a department that owns it."));

        S.Approvals[index] = item with
        {
            Status = status,
            ActualDone = status == ApprovalStatus.Done ? update.ActualDone ?? item.ActualDone ?? today : null,
            PlannedDone = update.PlannedDone ?? item.PlannedDone,
            DepartmentId = update.DepartmentId ?? item.DepartmentId,
            Helper = update.Helper is null ? item.Helper : update.Helper.Trim() is { Length: > 0 } helper ? helper : null,
            Note = update.Note is null ? item.Note : update.Note.Trim() is { Length: > 0 } note ? note : null,
            By = actor.UserName, ByName = actor.DisplayName, At = now,
        };
        CommandLog.Remember(S.RecentCommands, commandId, "update-approval", actor, now);
        await Commit(actor, "project.approval-changed", null, [item.DepartmentId]);
        return new ProjectCommandResult(CommandOutcome.Ok, View());
    }

    public async Task<ProjectCommandResult> RaiseApprovalProblem(string commandId, Actor actor, ApprovalKind kind)
    {
        if (await Replay(commandId, "approval-problem", actor) is { } replay) return replay;
        if (S.Profile is not { } profile) return ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", "No such project."));
        var index = S.Approvals.FindIndex(a => a.Kind == kind);
        if (index < 0) return ProjectCommandResult.Rejected(CommandOutcome.NotFound("approval.not_found", $"The project's path has no {kind}."));
        var item = S.Approvals[index];
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.LocalDate(now);
        if (!item.IsOverdue(today))
            return ProjectCommandResult.Rejected(CommandOutcome.Conflict("approval.not_overdue", $"{kind} is not overdue: planned for {item.PlannedDone:yyyy-MM-dd}, {item.Status}."));
        if (ApprovalRules.Waiting(S.Approvals, item) is { Count: > 0 } waiting)
            return ProjectCommandResult.Rejected(CommandOutcome.Conflict("approval.waiting",
                $"{kind} waits for {string.Join(", ", waiting)}: the problem is theirs, not {kind}'s department's."));
        if (item.ProblemId is { } earlier && await GrainFactory.GetGrain<IProblemGrain>(earlier).Get() is { Summary.IsOpen: true })
            return ProjectCommandResult.Rejected(CommandOutcome.Conflict("approval.problem_open", "A problem about this item is still open."));

        // The problem about this lateness has an id of its own (the item's count of problems so far): any attempt — a
        // retry after an unknown outcome, another user — reaches it; one raised before the project recorded it is
        // recorded now rather than raised again.
        var problemId = ApprovalRules.ProblemId(profile.Code, item);
        var problem = GrainFactory.GetGrain<IProblemGrain>(problemId);
        if (await problem.Get() is null)
        {
            var late = today.DayNumber - item.PlannedDone.DayNumber;
            var raised = await problem.Raise(new RaiseProblem(
                commandId, actor, profile.Code, $"{ApprovalRules.NameOf(kind)}逾期未办结",
                $"计划 {item.PlannedDone:yyyy-MM-dd} 办结，已逾期 {late} 天。" + (item.Helper is { } helper ? $"代办帮办：{helper}。" : "") + (item.Note is { } note ? $"办理情况：{note}" : ""),
                ProblemCategory.Approvals, item.DepartmentId, [], null, null));
            if (!raised.Outcome.Succeeded && raised.Outcome.Code != "problem.already_raised") return ProjectCommandResult.Rejected(raised.Outcome);
        }
        S.Approvals[index] = item with { ProblemId = problemId, ProblemsRaised = item.ProblemsRaised + 1 };
        CommandLog.Remember(S.RecentCommands, commandId, "approval-problem", actor, now);
        await Commit(actor, "project.approval-problem-raised", null);
        return new ProjectCommandResult(CommandOutcome.Ok, View());
    }

    public async Task<ProjectCommandResult> SetNeed(string commandId, Actor actor, FactorNeedUpdate update)
    {
        if (await Replay(commandId, "set-need", actor) is { } replay) return replay;
        if (S.Profile is null) return ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", "No such project."));
        if (!Enum.IsDefined(update.Kind)) return ProjectCommandResult.Rejected(CommandOutcome.Invalid("kind", "field.unknown_value", $"'{update.Kind}' is not a factor."));
        var index = S.Needs.FindIndex(n => n.Kind == update.Kind);
        var known = index < 0 ? null : S.Needs[index];
        var office = actor.Role is Role.Office or Role.Admin;
        // The department that can meet a need records how much of it is met; the office sets the need itself.
        var departmentMeets = known is not null && actor.IsMemberOf(known.DepartmentId) && update.Amount == known.Amount
            && (update.DepartmentId is null || update.DepartmentId == known.DepartmentId);
        if (!office && !departmentMeets)
            return ProjectCommandResult.Rejected(CommandOutcome.Forbidden("need.forbidden", "The command office sets a project's needs; the department that can meet one records what is met."));
        if (FactorRules.Amount(update.Amount, "amount", positive: false) is { } badAmount) return ProjectCommandResult.Rejected(badAmount);
        var pool = FactorNeedRules.PoolOf(update.Kind);
        if (update.Met is { } m && (pool is not null
                ? CommandOutcome.Invalid("met", "need.met_from_ledger", "What is met of land, energy and environmental capacity is what the ledger allocates.")
                : FactorRules.Amount(m, "met", positive: false)) is { } badMet)
            return ProjectCommandResult.Rejected(badMet);
        if (update.Note is { Length: > FactorNeedRules.NoteMaxLength }) return ProjectCommandResult.Rejected(CommandOutcome.Invalid("note", "text.too_long", $"At most {FactorNeedRules.NoteMaxLength} characters."));
        var met = pool is null ? update.Met ?? known?.Met ?? 0 : 0;
        if (update.Amount > 0 && met > update.Amount)
            return ProjectCommandResult.Rejected(update.Met is not null
                ? CommandOutcome.Invalid("met", "need.met_above_amount", $"At most what is needed: {update.Amount}.")
                : CommandOutcome.Invalid("amount", "need.amount_below_met", $"{met} is met already: the need cannot be less."));
        var department = update.DepartmentId ?? known?.DepartmentId ?? "";
        // A need stays with a unit retired since (it records what is met); only giving it to a unit checks that unit takes work.
        if (update.Amount > 0 && department != known?.DepartmentId && await UnknownDepartment(department, "departmentId") is { } unknown)
            return ProjectCommandResult.Rejected(unknown);
        if (update.Amount == 0 && known is null) return ProjectCommandResult.Rejected(CommandOutcome.NotFound("need.not_found", $"The project has no {update.Kind} need to withdraw."));

        var now = clock.GetUtcNow();
        if (update.Amount == 0) S.Needs.RemoveAt(index);
        else
        {
            var need = new FactorNeed(update.Kind, Math.Round(update.Amount, 2), department, Math.Round(met, 2),
                update.Note is null ? known?.Note : update.Note.Trim() is { Length: > 0 } note ? note : null, actor.UserName, actor.DisplayName, now);
            if (index < 0) S.Needs.Add(need); else S.Needs[index] = need;
            S.Needs.Sort((a, b) => a.Kind.CompareTo(b.Kind));
        }
        CommandLog.Remember(S.RecentCommands, commandId, "set-need", actor, now);
        await Commit(actor, "project.need-changed", null, known is null ? null : [known.DepartmentId]);
        return new ProjectCommandResult(CommandOutcome.Ok, View());
    }

    private Task<CommandOutcome?> UnknownDepartment(string? id, string field) =>
        string.IsNullOrWhiteSpace(id) ? Task.FromResult<CommandOutcome?>(CommandOutcome.Invalid(field, "field.required", $"'{field}' names the department."))
        : DepartmentRules.TakesWork(GrainFactory, id, field);

    private Task<ProjectCommandResult?> Replay(string commandId, string kind, Actor actor) =>
        CommandLog.Replay(S.RecentCommands, commandId, kind, actor, HandOn,
            () => S.Profile is null ? ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", "No such project.")) : new ProjectCommandResult(CommandOutcome.Ok, View()),
            ProjectCommandResult.Rejected);

    /// <summary>
    /// Writes the change and its event. <paramref name="formerly"/>: departments the project concerned before the
    /// change (an item's or a need's former owner), whose desks the event must reach too.
    /// </summary>
    private async Task Commit(Actor actor, string kind, StageChange? change, IReadOnlyList<string>? formerly = null)
    {
        var profile = S.Profile!;
        S.Version++;
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Project, profile.Code), S.Version, kind, actor.UserName, actor.DisplayName, clock.GetUtcNow(),
            new EventConcerns(profile.Code, profile.Code, profile.ResponsibleDepartmentId, Concerned(profile, formerly ?? []),
                profile.ResponsibleLeaderId, profile.Name, []),
            EventJson.Write(new ProjectChanged(Summary(profile), change, S.Approvals.ToList(), S.Needs.ToList()))));
        await GrainState.Persist(this, state);
        await HandOn();
    }

    /// <summary>The departments a change of the project concerns: the responsible one, and those owning its approval items and needs.</summary>
    private List<string> Concerned(ProjectProfile profile, IEnumerable<string> formerly) =>
        new[] { profile.ResponsibleDepartmentId }.Concat(S.Approvals.Select(a => a.DepartmentId)).Concat(S.Needs.Select(n => n.DepartmentId)).Concat(formerly)
            .Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The library line: the profile, the days it was signed and went into operation, its opening figure.</summary>
    private ProjectSummary Summary(ProjectProfile profile) => ProjectSummary.From(profile) with
    {
        SignedOn = S.Stages.LastOrDefault(c => c.To == ProjectStage.Signed)?.On,
        OperatingOn = profile.Stage == ProjectStage.InOperation ? S.Stages.LastOrDefault(c => c.To == ProjectStage.InOperation)?.On : null,
        OpeningMonth = S.OpeningMonth,
        OpeningCompleted = S.OpeningCompleted,
    };

    private ProjectView View() => new(S.Profile!, S.Stages.ToList(), S.SuspendedFrom, S.Approvals.ToList(), S.Needs.ToList());

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Project {this.GetPrimaryKeyString()}");

    private Task HandOn() => Delivery.HandOn();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A project registered before opening figures were kept: its registered figure is its opening as of now,
        // written at once so it does not move with later activations (schema 0005 gave the read model's row the
        // month it was applied in; the project's next event brings the row in line).
        if (S.Profile is { } profile && S.OpeningMonth.Length == 0)
        {
            (S.OpeningMonth, S.OpeningCompleted) = (Reports.ReportRules.MonthOf(WorkingCalendar.LocalDate(clock.GetUtcNow())), profile.CompletedInvestment);
            await GrainState.Persist(this, state);
        }
        await Delivery.HandOnAtActivation();
    }
}
