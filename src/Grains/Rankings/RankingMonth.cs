using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Rankings;

/// <summary>A month's 红黑榜 as published: frozen standings, the formula version, who published it and when.</summary>
[GenerateSerializer, Immutable]
public sealed record RankingSnapshot(string Month, int FormulaVersion, IReadOnlyList<UnitStanding> Standings, string By, string ByName, DateTimeOffset At);

/// <summary>A month's 红黑榜 record: the exemptions granted, and the snapshot once published.</summary>
[GenerateSerializer, Immutable]
public sealed record RankingMonthView(string Month, IReadOnlyList<Exemption> Exemptions, RankingSnapshot? Published, int Version)
{
    public bool IsPublished => Published is not null;
}

[GenerateSerializer, Immutable]
public sealed record RankingCommandResult(CommandOutcome Outcome, RankingMonthView? Ranking) : ICommandResult<RankingMonthView>
{
    RankingMonthView? ICommandResult<RankingMonthView>.Value => Ranking;

    public static RankingCommandResult Rejected(CommandOutcome outcome) => new(outcome, null);
}

/// <summary>The payload of a ranking month's events.</summary>
public sealed record RankingChanged(RankingMonthView Ranking, string Action, string? UnitId);

/// <summary>
/// A month's 红黑榜 (keyed yyyy-MM): the office grants exemptions for force majeure (with a reason), then publishes
/// the month once it has ended — the standings computed by <see cref="RankingRules"/> from the units' outcomes are
/// frozen and never change after, whatever the figures do. Each change is an event.
/// </summary>
public interface IRankingMonthGrain : IGrainWithStringKey
{
    Task<RankingMonthView> Get();
    Task<RankingCommandResult> Exempt(string commandId, Actor actor, string unitId, string reason);
    Task<RankingCommandResult> Revoke(string commandId, Actor actor, string unitId);
    Task<RankingCommandResult> Publish(string commandId, Actor actor, IReadOnlyList<UnitRecord> units);
}

public static class RankingMonthRules
{
    public const int ReasonMaxLength = 500;
    public const int MaxExemptions = 100;
    public const int MaxUnits = 500;

    /// <summary>A month is published once it is over and its reports are due (after day 5 of the next month).</summary>
    public static bool MayPublish(DateOnly firstOfMonth, DateOnly today) => today > firstOfMonth.AddMonths(1).AddDays(Reports.ReportRules.DueDay - 1);
}
