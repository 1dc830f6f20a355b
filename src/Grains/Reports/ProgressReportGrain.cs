using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Projects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Reports;

public sealed class ProgressReportState
{
    public bool Submitted { get; set; }
    public string ProjectName { get; set; } = "";
    public string DepartmentId { get; set; } = "";
    public string LeaderId { get; set; } = "";
    public List<ReportVersion> Versions { get; set; } = [];
    public string ReportedBy { get; set; } = "";
    public string ReportedByName { get; set; } = "";
    public DateTimeOffset ReportedAt { get; set; }
    public bool Late { get; set; }
    public bool Locked { get; set; }
    public int Version { get; set; }

    /// <summary>The version the project has taken into its figures (it is told after each change, until it has it).</summary>
    public int ProjectTold { get; set; }

    /// <summary>The month's photos (ids and captions; the bytes are in the photo store): at most <see cref="ReportRules.MaxPhotos"/>.</summary>
    public List<ReportPhoto> Photos { get; set; } = [];
    public List<ProcessedCommand> RecentCommands { get; set; } = [];
    public List<DomainEvent> Outbox { get; set; } = [];
}

public sealed class ProgressReportGrain(
    [PersistentState("progress-report")] IPersistentState<ProgressReportState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<ProgressReportGrain> logger) : Grain, IProgressReportGrain
{
    private ProgressReportState S => state.State;
    private string Key => this.GetPrimaryKeyString();
    private string ProjectCode => Key[..Key.LastIndexOf(':')];
    private string Month => Key[(Key.LastIndexOf(':') + 1)..];

    public Task<ProgressReportView?> Get() => Task.FromResult(S.Submitted ? View() : null);

    public async Task<ReportCommandResult> Submit(string commandId, Actor actor, ReportFigures figures)
    {
        if (await Replay(commandId, "submit", actor) is { } replay) return replay;
        if (actor.Role is not (Role.ProjectReporter or Role.Office))
            return ReportCommandResult.Rejected(CommandOutcome.Forbidden("report.submit_forbidden", "The project's reporter (or the office) reports its progress."));
        if (!ReportRules.TryMonth(Month, out var first))
            return ReportCommandResult.Rejected(CommandOutcome.Invalid("month", "report.month", "A month is written yyyy-MM."));
        var now = clock.GetUtcNow();
        var today = Settings.WorkingCalendar.LocalDate(now);
        if (first > today)
            return ReportCommandResult.Rejected(CommandOutcome.Invalid("month", "report.month_ahead", "A month is reported once it has begun."));
        if (first.Year < today.Year - 1)
            return ReportCommandResult.Rejected(CommandOutcome.Invalid("month", "report.month_old", "Months of this year and last year are reported."));
        if (ReportRules.Validate(figures) is { } invalid) return ReportCommandResult.Rejected(invalid);
        if (S.Submitted) return ReportCommandResult.Rejected(CommandOutcome.Conflict("report.exists", "This month is reported; correct it with a reason."));
        if (await MonthLocked()) return ReportCommandResult.Rejected(CommandOutcome.Conflict("report.locked", "The office has locked this month."));
        var project = await GrainFactory.GetGrain<IProjectGrain>(ProjectCode).GetProfile();
        if (project is null) return ReportCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", $"Project '{ProjectCode}' does not exist."));

        S.Submitted = true;
        (S.ProjectName, S.DepartmentId, S.LeaderId) = (project.Name, project.ResponsibleDepartmentId, project.ResponsibleLeaderId);
        (S.ReportedBy, S.ReportedByName, S.ReportedAt) = (actor.UserName, actor.DisplayName, now);
        S.Late = now > ReportRules.DueAt(first);
        S.Versions.Add(new ReportVersion(1, Clean(figures), actor.UserName, actor.DisplayName, now, null));
        return await Commit(commandId, "submit", actor, "submitted", null);
    }

    public async Task<ReportCommandResult> Correct(string commandId, Actor actor, ReportFigures figures, string reason)
    {
        if (await Replay(commandId, "correct", actor) is { } replay) return replay;
        if (actor.Role is not (Role.ProjectReporter or Role.Office))
            return ReportCommandResult.Rejected(CommandOutcome.Forbidden("report.submit_forbidden", "The project's reporter (or the office) corrects its report."));
        if (ReportRules.Validate(figures) is { } invalid) return ReportCommandResult.Rejected(invalid);
        if (CommandOutcome.RequiredText("reason", reason, ReportRules.TextMaxLength) is { } noReason) return ReportCommandResult.Rejected(noReason);
        if (!S.Submitted) return ReportCommandResult.Rejected(CommandOutcome.NotFound("report.not_found", "This month has not been reported."));
        if (S.Locked || await MonthLocked()) return ReportCommandResult.Rejected(CommandOutcome.Conflict("report.locked", "The office has locked this month."));
        if (S.Versions.Count >= ReportRules.MaxVersions)
            return ReportCommandResult.Rejected(CommandOutcome.Conflict("report.too_many_corrections", "This report has no room for more corrections."));
        S.Versions.Add(new ReportVersion(S.Versions.Count + 1, Clean(figures), actor.UserName, actor.DisplayName, clock.GetUtcNow(), reason.Trim()));
        return await Commit(commandId, "correct", actor, "corrected", reason.Trim());
    }

    public async Task<ReportCommandResult> Lock(string commandId, Actor actor)
    {
        if (await Replay(commandId, "lock", actor) is { } replay) return replay;
        if (actor.Role is not Role.Office)
            return ReportCommandResult.Rejected(CommandOutcome.Forbidden("report.lock_forbidden", "The command office locks a month."));
        if (!S.Submitted) return ReportCommandResult.Rejected(CommandOutcome.NotFound("report.not_found", "This month has not been reported."));
        if (S.Locked) return ReportCommandResult.Rejected(CommandOutcome.Conflict("report.locked", "The office has locked this month."));
        S.Locked = true;
        return await Commit(commandId, "lock", actor, "locked", null);
    }

    public async Task<ReportCommandResult> AttachPhoto(string commandId, Actor actor, ReportPhoto photo)
    {
        if (await Replay(commandId, "photo", actor) is { } replay) return replay;
        if (actor.Role is not (Role.ProjectReporter or Role.Office))
            return ReportCommandResult.Rejected(CommandOutcome.Forbidden("report.submit_forbidden", "The project's reporter (or the office) adds the month's photos."));
        if (photo.Caption.Length > ReportRules.CaptionMaxLength)
            return ReportCommandResult.Rejected(CommandOutcome.Invalid("caption", "text.too_long", $"At most {ReportRules.CaptionMaxLength} characters."));
        if (!S.Submitted) return ReportCommandResult.Rejected(CommandOutcome.NotFound("report.not_found", "Report the month first, then add its photos."));
        if (S.Locked || await MonthLocked()) return ReportCommandResult.Rejected(CommandOutcome.Conflict("report.locked", "The office has locked this month."));
        if (S.Photos.Count >= ReportRules.MaxPhotos)
            return ReportCommandResult.Rejected(CommandOutcome.Conflict("report.too_many_photos", $"A month's report carries at most {ReportRules.MaxPhotos} photos."));
        S.Photos.Add(photo with { Caption = photo.Caption.Trim(), By = actor.UserName, ByName = actor.DisplayName, At = clock.GetUtcNow() });
        return await Commit(commandId, "photo", actor, "photo-added", null);
    }

    private Task<bool> MonthLocked() => GrainFactory.GetGrain<IReportMonthGrain>(Month).IsLocked();

    private static ReportFigures Clean(ReportFigures f) => f with { CompletedThisMonth = Math.Round(f.CompletedThisMonth, 2), FundsArrivedThisMonth = Math.Round(f.FundsArrivedThisMonth, 2), ImageProgress = f.ImageProgress.Trim() };

    private Task<ReportCommandResult?> Replay(string commandId, string kind, Actor actor) =>
        CommandLog.Replay(S.RecentCommands, commandId, kind, actor, HandOn, () => new ReportCommandResult(CommandOutcome.Ok, View()), ReportCommandResult.Rejected);

    private async Task<ReportCommandResult> Commit(string commandId, string kind, Actor actor, string action, string? reason)
    {
        var now = clock.GetUtcNow();
        S.Version++;
        CommandLog.Remember(S.RecentCommands, commandId, kind, actor, now);
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Report, Key), S.Version, "report." + action, actor.UserName, actor.DisplayName, now,
            new EventConcerns(Key, ProjectCode, S.DepartmentId, [S.DepartmentId], S.LeaderId, $"{S.ProjectName} {Month}", []),
            EventJson.Write(new ReportChanged(Summary(), action, reason))));
        await GrainState.Persist(this, state);
        await HandOn();
        return new ReportCommandResult(CommandOutcome.Ok, View());
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Report {Key}");

    /// <summary>
    /// Hands the events to the log, then tells the project the month's figures until it has this version: a failure
    /// propagates to the caller and a timer tries again while the grain is active (and every activation does).
    /// </summary>
    private async Task HandOn()
    {
        await Delivery.HandOn();
        try
        {
            await TellProject();
        }
        catch
        {
            _tell ??= this.RegisterGrainTimer(async _ =>
            {
                try
                {
                    await TellProject();
                    _tell?.Dispose();
                    _tell = null;
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Report {Report}: the project has not yet taken version {Version}; trying again in {Interval}", Key, S.Version, OutboxDelivery.RetryEvery);
                }
            }, OutboxDelivery.RetryEvery, OutboxDelivery.RetryEvery);
            throw;
        }
    }

    private IGrainTimer? _tell;

    private async Task TellProject()
    {
        if (S.ProjectTold >= S.Version) return;
        await GrainFactory.GetGrain<IProjectGrain>(ProjectCode).TakeReport(Month, S.Version, S.Versions[^1].Figures);
        S.ProjectTold = S.Version;
        await GrainState.Persist(this, state);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Delivery.HandOnAtActivation();
        if (S.Submitted && S.ProjectTold < S.Version)
        {
            try
            {
                await HandOn();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Report {Report}: the project has not yet taken version {Version}; the next command or activation tells it", Key, S.Version);
            }
        }
    }

    private ProgressReport Summary() => new(ProjectCode, Month, S.Versions[^1].Figures, S.ReportedBy, S.ReportedByName, S.ReportedAt, S.Late, S.Locked,
        S.Versions.Count - 1, S.Version, S.Photos.ToList());

    private ProgressReportView View() => new(Summary(), S.Versions.ToList());
}
