using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Rankings;

namespace KeyProjects.Tests.Domain;

/// <summary>The 红黑榜's published formula on hand-made outcomes: the parts, their weights, exemptions, ties.</summary>
public sealed class RankingRulesTests
{
    private static UnitRecord Unit(string id, int closed = 0, int onTime = 0, int overdue = 0, int returns = 0, int orders = 0,
        decimal planned = 0, decimal completed = 0, int plannedToStart = 0, int started = 0, DepartmentKind group = DepartmentKind.Town) =>
        new(id, id, group, closed, onTime, overdue, returns, orders, planned, completed, 0.5, plannedToStart, started, planned > 0);

    [Fact]
    public void The_score_is_the_weighted_mean_of_the_parts_a_unit_has_less_returns_and_overdue_orders()
    {
        // Handling 3 on time of (4 closed + 0 overdue) = 75; investment 40% against 50% = 80; starts 1 of 2 = 50.
        var all = RankingRules.Score(Unit("a", closed: 4, onTime: 3, planned: 1000, completed: 400, plannedToStart: 2, started: 1));
        Assert.Equal((75.0 * 40 + 80 * 40 + 50 * 20) / 100, all.Score);
        Assert.Equal((75.0, 80.0, 50.0), (all.Handling!.Value, all.Investment!.Value, all.Start!.Value));
        // Ahead of the schedule counts as full marks, never more.
        Assert.Equal(100, RankingRules.Score(Unit("b", planned: 1000, completed: 900)).Investment);
        // Only the parts a unit has: a town with projects and no problems is judged on its projects alone.
        Assert.Equal(80, RankingRules.Score(Unit("c", planned: 1000, completed: 400)).Score);
        Assert.Equal(80 - 5 - 10, RankingRules.Score(Unit("d", planned: 1000, completed: 400, returns: 1, orders: 1)).Score);
        Assert.Null(RankingRules.Score(Unit("e")).Score); // nothing to judge: no record
    }

    [Fact]
    public void An_exempted_unit_is_neither_ranked_nor_named_and_the_others_close_ranks()
    {
        var units = new[] { Unit("a", planned: 100, completed: 50), Unit("b", planned: 100, completed: 40), Unit("c", planned: 100, completed: 30),
            Unit("d", planned: 100, completed: 20), Unit("e", planned: 100, completed: 10) };
        var plain = RankingRules.Rank(units);
        Assert.Equal(Standing.Black, plain.Single(s => s.UnitId == "e").Standing);
        var exemption = new Exemption("e", "暴雨停工", "office", "项目办", DateTimeOffset.UnixEpoch);
        var exempted = RankingRules.Rank(units, new Dictionary<string, Exemption> { ["e"] = exemption });
        var e = exempted.Single(s => s.UnitId == "e");
        Assert.Equal((0, Standing.None, exemption), (e.Rank, e.Standing, e.Exempted));
        Assert.Equal([("a", 1, Standing.Red), ("b", 2, Standing.Red), ("c", 3, Standing.Black), ("d", 4, Standing.Black)],
            exempted.Where(s => s.HasRecord).Select(s => (s.UnitId, s.Rank, s.Standing)));
    }

    [Fact]
    public void Units_tied_at_the_bottom_share_a_rank_and_are_named_black_only_together_within_the_named_places()
    {
        // Five units: two tied at the bottom. Two places are named (never more than half): both tied units are black.
        var units = new[] { Unit("a", planned: 100, completed: 50), Unit("b", planned: 100, completed: 45), Unit("c", planned: 100, completed: 40),
            Unit("d", planned: 100, completed: 10), Unit("e", planned: 100, completed: 10) };
        var ranked = RankingRules.Rank(units);
        Assert.Equal([1, 2, 3, 4, 4], ranked.Select(s => s.Rank));
        Assert.Equal([Standing.Black, Standing.Black], ranked.Where(s => s.Rank == 4).Select(s => s.Standing));
        // Three tied at the bottom do not fit two places: none of them is named black, and nobody else is either.
        var three = RankingRules.Rank([.. units.Take(2), Unit("c", planned: 100, completed: 10), .. units.Skip(3)]);
        Assert.DoesNotContain(three, s => s.Standing == Standing.Black);
        // Departments and towns are ranked apart.
        var mixed = RankingRules.Rank([Unit("t", planned: 100, completed: 50), Unit("x", planned: 100, completed: 10, group: DepartmentKind.Department)]);
        Assert.All(mixed, s => Assert.Equal(1, s.Rank));
    }
}
