using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Rankings;

/// <summary>Where a unit stands on the 红黑榜: named red (best), black (worst), or neither.</summary>
public enum Standing { None, Red, Black }

/// <summary>
/// A department's or town's outcomes, the only things the 红黑榜 judges (never logins, clicks or time online):
/// problems closed, closed on time, overdue now, returns and overdue orders; and its projects' investment completed
/// against plan, time schedule and starts (for a department its responsible projects, for a town the projects in it).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UnitRecord(
    string UnitId,
    string Name,
    DepartmentKind Group,
    int Closed,
    int ClosedOnTime,
    int OverdueNow,
    int Returns,
    int OverdueOrders,
    decimal AnnualPlanned = 0,
    decimal Completed = 0,
    double TimeProgress = 0,
    int PlannedToStart = 0,
    int Started = 0,
    bool InvestmentOnRecord = false);

/// <summary>An exemption from a month's ranking (force majeure), with why and who granted it.</summary>
[GenerateSerializer, Immutable]
public sealed record Exemption(string UnitId, string Reason, string By, string ByName, DateTimeOffset At);

/// <summary>A unit's place: rank within its group (0 without a record or exempted), score and its parts, standing.</summary>
[GenerateSerializer, Immutable]
public sealed record UnitStanding(
    int Rank,
    string UnitId,
    string Name,
    DepartmentKind Group,
    double? Score,
    double? HandlingPart,
    double? InvestmentPart,
    double? StartPart,
    double? OnTimeCloseRate,
    int Closed,
    int OverdueNow,
    int Returns,
    int OverdueOrders,
    Standing Standing,
    Exemption? Exempted = null)
{
    public bool HasRecord => Rank > 0;
}

/// <summary>
/// The published formula of the 红黑榜 (version <see cref="FormulaVersion"/>), one home for the war room's live
/// standings and the monthly snapshots:
/// 办结分 = 100 × 按期办结率 (closed on time ÷ (closed + overdue now)); 投资分 = 100 × min(1, 投资完成率 ÷ 时序进度);
/// 开工分 = 100 × 开工率; score = the weighted mean of the parts a unit has (办结 40, 投资 40, 开工 20) − 5 per return
/// − 10 per overdue order. A unit with none of the parts has no record. Ranked within its group (departments,
/// towns), best first; equal scores share a rank; the best (up to three, never more than half the group, ties all or
/// none) are named red and the worst black, each only when someone scores below (above) them: equal records are
/// never told apart. Exempted units are listed with the reason, neither ranked nor named.
/// </summary>
public static class RankingRules
{
    public const int FormulaVersion = 1;
    public const int Named = 3;
    public const double HandlingWeight = 40, InvestmentWeight = 40, StartWeight = 20, PerReturn = 5, PerOverdueOrder = 10;

    public static (double? Score, double? Handling, double? Investment, double? Start, double? OnTimeRate) Score(UnitRecord u)
    {
        var counted = u.Closed + u.OverdueNow;
        double? onTime = counted == 0 ? null : (double)u.ClosedOnTime / counted;
        double? handling = onTime * 100;
        double? investment = u.InvestmentOnRecord && u.AnnualPlanned > 0 && u.TimeProgress > 0
            ? 100 * Math.Min(1, (double)(u.Completed / u.AnnualPlanned) / u.TimeProgress) : null;
        double? start = u.PlannedToStart > 0 ? 100.0 * u.Started / u.PlannedToStart : null;
        var parts = new[] { (handling, HandlingWeight), (investment, InvestmentWeight), (start, StartWeight) }.Where(p => p.Item1 is not null).ToList();
        if (parts.Count == 0) return (null, null, null, null, onTime);
        var mean = parts.Sum(p => p.Item1!.Value * p.Item2) / parts.Sum(p => p.Item2);
        return (Round(mean - PerReturn * u.Returns - PerOverdueOrder * u.OverdueOrders), Round(handling), Round(investment), Round(start), onTime);
    }

    public static List<UnitStanding> Rank(IEnumerable<UnitRecord> units, IReadOnlyDictionary<string, Exemption>? exemptions = null)
    {
        var result = new List<UnitStanding>();
        foreach (var group in units.GroupBy(u => u.Group).OrderBy(g => g.Key))
        {
            var judged = group.Select(u => (u, s: Score(u), exempt: exemptions?.GetValueOrDefault(u.UnitId))).ToList();
            var ranked = judged.Where(x => x.s.Score is not null && x.exempt is null)
                .OrderByDescending(x => x.s.Score).ThenBy(x => x.u.Name, StringComparer.Ordinal).ToList();
            var named = Math.Min(Named, ranked.Count / 2);
            var best = ranked.Count > 0 ? ranked[0].s.Score : null;
            var worst = ranked.Count > 0 ? ranked[^1].s.Score : null;
            foreach (var x in ranked)
            {
                var rank = 1 + ranked.Count(o => o.s.Score > x.s.Score);
                var atOrAbove = ranked.Count(o => o.s.Score >= x.s.Score);
                var atOrBelow = ranked.Count(o => o.s.Score <= x.s.Score);
                var standing = atOrAbove <= named && x.s.Score > worst ? Standing.Red
                    : atOrBelow <= named && x.s.Score < best ? Standing.Black
                    : Standing.None;
                result.Add(Place(x.u, x.s, rank, standing, null));
            }
            foreach (var x in judged.Where(x => x.s.Score is null || x.exempt is not null).OrderBy(x => x.u.Name, StringComparer.Ordinal))
                result.Add(Place(x.u, x.s, 0, Standing.None, x.exempt));
        }
        return result;
    }

    private static UnitStanding Place(UnitRecord u, (double? Score, double? Handling, double? Investment, double? Start, double? OnTimeRate) s, int rank,
        Standing standing, Exemption? exempt) =>
        new(rank, u.UnitId, u.Name, u.Group, s.Score, s.Handling, s.Investment, s.Start, s.OnTimeRate, u.Closed, u.OverdueNow, u.Returns,
            u.OverdueOrders, standing, exempt);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1, MidpointRounding.AwayFromZero) : null;
}
