using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Live;
using KeyProjects.Grains.Rankings;

namespace KeyProjects.Web.WarRoom;

/// <summary>
/// The headline figures of the war room. Rates are 0..1; <see cref="CompletionGapPoints"/> is investment completion
/// minus 时序进度 (share of the year elapsed) in percentage points.
/// </summary>
public sealed record WarRoomHeadline(
    int Projects,
    int PlannedToStart,
    int Started,
    double? StartRate,
    decimal AnnualPlannedInvestment,
    decimal CompletedInvestment,
    double? CompletionRate,
    double TimeProgress,
    double? CompletionGapPoints,
    int OpenProblems,
    int Green,
    int Yellow,
    int Red,
    int Overdue,
    int Escalated,
    int OpenOrders,
    int OverdueOrders);

public sealed record StageCount(ProjectStage Stage, int Count);

/// <summary>A red problem as the screen lists it: escalated and overdue first, then by deadline.</summary>
public sealed record RedItem(
    Guid ProblemId,
    string Title,
    string ProjectCode,
    string ProjectName,
    string DepartmentId,
    string DepartmentName,
    IReadOnlyList<string> Reasons,
    DateTimeOffset? Deadline,
    int EscalationLevel,
    bool Overdue);

/// <summary>
/// A unit's place on the 红黑榜 as the war room shows it, ranked within its group (departments, towns) by
/// <see cref="RankingRules"/>: the score and its parts (办结分, 投资分, 开工分), the on-time close rate, what is overdue,
/// returns and overdue orders. A unit with no part has no record: no rank, no score (<paramref name="Rank"/> 0).
/// </summary>
public sealed record DepartmentStanding(
    int Rank,
    string DepartmentId,
    string Name,
    double? Score,
    double? OnTimeCloseRate,
    int Overdue,
    int Returns,
    int OverdueOrders,
    Standing Standing,
    DepartmentKind Group = DepartmentKind.Department,
    int Closed = 0,
    double? HandlingPart = null,
    double? InvestmentPart = null,
    double? StartPart = null)
{
    public bool HasRecord => Rank > 0;
}

/// <summary>
/// Everything the screen shows (the factor pools' balances and the approval items past their planned day too), as of feed <paramref name="Epoch"/>/<paramref name="Sequence"/>: events after that
/// sequence number are newer than the snapshot.
/// </summary>
public sealed record WarRoomSnapshot(
    Guid Epoch,
    long Sequence,
    DateTimeOffset At,
    WarRoomHeadline Headline,
    IReadOnlyList<StageCount> Stages,
    IReadOnlyList<RedItem> RedItems,
    IReadOnlyList<DepartmentStanding> Ranking,
    IReadOnlyList<LiveEvent> Ticker,
    IReadOnlyList<FactorBalance>? Factors = null,
    int OverdueApprovals = 0);

/// <summary>A factor pool of the year on the screen: its capacity, what is allocated, what the projects' needs add up to.</summary>
public sealed record FactorBalance(KeyProjects.Grains.Factors.FactorKind Kind, decimal Capacity, decimal Allocated, decimal Balance, decimal Needed);

/// <summary>
/// The answer to the hub's <c>Resume(epoch, lastSequence)</c>: the events the client missed, in order, or — when the
/// feed no longer has them (another epoch after a restart, or too far behind) — a fresh snapshot.
/// </summary>
public sealed record WarRoomResume(Guid Epoch, long Sequence, IReadOnlyList<LiveEvent> Missed, WarRoomSnapshot? Snapshot);

/// <summary>One record behind a figure (数出有据): what it is, where it links, and who last changed it when.</summary>
public sealed record FigureRecord(
    string Kind,
    string Id,
    string Title,
    string Link,
    DateTimeOffset? ChangedAt,
    string? Where = null,
    string? Department = null,
    string? StatusKey = null,
    decimal? Completed = null,
    decimal? Planned = null);
