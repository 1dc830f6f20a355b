using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
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
        S.Profile = S.Profile is { } current
            ? profile with
            {
                Stage = current.Stage, ActualStart = current.ActualStart, ActualCompletion = current.ActualCompletion,
                CompletedInvestment = current.CompletedInvestment, ImageProgress = current.ImageProgress, ImageProgressPercent = current.ImageProgressPercent,
            }
            : profile;
        if (S.Profile == previous)
        {
            await HandOn(); // nothing the library keeps changed
            return CommandOutcome.Ok;
        }
        await Commit(actor, kind, null);
        return CommandOutcome.Ok;
    }

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

    private async Task Commit(Actor actor, string kind, StageChange? change)
    {
        var profile = S.Profile!;
        S.Version++;
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Project, profile.Code), S.Version, kind, actor.UserName, actor.DisplayName, clock.GetUtcNow(),
            new EventConcerns(profile.Code, profile.Code, profile.ResponsibleDepartmentId, [profile.ResponsibleDepartmentId],
                profile.ResponsibleLeaderId, profile.Name, []),
            EventJson.Write(new ProjectChanged(Summary(profile), change))));
        await GrainState.Persist(this, state);
        await HandOn();
    }

    /// <summary>The library line: the profile, the days it was signed and went into operation, its opening figure.</summary>
    private ProjectSummary Summary(ProjectProfile profile) => ProjectSummary.From(profile) with
    {
        SignedOn = S.Stages.LastOrDefault(c => c.To == ProjectStage.Signed)?.On,
        OperatingOn = profile.Stage == ProjectStage.InOperation ? S.Stages.LastOrDefault(c => c.To == ProjectStage.InOperation)?.On : null,
        OpeningMonth = S.OpeningMonth,
        OpeningCompleted = S.OpeningCompleted,
    };

    private ProjectView View() => new(S.Profile!, S.Stages.ToList(), S.SuspendedFrom);

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
