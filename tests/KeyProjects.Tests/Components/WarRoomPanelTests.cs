using System.Globalization;
using Bunit;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Live;
using KeyProjects.Web.Components.WarRoom;
using KeyProjects.Grains.Rankings;
using KeyProjects.Web.WarRoom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Radzen;

namespace KeyProjects.Tests.Components;

/// <summary>The big screen's panels rendered with bUnit, in Chinese, with the application's own resources.</summary>
public sealed class WarRoomPanelTests : BunitContext
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-20T10:00:00+08:00"));

    public WarRoomPanelTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddRadzenComponents();
        Services.AddSingleton<TimeProvider>(_clock);
        JSInterop.Mode = JSRuntimeMode.Loose;
        // The chart asks the browser for its size; here the "browser" answers 800×300.
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Width = 800, Height = 300 });
    }

    private static readonly WarRoomHeadline Headline = new(
        Projects: 120, PlannedToStart: 80, Started: 60, StartRate: 0.75, AnnualPlannedInvestment: 1000, CompletedInvestment: 410,
        CompletionRate: 0.41, TimeProgress: 0.894, CompletionGapPoints: -48.4, OpenProblems: 30, Green: 20, Yellow: 6, Red: 4,
        Overdue: 3, Escalated: 2, OpenOrders: 5, OverdueOrders: 1);

    [Fact]
    public void The_headline_shows_the_figures_and_how_far_investment_is_behind_time_progress()
    {
        var panel = Render<HeadlinePanel>(p => p.Add(x => x.H, Headline));

        Assert.Equal("120", panel.Find("[data-testid=value-projects]").TextContent);
        Assert.Equal("75.0%", panel.Find("[data-testid=value-started]").TextContent);
        Assert.Contains("60/80", panel.Find("[data-testid=figure-started]").TextContent);
        Assert.Contains("开工率", panel.Find("[data-testid=figure-started]").TextContent);
        Assert.Contains("低于时序进度 48.4 个百分点", panel.Find("[data-testid=figure-investment]").TextContent);
        Assert.Contains("wr-red", panel.Find("[data-testid=figure-investment]").ClassName);
        Assert.Equal("4", panel.Find("[data-testid=value-red]").TextContent);
        Assert.Empty(panel.FindAll("button")); // the kiosk has nothing to click
    }

    [Fact]
    public void Percentages_read_the_same_whatever_culture_the_render_runs_under()
    {
        // A live update renders on a thread without the request's culture: the figures must not change their look.
        var culture = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var panel = Render<HeadlinePanel>(p => p.Add(x => x.H, Headline));
            Assert.Equal("75.0%", panel.Find("[data-testid=value-started]").TextContent);
            Assert.DoesNotContain(" %", panel.Find("[data-testid=figure-investment]").TextContent);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = culture;
        }
    }

    [Fact]
    public void On_the_office_screen_every_figure_asks_for_the_records_behind_it()
    {
        var asked = new List<string>();
        var panel = Render<HeadlinePanel>(p => p
            .Add(x => x.H, Headline with { CompletionGapPoints = 2.5 })
            .Add(x => x.OnDrill, EventCallback.Factory.Create<string>(this, asked.Add)));

        Assert.Equal(10, panel.FindAll("button.wr-drill").Count);
        Assert.Contains("高出时序进度 2.5 个百分点", panel.Find("[data-testid=figure-investment]").TextContent);
        panel.Find("[data-testid=figure-red]").Click();
        panel.Find("[data-testid=figure-started]").Click();
        Assert.Equal(["red", "started"], asked);
    }

    [Fact]
    public void Red_items_show_escalation_and_reasons_and_say_how_many_more_there_are()
    {
        var items = Enumerable.Range(1, 10).Select(i => new RedItem(Guid.NewGuid(), $"问题{i}", $"2026-{i:000}", "项目", "zrzy", "自然资源和规划局",
            ["resolution-breached", "escalated"], DateTimeOffset.Parse("2026-11-18T16:00:00Z"), i == 1 ? 2 : i == 2 ? 1 : 0, true)).ToList();
        var panel = Render<RedItemsPanel>(p => p.Add(x => x.Items, items).Add(x => x.Max, 8));

        var rows = panel.FindAll("[data-testid=red-item]");
        Assert.Equal(8, rows.Count);
        Assert.Contains("已提报领导小组", rows[0].TextContent);
        Assert.Contains("已报包联领导", rows[1].TextContent);
        Assert.Contains("办结超期", rows[0].TextContent);
        Assert.Contains("11月18日", rows[0].TextContent); // 16:00 UTC is 24:00 of the 18th in Beijing: its last day, not the next morning
        Assert.Contains("另有 2 项", panel.Find("[data-testid=wr-red-more]").TextContent);

        var none = Render<RedItemsPanel>(p => p.Add(x => x.Items, Array.Empty<RedItem>()));
        Assert.Contains("当前没有红灯问题", none.Find("[data-testid=wr-no-red]").TextContent);
    }

    [Fact]
    public void The_ranking_names_the_red_and_the_black_list()
    {
        var rows = new[]
        {
            new DepartmentStanding(1, "czj", "财政局", 100, 1, 0, 0, 0, Standing.Red),
            new DepartmentStanding(2, "fgw", "发展和改革局", 80, 0.9, 1, 0, 0, Standing.None),
            new DepartmentStanding(3, "zrzy", "自然资源和规划局", 45, 0.5, 3, 2, 1, Standing.Black),
        };
        var panel = Render<RankingPanel>(p => p.Add(x => x.Rows, rows));

        var rendered = panel.FindAll("[data-testid=rank-row]");
        Assert.Equal(["czj", "fgw", "zrzy"], rendered.Select(r => r.GetAttribute("data-department")));
        Assert.Contains("红榜", rendered[0].TextContent);
        Assert.Contains("黑榜", rendered[2].TextContent);
        Assert.DoesNotContain("榜", rendered[1].TextContent.Replace("红黑榜", ""));
    }

    private static DepartmentFigures Figures(string id, int closed, double? onTime, int overdue = 0, int returns = 0, int overdueOrders = 0) =>
        new(id, id, 0, closed, null, closed, null, onTime, returns, overdue, 0, overdueOrders);

    [Fact]
    public void Ties_share_a_rank_nobody_is_black_when_everyone_scores_the_same_and_units_without_a_record_are_not_ranked()
    {
        var roster = new[] { "a", "b", "c", "d", "e" }.Select(id => new DepartmentProfile(id, id, DepartmentKind.Department)).ToList();
        // Four perfect records and one unit that has closed nothing and has nothing overdue.
        var ranking = WarRoomService.Ranking(
            [Figures("a", 3, 1), Figures("b", 1, 1), Figures("c", 5, 1), Figures("d", 2, 1), Figures("e", 0, null)], roster);
        var ranked = ranking.Where(r => r.HasRecord).ToList();
        Assert.Equal([1, 1, 1, 1], ranked.Select(r => r.Rank));
        Assert.All(ranked, r => Assert.Equal(Standing.None, r.Standing)); // equal records are neither red nor black
        var none = Assert.Single(ranking, r => !r.HasRecord);
        Assert.Equal("e", none.DepartmentId);
        Assert.Null(none.Score);
    }

    [Fact]
    public void Only_units_scoring_below_the_others_are_black_and_towns_rank_apart_from_departments()
    {
        var roster = new List<DepartmentProfile>
        {
            new("a", "a", DepartmentKind.Department), new("b", "b", DepartmentKind.Department), new("c", "c", DepartmentKind.Department),
            new("d", "d", DepartmentKind.Department), new("t1", "t1", DepartmentKind.Town), new("t2", "t2", DepartmentKind.Town),
        };
        var ranking = WarRoomService.Ranking(
        [
            Figures("a", 4, 1), Figures("b", 4, 1),                       // 100, 100
            Figures("c", 2, 0.5, overdue: 2),                              // 1 on time of 2 closed + 2 overdue = 25
            Figures("d", 0, null, overdue: 1),                             // nothing closed, one overdue: 0
            Figures("t1", 1, 1), Figures("t2", 1, 1, returns: 1),          // towns: 100, 95
        ], roster);
        var departments = ranking.Where(r => r.Group == DepartmentKind.Department).ToList();
        Assert.Equal([("a", 1, Standing.Red), ("b", 1, Standing.Red), ("c", 3, Standing.Black), ("d", 4, Standing.Black)],
            departments.Select(r => (r.DepartmentId, r.Rank, r.Standing)));
        Assert.Equal(25, departments[2].Score);
        Assert.Equal(0, departments[3].Score);
        var towns = ranking.Where(r => r.Group == DepartmentKind.Town).ToList();
        Assert.Equal([("t1", 1, Standing.Red), ("t2", 2, Standing.Black)], towns.Select(r => (r.DepartmentId, r.Rank, r.Standing)));
    }

    [Fact]
    public void The_ranking_panel_says_how_the_score_is_computed_and_lists_units_without_a_record()
    {
        var rows = new[]
        {
            new DepartmentStanding(1, "czj", "财政局", 100, 1, 0, 0, 0, Standing.None),
            new DepartmentStanding(0, "tjj", "统计局", null, null, 0, 0, 0, Standing.None),
            new DepartmentStanding(1, "nanhu", "南湖镇", 90, 0.9, 0, 0, 0, Standing.None, DepartmentKind.Town),
        };
        var panel = Render<RankingPanel>(p => p.Add(x => x.Rows, rows));
        Assert.Contains("按期办结率", panel.Find("[data-testid=rank-rule]").TextContent);
        Assert.Equal(2, panel.FindAll("[data-testid=rank-group]").Count);
        Assert.Contains("统计局", panel.Find("[data-testid=rank-no-record]").TextContent);
        Assert.DoesNotContain(panel.FindAll("[data-testid=rank-row]"), r => r.GetAttribute("data-department") == "tjj");
    }

    [Fact]
    public void The_ticker_shows_the_city_s_changes_in_chinese_and_not_personal_notifications()
    {
        var at = DateTimeOffset.Parse("2026-11-20T02:03:04Z");
        var events = new[]
        {
            new LiveEvent(Guid.Empty, 3, at, new LiveChange("problem.claimed", "p1", "2026-001", "zrzy", "用地指标", "刘科长", at)),
            new LiveEvent(Guid.Empty, 2, at, new LiveChange("notification.posted", "user:zrzy", null, null, "私人提醒", "", at)),
            new LiveEvent(Guid.Empty, 1, at, new LiveChange("directive.issued", "d1", "2026-001", "zrzy", "督办", "张市长", at)),
        };
        var panel = Render<TickerPanel>(p => p.Add(x => x.Events, events));

        var items = panel.FindAll("[data-testid=ticker-item]");
        Assert.Equal(["3", "1"], items.Select(i => i.GetAttribute("data-sequence")));
        Assert.Contains("已认领", items[0].TextContent);
        Assert.Contains("10:03:04", items[0].TextContent);
        Assert.Contains("督办动态", items[1].TextContent);
        Assert.DoesNotContain("私人提醒", panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid=wr-ticker-empty]"));

        var quiet = Render<TickerPanel>(p => p.Add(x => x.Events, [events[1]]));
        Assert.Contains("暂无新动态", quiet.Find("[data-testid=wr-ticker-empty]").TextContent);
    }

    [Fact]
    public void Rotating_panels_move_on_every_cycle_of_the_clock()
    {
        RenderFragment one = b => b.AddMarkupContent(0, "<p id=one>一</p>");
        RenderFragment two = b => b.AddMarkupContent(0, "<p id=two>二</p>");
        var panels = Render<RotatingPanels>(p => p.Add(x => x.Panels, [one, two]).Add(x => x.Cycle, TimeSpan.FromSeconds(15)));

        Assert.NotNull(panels.Find("#one"));
        _clock.Advance(TimeSpan.FromSeconds(15));
        panels.WaitForAssertion(() => Assert.NotNull(panels.Find("#two")));
        _clock.Advance(TimeSpan.FromSeconds(15));
        panels.WaitForAssertion(() => Assert.NotNull(panels.Find("#one")));
    }

    [Fact]
    public void Projects_by_stage_are_charted_with_their_chinese_names()
    {
        var stages = Enum.GetValues<ProjectStage>().Select((s, i) => new StageCount(s, i + 1)).ToList();
        var panel = Render<StagePanel>(p => p.Add(x => x.Stages, stages));

        var items = panel.FindAll("[data-testid=stage]");
        Assert.Equal(8, items.Count);
        Assert.Contains("在建", items.Single(i => i.GetAttribute("data-stage") == "UnderConstruction").TextContent);
        Assert.NotNull(panel.Find(".rz-chart"));
    }
}
