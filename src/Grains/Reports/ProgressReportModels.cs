using System.Globalization;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Settings;

namespace KeyProjects.Grains.Reports;

/// <summary>
/// What a monthly report says: investment completed in the month (万元), image progress (text and %), and the funds
/// that arrived at the project in the month (到位资金, 万元: what 资金到位率 counts for signed investment projects).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReportFigures(decimal CompletedThisMonth, string ImageProgress, int ImageProgressPercent, decimal FundsArrivedThisMonth = 0);

/// <summary>One version of a report: the first submission, then each correction with who made it and why.</summary>
[GenerateSerializer, Immutable]
public sealed record ReportVersion(int Version, ReportFigures Figures, string By, string ByName, DateTimeOffset At, string? Reason);

/// <summary>
/// A photo of the month's image progress (形象进度照片): its id (the bytes are kept by the app's photo store), a caption,
/// its type and size in pixels and bytes, who uploaded it and when.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReportPhoto(Guid Id, string Caption, string ContentType, int Width, int Height, long Bytes, string By, string ByName, DateTimeOffset At);

/// <summary>A project's report for a month (月报) as lists and figures read it, with its photos.</summary>
[GenerateSerializer, Immutable]
public sealed record ProgressReport(
    string ProjectCode,
    string Month,
    ReportFigures Figures,
    string ReportedBy,
    string ReportedByName,
    DateTimeOffset ReportedAt,
    bool Late,
    bool Locked,
    int Corrections,
    int Version,
    IReadOnlyList<ReportPhoto>? Photos = null);

[GenerateSerializer, Immutable]
public sealed record ProgressReportView(ProgressReport Report, IReadOnlyList<ReportVersion> Versions);

[GenerateSerializer, Immutable]
public sealed record ReportCommandResult(CommandOutcome Outcome, ProgressReportView? Report) : ICommandResult<ProgressReportView>
{
    ProgressReportView? ICommandResult<ProgressReportView>.Value => Report;

    public static ReportCommandResult Rejected(CommandOutcome outcome) => new(outcome, null);
}

/// <summary>The payload of a report's events.</summary>
public sealed record ReportChanged(ProgressReport Report, string Action, string? Reason);

/// <summary>The rules of monthly reports.</summary>
public static class ReportRules
{
    /// <summary>A month's report is due by the end of this day of the next month (later ones are flagged 迟报).</summary>
    public const int DueDay = 5;
    public const int TextMaxLength = 500;
    public const int MaxVersions = 30;
    public const decimal MaxAmount = 10_000_000m;

    /// <summary>Photos a month's report may carry, and the longest caption.</summary>
    public const int MaxPhotos = 9;
    public const int CaptionMaxLength = 100;

    /// <summary>The report grain's key: the project code and the month.</summary>
    public static string Key(string projectCode, string month) => projectCode + ":" + month;

    /// <summary>The first day of a month written yyyy-MM.</summary>
    public static bool TryMonth(string month, out DateOnly first) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first);

    /// <summary>The month reporters are filling in on a day: last month until its reports are due, then this month.</summary>
    public static string MonthBeingReported(DateOnly today) => MonthOf(today.Day <= DueDay ? today.AddMonths(-1) : today);

    public static string MonthOf(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>24:00 of the due day of the next month, Beijing time.</summary>
    public static DateTimeOffset DueAt(DateOnly firstOfMonth) =>
        new(firstOfMonth.AddMonths(1).AddDays(DueDay).ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset);

    public static CommandOutcome? Validate(ReportFigures f)
    {
        if (f.CompletedThisMonth < 0 || f.CompletedThisMonth > MaxAmount)
            return CommandOutcome.Invalid("completedThisMonth", "report.amount", $"0 to {MaxAmount} (万元).");
        if (f.FundsArrivedThisMonth < 0 || f.FundsArrivedThisMonth > MaxAmount)
            return CommandOutcome.Invalid("fundsArrivedThisMonth", "report.amount", $"0 to {MaxAmount} (万元).");
        if (f.ImageProgressPercent is < 0 or > 100)
            return CommandOutcome.Invalid("imageProgressPercent", "report.percent", "0 to 100.");
        return CommandOutcome.RequiredText("imageProgress", f.ImageProgress, TextMaxLength);
    }
}
