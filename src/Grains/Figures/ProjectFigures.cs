using System.Globalization;
using KeyProjects.Grains.Reports;

namespace KeyProjects.Grains.Figures;

/// <summary>Whose figures: the whole city, or its projects grouped by responsible department, town or leader.</summary>
public enum FigureGroup
{
    City,
    Department,
    Town,
    Leader,
}

/// <summary>
/// The counts and sums a group's figures are made of, as of the end of a month (all money in 万元). Every one is a
/// plain count or sum over the read model's projects and reports, so it can be recomputed from the reports by hand.
/// </summary>
/// <param name="PlannedToStart">Projects whose planned start falls in the year.</param>
/// <param name="Started">Of those, the ones started (actual start) by the end of the month.</param>
/// <param name="Completed">Investment completed this year to the end of the month: the opening figure of a project
/// registered this year (once its registration month is reached) plus its reports of this year from that month on.</param>
/// <param name="Signed">Signed investment projects: moved to 签约 by the end of the month.</param>
/// <param name="FundsArrived">Funds arrived this year to the month's end at signed projects (from their reports).</param>
/// <param name="ContractsDue">Signed projects whose contract start (planned start) has come by the month's end.</param>
/// <param name="ContractsKept">Of those, the ones started by then (合同履约).</param>
/// <param name="CommissioningDue">Signed projects whose planned completion has come by the month's end.</param>
/// <param name="Commissioned">Of those, the ones in operation (投产) by then.</param>
/// <param name="OnRecord">Projects registered by the month (their registration month not after it): before the first
/// was registered nothing is known of the year's investment, and completion is not a figure (not 0%).</param>
[GenerateSerializer, Immutable]
public sealed record FigureSums(
    int Projects,
    int PlannedToStart,
    int Started,
    decimal AnnualPlanned,
    decimal Completed,
    int Signed,
    decimal SignedAnnualPlanned,
    decimal FundsArrived,
    int ContractsDue,
    int ContractsKept,
    int CommissioningDue,
    int Commissioned,
    int OnRecord)
{
    public static readonly FigureSums None = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>
/// The figures the leadership reads (DOMAIN.md), for one group as of the end of <see cref="Month"/>: rates 0..1 (null
/// where nothing is counted), <see cref="GapPoints"/> = investment completion − 时序进度 in percentage points.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GroupFigures(
    FigureGroup Group,
    string Key,
    string Name,
    string Month,
    FigureSums Sums,
    double TimeProgress,
    double? StartRate,
    double? CompletionRate,
    double? GapPoints,
    double? FundsRate,
    double? ContractRate,
    double? CommissioningRate);

/// <summary>One month of a group's series: cumulative to the month's end.</summary>
[GenerateSerializer, Immutable]
public sealed record MonthFigures(string Month, double TimeProgress, int Started, int PlannedToStart, double? StartRate,
    decimal Completed, decimal AnnualPlanned, double? CompletionRate, double? GapPoints, int OnRecord);

/// <summary>The published formulas (口径) of the figures: one home for every rate and for 时序进度.</summary>
public static class FigureRules
{
    /// <summary>时序进度 at the end of a month: the share of the year elapsed (end of May = 5/12).</summary>
    public static double TimeProgress(string month) =>
        ReportRules.TryMonth(month, out var first) ? first.Month / 12.0 : throw new ArgumentException($"'{month}' is not a month.", nameof(month));

    /// <summary>时序进度 at an instant (the war room, live lights): the share of the year elapsed in Beijing, to the day.</summary>
    public static double TimeProgressAt(DateTimeOffset now)
    {
        var local = now.ToOffset(Settings.WorkingCalendar.ChinaOffset);
        var month = (local.Month - 1) + (local.Day - 1 + local.TimeOfDay.TotalDays) / DateTime.DaysInMonth(local.Year, local.Month);
        return month / 12.0;
    }

    /// <summary>The last day of a month written yyyy-MM.</summary>
    public static DateOnly EndOf(string month) =>
        ReportRules.TryMonth(month, out var first) ? first.AddMonths(1).AddDays(-1) : throw new ArgumentException($"'{month}' is not a month.", nameof(month));

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static GroupFigures Of(FigureGroup group, string key, string name, string month, FigureSums s)
    {
        var progress = TimeProgress(month);
        var completion = s.OnRecord == 0 ? null : Rate(s.Completed, s.AnnualPlanned);
        return new GroupFigures(group, key, name, month, s, progress,
            StartRate: Rate(s.Started, s.PlannedToStart),
            CompletionRate: completion,
            GapPoints: Gap(completion, progress),
            FundsRate: Rate(s.FundsArrived, s.SignedAnnualPlanned),
            ContractRate: Rate(s.ContractsKept, s.ContractsDue),
            CommissioningRate: Rate(s.Commissioned, s.CommissioningDue));
    }

    public static MonthFigures Month(string month, int started, int plannedToStart, decimal completed, decimal annualPlanned, int onRecord)
    {
        var progress = TimeProgress(month);
        var completion = onRecord == 0 ? null : Rate(completed, annualPlanned);
        return new MonthFigures(month, progress, started, plannedToStart, Rate(started, plannedToStart), completed, annualPlanned,
            completion, Gap(completion, progress), onRecord);
    }

    /// <summary>Completion minus 时序进度 in percentage points, to one decimal.</summary>
    public static double? Gap(double? completion, double timeProgress) =>
        completion is { } c ? Math.Round((c - timeProgress) * 100, 1, MidpointRounding.AwayFromZero) : null;

    public static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;

    public static double? Rate(decimal part, decimal whole) => whole == 0 ? null : (double)(part / whole);
}
