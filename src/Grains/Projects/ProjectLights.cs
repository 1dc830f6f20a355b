using System.Globalization;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Reports;
using KeyProjects.Grains.Settings;

namespace KeyProjects.Grains.Projects;

/// <summary>
/// What a project's light is judged on: its stage, this year's plan and completed investment (万元), its planned and
/// actual start, the month it was registered in, its latest reported month (if any), and its open red and yellow problems.
/// </summary>
public sealed record ScheduleFacts(
    ProjectStage Stage,
    decimal AnnualPlanned,
    decimal Completed,
    DateOnly? PlannedStart,
    DateOnly? ActualStart,
    string OpeningMonth,
    string? LastReportMonth,
    int RedProblems = 0,
    int YellowProblems = 0)
{
    public static ScheduleFacts Of(ProjectSummary p, string? lastReportMonth) =>
        new(p.Stage, p.AnnualPlannedInvestment, p.CompletedInvestment, p.PlannedStart, p.ActualStart, p.OpeningMonth, lastReportMonth);
}

/// <summary>
/// A project's warning light (项目预警): the worse of its problems' light and its schedule light under the versioned
/// <see cref="ProjectLightRules"/>. Reasons are keys the pages translate ("behind-red:-35.2", "unstarted:2026-03-01",
/// "report-late:2026-09"); <see cref="TurnsBack"/> says what would turn the schedule light back.
/// The library's light filter is the same rule written in SQL (ReadModelQueries), tested equal to this one.
/// </summary>
public static class ProjectLights
{
    /// <summary>The stages whose schedule is judged: a project neither finished nor paused nor still being courted.</summary>
    public static bool Judged(ProjectStage stage) => stage is not (ProjectStage.Suspended or ProjectStage.Completed or ProjectStage.InOperation);

    public static LightReading Schedule(ScheduleFacts p, ProjectLightRules rules, int rulesVersion, DateTimeOffset now)
    {
        var red = new List<string>();
        var yellow = new List<string>();
        if (Judged(p.Stage))
        {
            // Investment is judged once a project has started (before, the not-started rule speaks).
            if (p.ActualStart is not null && Gap(p, now) is { } gap)
            {
                if (OfGap(gap, rules) == WarningLight.Red) red.Add(Reason("behind-red", gap));
                else if (OfGap(gap, rules) == WarningLight.Yellow) yellow.Add(Reason("behind", gap));
            }
            var today = WorkingCalendar.LocalDate(now);
            if (p.ActualStart is null && p.PlannedStart is { } planned && planned.AddMonths(rules.RedUnstartedMonths) < today)
                red.Add("unstarted:" + FigureRules.Day(planned));
            if (p.Stage == ProjectStage.UnderConstruction && LatestOnRecord(p) is { } latest
                && string.CompareOrdinal(latest, LateCutoff(today, rules)) <= 0)
                red.Add("report-late:" + latest);
        }
        return red.Count > 0 ? new LightReading(WarningLight.Red, [.. red, .. yellow], rulesVersion)
            : new LightReading(yellow.Count > 0 ? WarningLight.Yellow : WarningLight.Green, yellow, rulesVersion);
    }

    /// <summary>The colour a gap to 时序进度 (points, as the figures round it) has under the rules; null without a gap.</summary>
    public static WarningLight? OfGap(double? gap, ProjectLightRules rules) => gap switch
    {
        null => null,
        var g when g <= -rules.RedBehindPoints => WarningLight.Red,
        var g when g <= -rules.YellowBehindPoints => WarningLight.Yellow,
        _ => WarningLight.Green,
    };

    /// <summary>The colour alone of a project from its facts (the library's light filter): problems and schedule.</summary>
    public static WarningLight Colour(ScheduleFacts facts, ProblemSettings settings, DateTimeOffset now) =>
        (WarningLight)Math.Max((int)ProblemLights.ProjectColour(facts.RedProblems, facts.YellowProblems, settings.Lights),
            (int)Schedule(facts, settings.ProjectRules, settings.Version, now).Light);

    /// <summary>The project's light: the worse of its problems' and its schedule's, with both reasons.</summary>
    public static LightReading Combine(LightReading problems, LightReading schedule) =>
        new((WarningLight)Math.Max((int)problems.Light, (int)schedule.Light), [.. schedule.Reasons, .. problems.Reasons],
            Math.Max(problems.RulesVersion, schedule.RulesVersion));

    /// <summary>Investment completion (this year) minus 时序进度 now, in points; null without an annual plan.</summary>
    public static double? Gap(ScheduleFacts p, DateTimeOffset now) =>
        p.AnnualPlanned > 0 ? FigureRules.Gap((double)(p.Completed / p.AnnualPlanned), FigureRules.TimeProgressAt(now)) : null;

    /// <summary>
    /// The latest month the project has on record: its latest report, the month it was registered in, or the month
    /// before it started building (reports are owed from the start on), whichever is latest.
    /// </summary>
    public static string? LatestOnRecord(ScheduleFacts facts) =>
        new[] { facts.LastReportMonth, facts.OpeningMonth is { Length: > 0 } o ? o : null, facts.ActualStart is { } s ? ReportRules.MonthOf(s.AddMonths(-1)) : null }
            .Where(m => m is not null).Max(StringComparer.Ordinal);

    /// <summary>The latest month whose report is already due (by day <see cref="ReportRules.DueDay"/> of the next month).</summary>
    public static DateOnly LastDue(DateOnly today) => today.AddMonths(today.Day > ReportRules.DueDay ? -1 : -2);

    /// <summary>A project whose latest month on record is this month or earlier has missed the set number of due reports.</summary>
    public static string LateCutoff(DateOnly today, ProjectLightRules rules) => ReportRules.MonthOf(LastDue(today).AddMonths(-rules.RedReportLateMonths));

    /// <summary>The day before which a planned start, still not started, makes a project red.</summary>
    public static DateOnly UnstartedCutoff(DateOnly today, ProjectLightRules rules) => today.AddMonths(-rules.RedUnstartedMonths);

    /// <summary>
    /// What would turn the schedule light back (for the project page): the investment to report to come within the
    /// yellow threshold (万元), whether a start must be recorded, the months to report.
    /// </summary>
    public static ScheduleRemedy TurnsBack(ScheduleFacts p, ProjectLightRules rules, DateTimeOffset now)
    {
        decimal? invest = null;
        if (Judged(p.Stage) && p.ActualStart is not null && Gap(p, now) is { } gap && gap <= -rules.YellowBehindPoints)
        {
            // Enough for the gap, rounded to 0.1 point as the light reads it, to come out of the threshold.
            var needed = (decimal)(FigureRules.TimeProgressAt(now) - (rules.YellowBehindPoints - 0.05) / 100.0) * p.AnnualPlanned - p.Completed;
            invest = Math.Max(1, Math.Ceiling(needed));
        }
        var today = WorkingCalendar.LocalDate(now);
        var start = Judged(p.Stage) && p.ActualStart is null && p.PlannedStart is { } planned && planned.AddMonths(rules.RedUnstartedMonths) < today;
        var months = new List<string>();
        if (p.Stage == ProjectStage.UnderConstruction && LatestOnRecord(p) is { } latest
            && string.CompareOrdinal(latest, LateCutoff(today, rules)) <= 0 && ReportRules.TryMonth(latest, out var from))
        {
            var due = ReportRules.MonthOf(LastDue(today));
            for (var m = from.AddMonths(1); string.CompareOrdinal(ReportRules.MonthOf(m), due) <= 0; m = m.AddMonths(1)) months.Add(ReportRules.MonthOf(m));
        }
        return new ScheduleRemedy(invest, start, months);
    }

    private static string Reason(string key, double gap) => key + ":" + gap.ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>What turns a schedule light back: investment to report (万元), a start to record, months to report.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleRemedy(decimal? InvestmentToReport, bool RecordStart, IReadOnlyList<string> MonthsToReport)
{
    public bool Any => InvestmentToReport is > 0 || RecordStart || MonthsToReport.Count > 0;
}
