using System.Net;
using System.Net.Http.Json;
using DocumentFormat.OpenXml.Packaging;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Rankings;
using KeyProjects.Grains.Reports;
using KeyProjects.Grains.Settings;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The monthly 红黑榜 on PostgreSQL through the web API: every score follows the published formula from the units'
/// outcomes (checked against the figures API), an exemption takes a unit out with its reason, publishing freezes the
/// month (later changes do not move it; exemptions and a second publish are refused), the next month compares with
/// it, and the bulletin .docx holds the month's figures, the frozen ranking and the reports behind the figures.
/// </summary>
public sealed class RankingApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    [Fact]
    public async Task A_months_ranking_follows_the_formula_honours_an_exemption_is_frozen_when_published_and_fills_the_bulletin()
    {
        using var office = await centre.As("office");
        using var mayor = await centre.As("mayor");
        using var reporter = await centre.As("reporter");
        var today = WorkingCalendar.LocalDate(DateTimeOffset.UtcNow);
        // The latest month that may be published (its reports due: after the 5th of the next month) and the one before.
        var latest = today.AddMonths(today.Day > ReportRules.DueDay ? -1 : -2);
        var (twoAgo, last, now) = (ReportRules.MonthOf(latest.AddMonths(-1)), ReportRules.MonthOf(latest), ReportRules.MonthOf(today));

        // This month's investment puts the towns' projects on record: the draft of this month judges towns on them.
        var projects = (await office.GetFromJsonAsync<KeyProjects.Silo.ReadModel.Page<KeyProjects.Grains.Projects.ProjectSummary>>("/api/projects?limit=500", CommandCentre.Json))!.Items;
        foreach (var p in projects.Where((_, i) => i % 3 == 0))
            (await office.PostAsJsonAsync($"/api/projects/{p.Code}/reports/{now}", new { completedThisMonth = 100 + p.Code.Length * 37 % 900, imageProgress = "施工", imageProgressPercent = 50 })).EnsureSuccessStatusCode();

        // The draft of this month: every score is the formula applied to the unit's own outcomes and its projects' figures.
        // (Both are read until they agree: figures are served from memory between changes, and the last report's event
        // reaches the web host a moment after its command returned.)
        var roster = (await mayor.GetFromJsonAsync<List<DepartmentProfile>>("/api/departments", CommandCentre.Json))!;
        double? Investment(FigureTable towns, UnitStanding s) =>
            towns.Rows.FirstOrDefault(r => r.Key == roster.Single(d => d.Id == s.UnitId).Name) is { CompletionRate: { } rate } town
                ? Math.Round(100 * Math.Min(1, rate / town.TimeProgress), 1, MidpointRounding.AwayFromZero) : null;
        var (draft, townTable) = await Eventually.Get(async () =>
                ((await mayor.GetFromJsonAsync<RankingView>($"/api/rankings/{now}", CommandCentre.Json))!,
                 (await mayor.GetFromJsonAsync<FigureTable>($"/api/figures?by=Town&month={now}", CommandCentre.Json))!),
            x => x.Item1.Standings.Where(s => s.Group == DepartmentKind.Town && s.HasRecord).All(s => Investment(x.Item2, s) == s.InvestmentPart),
            "the draft and the figures agree");
        Assert.Null(draft.Published);
        var towns = townTable.Rows.ToDictionary(r => r.Key);
        var ranked = draft.Standings.Where(s => s.HasRecord).ToList();
        Assert.True(ranked.Count(s => s.Group == DepartmentKind.Town) >= 5, "towns are ranked on their projects");
        foreach (var s in ranked)
        {
            double? investment = null;
            if (s.Group == DepartmentKind.Town && towns.TryGetValue(roster.Single(d => d.Id == s.UnitId).Name, out var town) && town.CompletionRate is { } rate)
                investment = Math.Round(100 * Math.Min(1, rate / town.TimeProgress), 1, MidpointRounding.AwayFromZero);
            if (s.Group == DepartmentKind.Town) Assert.Equal(investment, s.InvestmentPart);
            var parts = new[] { (s.HandlingPart, 40.0), (s.InvestmentPart, 40.0), (s.StartPart, 20.0) }.Where(p => p.Item1 is not null).ToList();
            var expected = Math.Round(parts.Sum(p => p.Item1!.Value * p.Item2) / parts.Sum(p => p.Item2) - 5 * s.Returns - 10 * s.OverdueOrders, 1);
            Assert.True(Math.Abs(expected - s.Score!.Value) <= 0.11, $"{s.Name}: score {s.Score}, formula {expected}");
        }
        // Ranks: best first, equal scores share one; a unit named black has someone above it.
        foreach (var group in ranked.GroupBy(s => s.Group))
            foreach (var s in group)
            {
                Assert.Equal(1 + group.Count(o => o.Score > s.Score), s.Rank);
                if (s.Standing == Standing.Black) Assert.Contains(group, o => o.Score > s.Score);
            }

        // An exemption (force majeure): named with its reason and who granted it, neither ranked nor named; bad ones are named.
        var worst = ranked.Where(s => s.Group == DepartmentKind.Town).OrderBy(s => s.Score).First();
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/rankings/{last}/exemptions", new { unitId = worst.UnitId, reason = "" }), HttpStatusCode.BadRequest, "reason");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/rankings/{last}/exemptions", new { unitId = "nowhere", reason = "暴雨" }), HttpStatusCode.NotFound, "department.not_found");
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/rankings/2026-13/exemptions", new { unitId = worst.UnitId, reason = "暴雨" }), HttpStatusCode.BadRequest, "month");
        await ApiAssert.Refused(await mayor.PostAsJsonAsync($"/api/rankings/{last}/exemptions", new { unitId = worst.UnitId, reason = "暴雨" }), HttpStatusCode.Forbidden, "ranking.forbidden");
        await ApiAssert.Ok<RankingMonthView>(await office.PostAsJsonAsync($"/api/rankings/{last}/exemptions", new { unitId = worst.UnitId, reason = "特大暴雨停工七日" }));
        var exempted = (await mayor.GetFromJsonAsync<RankingView>($"/api/rankings/{last}", CommandCentre.Json))!.Standings.Single(s => s.UnitId == worst.UnitId);
        Assert.Equal((0, Standing.None, "特大暴雨停工七日", "office"), (exempted.Rank, exempted.Standing, exempted.Exempted!.Reason, exempted.Exempted.By));

        // Publishing: not a month still running; two months ago first, then last month, which compares with it.
        await ApiAssert.Refused(await office.PostAsync($"/api/rankings/{now}/publish", null), HttpStatusCode.Conflict, "ranking.month_not_over");
        await ApiAssert.Refused(await mayor.PostAsync($"/api/rankings/{last}/publish", null), HttpStatusCode.Forbidden, "ranking.forbidden");
        await ApiAssert.Ok<RankingMonthView>(await office.PostAsync($"/api/rankings/{twoAgo}/publish", null));
        var published = await ApiAssert.Ok<RankingMonthView>(await office.PostAsync($"/api/rankings/{last}/publish", null));
        Assert.Equal(("office", RankingRules.FormulaVersion), (published.Published!.By, published.Published.FormulaVersion));
        var frozen = (await mayor.GetFromJsonAsync<RankingView>($"/api/rankings/{last}", CommandCentre.Json))!;
        Assert.Equal(twoAgo, frozen.PreviousMonth);
        Assert.NotEmpty(frozen.PreviousRanks);

        // Frozen: a problem raised and the month's figures moving change the draft of this month, never the published month.
        (await office.PostAsJsonAsync($"/api/projects/{projects[0].Code}/problems", new { title = "冻结测试问题", description = "红黑榜冻结", category = "Land", severity = "Urgent", leadDepartmentId = "zrzy" })).EnsureSuccessStatusCode();
        (await office.PostAsJsonAsync($"/api/projects/{projects[1].Code}/reports/{last}", new { completedThisMonth = 5000, imageProgress = "补报", imageProgressPercent = 60 })).EnsureSuccessStatusCode();
        var again = (await mayor.GetFromJsonAsync<RankingView>($"/api/rankings/{last}", CommandCentre.Json))!;
        Assert.Equal(frozen.Standings.Select(s => (s.UnitId, s.Rank, s.Score, s.Standing)), again.Standings.Select(s => (s.UnitId, s.Rank, s.Score, s.Standing)));
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/rankings/{last}/exemptions", new { unitId = worst.UnitId, reason = "再豁免" }), HttpStatusCode.Conflict, "ranking.published");
        await ApiAssert.Refused(await office.PostAsync($"/api/rankings/{last}/publish", null), HttpStatusCode.Conflict, "ranking.published");

        // The bulletin: the month's figures, the frozen ranking with the exemption, and who reported the figures.
        var text = Text(await office.GetByteArrayAsync($"/api/bulletins/{now}.docx"));
        Assert.Contains("重点项目建设月通报", text);
        Assert.Contains("草稿", text); // this month is not published
        foreach (var town in towns.Values) Assert.Contains(town.Name, text);
        Assert.Contains("项目办 周主任", text); // who reported the figures (the office, for projects of every owner)
        var published2 = Text(await mayor.GetByteArrayAsync($"/api/bulletins/{last}.docx"));
        Assert.Contains("已审定发布", published2);
        Assert.Contains("特大暴雨停工七日", published2);
        foreach (var s in frozen.Standings.Where(s => s.Standing != Standing.None)) Assert.Contains(s.Name, published2);
        using (var denied = await reporter.GetAsync($"/api/bulletins/{last}.docx")) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        await ApiAssert.Refused(await office.GetAsync("/api/bulletins/2026-1.docx"), HttpStatusCode.BadRequest, "month");
    }

    private static string Text(byte[] docx)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        return string.Join("\n", doc.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }
}
