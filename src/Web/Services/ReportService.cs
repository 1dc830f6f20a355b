using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Reports;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>A month's figures as a form or a client sends them (万元, text, %, funds arrived 万元 — none when left out); the reason for a correction.</summary>
public sealed record ReportRequest(decimal? CompletedThisMonth, string? ImageProgress, int? ImageProgressPercent, string? Reason = null, decimal? FundsArrivedThisMonth = null);

/// <summary>How many reports of a month the office locked.</summary>
public sealed record MonthLocked(string Month, int Locked);

/// <summary>Monthly progress reports (月报): thin calls to the report grains; lists from the read model.</summary>
public sealed class ReportService(IGrainFactory grains, ReadModelQueries readModel, ReadAccess access)
{
    /// <summary>A project's reports, when the reader may read the project.</summary>
    public async Task<Readable<IReadOnlyList<ProgressReport>>> List(ClaimsPrincipal user, string code) =>
        (await access.Of(user)).Project(code)
            ? Readable<IReadOnlyList<ProgressReport>>.Found(await readModel.Reports(code))
            : Readable<IReadOnlyList<ProgressReport>>.No(ReadScope.ProjectRefused(code));

    public async Task<Readable<ProgressReportView>> Get(ClaimsPrincipal user, string code, string month)
    {
        if (!(await access.Of(user)).Project(code)) return Readable<ProgressReportView>.No(ReadScope.ProjectRefused(code));
        return Valid(code, month) is null && await Grain(code, month).Get() is { } report
            ? Readable<ProgressReportView>.Found(report)
            : Readable<ProgressReportView>.NotFound("report.not_found", "This month has not been reported.");
    }

    public async Task<ReportCommandResult> Submit(ClaimsPrincipal user, string code, string month, ReportRequest request, string key)
    {
        ReportFigures? figures = null;
        if ((Valid(code, month) ?? Figures(request, out figures)) is { } invalid) return ReportCommandResult.Rejected(invalid);
        if (await access.RefuseAct(user, code) is { } refused) return ReportCommandResult.Rejected(refused);
        return await Grain(code, month).Submit(key, user.ToActor(), figures!);
    }

    /// <summary>A correction; the funds arrived, when left out, stay what the report says (a correction never zeroes them unasked).</summary>
    public async Task<ReportCommandResult> Correct(ClaimsPrincipal user, string code, string month, ReportRequest request, string key)
    {
        ReportFigures? figures = null;
        if ((Valid(code, month) ?? Figures(request, out figures)) is { } invalid) return ReportCommandResult.Rejected(invalid);
        if (await access.RefuseAct(user, code) is { } refused) return ReportCommandResult.Rejected(refused);
        if (request.FundsArrivedThisMonth is null && await Grain(code, month).Get() is { } current)
            figures = figures! with { FundsArrivedThisMonth = current.Report.Figures.FundsArrivedThisMonth };
        return await Grain(code, month).Correct(key, user.ToActor(), figures!, request.Reason ?? "");
    }

    /// <summary>锁定: every report of the month is locked (each with a key derived from the request's, so a retry locks none twice).</summary>
    public async Task<(CommandOutcome Outcome, MonthLocked? Locked)> LockMonth(ClaimsPrincipal user, string month, string key)
    {
        var actor = user.ToActor();
        if (actor.Role != Role.Office) return (CommandOutcome.Forbidden("report.lock_forbidden", "The command office locks a month."), null);
        if (!ReportRules.TryMonth(month, out _)) return (CommandOutcome.Invalid("month", "report.month", "A month is written yyyy-MM."), null);
        // The month first: a report not yet in the lists is refused by it, whatever comes late.
        if (await grains.GetGrain<IReportMonthGrain>(month).Lock(actor) is { Succeeded: false } refused) return (refused, null);
        var locked = 0;
        foreach (var code in await readModel.ReportedProjects(month))
        {
            var result = await Grain(code, month).Lock(CommandId.DeriveGuid("lock-month", key + "\n" + code).ToString("N"), actor);
            if (result.Outcome.Succeeded) locked++;
            else if (result.Outcome.Code != "report.locked") return (result.Outcome, null);
        }
        return (CommandOutcome.Ok, new MonthLocked(month, locked));
    }

    private IProgressReportGrain Grain(string code, string month) => grains.GetGrain<IProgressReportGrain>(ReportRules.Key(code, month));

    private static CommandOutcome? Valid(string code, string month) =>
        string.IsNullOrWhiteSpace(code) || code.Length > 64 ? CommandOutcome.NotFound("project.not_found", $"Project '{code}' does not exist.")
        : !ReportRules.TryMonth(month, out _) ? CommandOutcome.Invalid("month", "report.month", "A month is written yyyy-MM.")
        : null;

    private static CommandOutcome? Figures(ReportRequest r, out ReportFigures? figures)
    {
        figures = null;
        if (r.CompletedThisMonth is not { } amount) return CommandOutcome.Invalid("completedThisMonth", "field.required", "The investment completed this month (万元).");
        if (r.ImageProgressPercent is not { } percent) return CommandOutcome.Invalid("imageProgressPercent", "field.required", "The image progress in per cent.");
        figures = new ReportFigures(amount, r.ImageProgress ?? "", percent, r.FundsArrivedThisMonth ?? 0);
        return null;
    }
}
