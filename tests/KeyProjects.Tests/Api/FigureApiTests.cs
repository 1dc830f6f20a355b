using System.Net;
using System.Net.Http.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Reports;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;
using Xunit.Abstractions;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The figures leaders read, on PostgreSQL through the web API: after random stage walks, reports and corrections on
/// the demo city's projects, every group's figures for every month of the year equal a recomputation done here from
/// the raw material (each project's library line and its reports, read one by one), the drill-down lists the reports
/// each figure came from, the export holds the same numbers, and bad requests are named.
/// </summary>
public sealed class FigureApiTests(ClusterCommandCentre centre, ITestOutputHelper output) : IClassFixture<ClusterCommandCentre>
{
    [Fact]
    public async Task Every_groups_figures_for_every_month_equal_a_recomputation_from_the_raw_reports()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var office = await centre.As("office");
        using var reporter = await centre.As("reporter");
        var today = WorkingCalendar.LocalDate(DateTimeOffset.UtcNow);
        var thisMonth = ReportRules.MonthOf(today);
        var lastMonth = ReportRules.MonthOf(today.AddMonths(-1));

        // Forty random projects besides the demo city's: towns, leaders, departments, plans and dates of this year.
        var departments = (await office.GetFromJsonAsync<List<KeyProjects.Grains.Departments.DepartmentProfile>>("/api/departments", CommandCentre.Json))!;
        var towns = departments.Where(d => d.Kind == DepartmentKind.Town).Select(d => d.Name).ToList();
        var units = departments.Where(d => d.Kind == DepartmentKind.Department).Select(d => d.Name).ToList();
        var leaders = (await office.GetFromJsonAsync<List<KeyProjects.Grains.Leadership.LeaderAssignment>>("/api/leadership", CommandCentre.Json))!.Select(l => l.Leader.Name).ToList();
        var tag = random.Next(100, 1000);
        var rows = Enumerable.Range(1, 40).Select(n =>
        {
            var start = new DateOnly(today.Year, 1, 1).AddDays(random.Next(0, 420));
            var row = ProjectFiles.Row($"F{tag}-{n:00}", n);
            row[KeyProjects.Web.Office.ProjectWorkbook.Stage] = random.Next(2) == 0 ? "谋划储备" : "在谈";
            row[KeyProjects.Web.Office.ProjectWorkbook.Town] = towns[random.Next(towns.Count)];
            row[KeyProjects.Web.Office.ProjectWorkbook.Department] = units[random.Next(units.Count)];
            row[KeyProjects.Web.Office.ProjectWorkbook.Leader] = leaders[random.Next(leaders.Count)];
            row[KeyProjects.Web.Office.ProjectWorkbook.Annual] = random.Next(100, 5000);
            row[KeyProjects.Web.Office.ProjectWorkbook.Total] = 10_000 + random.Next(0, 50_000);
            // The first six are walked on a set path (below), with dates well before today whatever today is.
            if (n <= Set) start = today.AddDays(-300);
            row[KeyProjects.Web.Office.ProjectWorkbook.PlannedStart] = start.ToString("yyyy-MM-dd");
            row[KeyProjects.Web.Office.ProjectWorkbook.PlannedCompletion] = (n <= Set ? today.AddDays(-100) : start.AddDays(random.Next(30, 300))).ToString("yyyy-MM-dd");
            return row;
        }).ToList();
        var import = new HttpRequestMessage(HttpMethod.Post, "/api/projects/import") { Content = ProjectFiles.Upload(ProjectFiles.Workbook(rows)) };
        import.Headers.Add("Idempotency-Key", $"figures-{tag}");
        using (var accepted = await office.SendAsync(import))
        {
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
            await Eventually.Get(() => office.GetFromJsonAsync<ProjectImportStatus>(accepted.Headers.Location!.ToString(), CommandCentre.Json), s => s!.Completed, "the import completes");
        }
        var projects = await Library(office);
        Assert.True(projects.Count >= 160, $"the city has {projects.Count} projects");

        // Random stage walks (forward mostly, now and then 停缓建), each step on a later day of this year: every
        // imported project and thirty of the demo city's.
        var walked = projects.Where(p => p.Code.StartsWith($"F{tag}-", StringComparison.Ordinal))
            .Concat(projects.Where(p => !p.Code.StartsWith('F')).OrderBy(_ => random.Next()).Take(30)).Select(p => p.Code).ToList();
        // Set paths, so every figure has something on both sides whatever the seed: two projects signed and not started,
        // two started and not in operation, two in operation (their contract starts and completions are past).
        ProjectStage[] path = [ProjectStage.Negotiating, ProjectStage.Signed, ProjectStage.Preparatory, ProjectStage.UnderConstruction, ProjectStage.Completed, ProjectStage.InOperation];
        for (var n = 1; n <= Set; n++)
        {
            var code = $"F{tag}-{n:00}";
            var until = n <= 2 ? ProjectStage.Signed : n <= 4 ? ProjectStage.UnderConstruction : ProjectStage.InOperation;
            var on = today.AddDays(-250);
            foreach (var to in path.Take(Array.IndexOf(path, until) + 1))
            {
                var detail = (await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{code}", CommandCentre.Json))!;
                if (!detail.NextStages.Contains(to)) continue; // already past it (imported at 在谈)
                on = on.AddDays(20);
                await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{code}/stage", new { stage = to, on, reason = "设定路径" }));
            }
        }
        foreach (var code in walked.Where(c => !c.StartsWith($"F{tag}-", StringComparison.Ordinal) || int.Parse(c[^2..]) > Set))
        {
            var on = new DateOnly(today.Year, 1, 1).AddDays(random.Next(0, 60));
            for (var step = 0; step < 6 && random.Next(5) > 0; step++)
            {
                var detail = (await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{code}", CommandCentre.Json))!;
                if (detail.NextStages.Count == 0) break;
                var forward = detail.NextStages.Where(s => s != ProjectStage.Suspended).ToList();
                var to = forward.Count > 0 && random.Next(6) > 0 ? forward[random.Next(forward.Count)] : detail.NextStages[random.Next(detail.NextStages.Count)];
                var last = detail.Stages.Count > 0 ? detail.Stages[^1].On : on;
                on = Min(today, (last > on ? last : on).AddDays(random.Next(0, 50)));
                await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{code}/stage", new { stage = to, on, reason = "随机测试" }));
            }
        }

        // Random reports: this month's and last month's (last month's do not count: the projects were registered this
        // month with their year-to-date figure), some corrected.
        foreach (var code in walked.Take(40).Concat(projects.OrderBy(_ => random.Next()).Take(20).Select(p => p.Code)).Distinct())
        {
            // The office reports for projects of every owner (a reporter reports for its own projects only).
            await ApiAssert.Ok<ProgressReportView>(await Report(office, code, thisMonth, random));
            if (random.Next(3) == 0) await ApiAssert.Ok<ProgressReportView>(await Report(office, code, lastMonth, random));
            if (random.Next(4) == 0)
                await ApiAssert.Ok<ProgressReportView>(await office.PostAsJsonAsync($"/api/projects/{code}/reports/{thisMonth}/correction",
                    new { completedThisMonth = Amount(random), fundsArrivedThisMonth = Amount(random), imageProgress = "更正", imageProgressPercent = 50, reason = "随机更正" }));
        }

        // The raw material, read project by project: the library line and every report.
        projects = await Library(office);
        var reports = new Dictionary<string, List<ProgressReport>>();
        foreach (var p in projects)
            reports[p.Code] = (await office.GetFromJsonAsync<List<ProgressReport>>($"/api/projects/{p.Code}/reports", CommandCentre.Json))!;
        Assert.True(reports.Values.Sum(r => r.Count) >= 40);

        // Tables are served from memory until a project or report event reaches the web host: each is read until it
        // reflects the last writes (the live feed's delay, milliseconds), then must equal the recomputation exactly.
        var months = Enumerable.Range(1, today.Month).Select(m => $"{today.Year}-{m:00}").ToList();
        var compared = 0;
        foreach (var month in months)
        {
            foreach (var group in Enum.GetValues<FigureGroup>())
            {
                var expected = Recompute(projects, reports, group, month);
                string? Mismatch(FigureTable t)
                {
                    if (Differs(expected[""], t.City, $"{month} city") is { } city) return city;
                    if (group == FigureGroup.City) return null;
                    var keys = expected.Keys.Where(k => k != "").Order(StringComparer.Ordinal).ToList();
                    if (!keys.SequenceEqual(t.Rows.Select(r => r.Key).Order(StringComparer.Ordinal))) return $"{month} {group}: groups {string.Join(",", t.Rows.Select(r => r.Key))}, recomputed {string.Join(",", keys)}";
                    return t.Rows.Select(row => Differs(expected[row.Key], row, $"{month} {group} {row.Key}")).FirstOrDefault(m => m is not null);
                }
                FigureTable? last = null;
                try
                {
                    last = await Eventually.Get(() => office.GetFromJsonAsync<FigureTable>($"/api/figures?by={group}&month={month}", CommandCentre.Json),
                        t => Mismatch(t!) is null, $"{month} {group} equal to the recomputation", TimeSpan.FromSeconds(15));
                }
                catch (Exception) when (last is null)
                {
                    var table = (await office.GetFromJsonAsync<FigureTable>($"/api/figures?by={group}&month={month}", CommandCentre.Json))!;
                    Assert.Fail(Mismatch(table) ?? "no difference on the last read");
                }
                compared += Math.Max(1, last!.Rows.Count);
            }
        }
        output.WriteLine($"{compared} group-months compared");

        // This month's city figures count something of every kind (the test is not comparing zeros), and its series ends there.
        var city = (await office.GetFromJsonAsync<FigureTable>($"/api/figures?month={thisMonth}", CommandCentre.Json))!;
        var c = city.City.Sums;
        output.WriteLine($"city {c}");
        Assert.True(c.Completed > 0 && c.FundsArrived > 0 && c.Started > 0 && c.Started < c.PlannedToStart && c.Signed >= 5
            && c.ContractsKept > 0 && c.ContractsKept < c.ContractsDue && c.Commissioned > 0 && c.Commissioned < c.CommissioningDue, $"too little was counted: {c}");
        Assert.Equal(months, city.CitySeries.Select(m => m.Month));
        Assert.Equal(city.City.Sums.Completed, city.CitySeries[^1].Completed);
        Assert.Equal(Math.Round((double)(city.City.Sums.Completed / city.City.Sums.AnnualPlanned) * 100 - today.Month / 12.0 * 100, 1), city.City.GapPoints!.Value, 1);

        // Drill-down (数出有据): a town's projects, each with the reports its figure came from, adding up to the town's.
        var town = projects.GroupBy(p => p.Town).OrderByDescending(g => g.Count()).First().Key;
        var drill = (await office.GetFromJsonAsync<FigureDrill>($"/api/figures/Town/{Uri.EscapeDataString(town)}?month={thisMonth}", CommandCentre.Json))!;
        Assert.Equal(projects.Count(p => p.Town == town), drill.Projects.Count);
        Assert.Equal(drill.Figures.Sums.Completed, drill.Projects.Sum(p => p.Figures.Sums.Completed));
        foreach (var line in drill.Projects)
            Assert.Equal(reports[line.Code].Where(r => Counts(projects.Single(p => p.Code == line.Code), r, thisMonth)).Select(r => (r.Month, r.Version)).Order(),
                line.Reports.Select(r => (r.Month, r.Version)).Order());

        // The export holds the same numbers.
        var file = await office.GetByteArrayAsync($"/api/figures/export.xlsx?by=Town&month={thisMonth}");
        var exported = ProjectFiles.Read(file);
        Assert.Equal("全市", exported[0]["镇街"]);
        Assert.Equal((double)city.City.Sums.Completed, Convert.ToDouble(exported[0]["完成投资(万元)"]), 2);

        // Bad requests are named; reporters do not read the figures; a group without projects is a 404.
        await ApiAssert.Refused(await office.GetAsync("/api/figures?month=2026-13"), HttpStatusCode.BadRequest, "month");
        await ApiAssert.Refused(await office.GetAsync($"/api/figures?month={ReportRules.MonthOf(today.AddMonths(1))}"), HttpStatusCode.BadRequest, "month");
        await ApiAssert.Refused(await office.GetAsync("/api/figures?by=Planet"), HttpStatusCode.BadRequest, "by");
        await ApiAssert.Refused(await office.GetAsync("/api/figures/Town/no-such-town"), HttpStatusCode.NotFound, "figures.no_projects");
        using (var denied = await reporter.GetAsync("/api/figures")) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Project_lights_judge_the_schedule_by_versioned_rules_and_the_library_filters_by_them()
    {
        using var office = await centre.As("office");
        using var admin = await centre.As("admin");
        var today = WorkingCalendar.LocalDate(DateTimeOffset.UtcNow);
        var progress = FigureRules.TimeProgressAt(DateTimeOffset.UtcNow) * 100;

        // Every project: the library's light is the project page's, and the library filtered by a light lists exactly those.
        var lights = await LibraryLights(office);
        Assert.Contains(WarningLight.Red, lights.Values);
        Assert.Contains(WarningLight.Green, lights.Values);
        foreach (var (code, light) in lights.OrderBy(_ => Random.Shared.Next()).Take(40))
        {
            var detail = (await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{code}", CommandCentre.Json))!;
            Assert.True(light == detail.Light.Light, $"{code}: library {light}, page {detail.Light.Light} ({string.Join("; ", detail.Light.Reasons)})");
            // The schedule's part recomputed here from the project's line (default rules: 10 and 30 points, 3 months).
            var p = detail.Profile;
            var judged = p.Stage is not (ProjectStage.Suspended or ProjectStage.Completed or ProjectStage.InOperation);
            var gap = p.AnnualPlannedInvestment > 0 ? (double)(p.CompletedInvestment / p.AnnualPlannedInvestment) * 100 - progress : (double?)null;
            var unstarted = judged && p.ActualStart is null && p.PlannedStart is { } planned && planned.AddMonths(3) < today;
            var started = p.ActualStart is not null;
            var expected = judged && ((started && gap <= -30.05) || unstarted) ? WarningLight.Red : judged && started && gap <= -10.05 ? WarningLight.Yellow
                : judged && (!started || gap > -9.95) && !unstarted ? WarningLight.Green : (WarningLight?)null;
            if (expected is { } e && !detail.ScheduleLight!.Reasons.Any(r => r.StartsWith("report-late", StringComparison.Ordinal)))
                Assert.True(e == detail.ScheduleLight.Light, $"{code}: schedule {detail.ScheduleLight.Light}, recomputed {e} (gap {gap}, {string.Join("; ", detail.ScheduleLight.Reasons)})");
        }
        foreach (var light in Enum.GetValues<WarningLight>())
        {
            var filtered = (await office.GetFromJsonAsync<ProjectPage>($"/api/projects?light={light}&limit=500", CommandCentre.Json))!;
            Assert.Equal(lights.Where(l => l.Value == light).Select(l => l.Key).Order(StringComparer.Ordinal), filtered.Items.Select(p => p.Code));
            Assert.Equal(filtered.Items.Count, filtered.Total);
        }

        // The rules are settings: a new version (yellow from 5 points, red from 15) re-judges every project at once;
        // a bad one is a 400 naming the field and changes nothing.
        var current = (await admin.GetFromJsonAsync<ProblemSettings>("/api/settings/problems", CommandCentre.Json))!;
        await ApiAssert.Refused(await admin.PutAsJsonAsync("/api/settings/problems", current with { Projects = new ProjectLightRules(20, 15, 3, 2) }, CommandCentre.Json),
            HttpStatusCode.BadRequest, "projects.redBehindPoints");
        var stricter = (await (await admin.PutAsJsonAsync("/api/settings/problems", current with { Projects = new ProjectLightRules(5, 15, 3, 2) }, CommandCentre.Json))
            .Content.ReadFromJsonAsync<ProblemSettings>(CommandCentre.Json))!;
        Assert.Equal((current.Version + 1, 5), (stricter.Version, stricter.ProjectRules.YellowBehindPoints));
        var after = await LibraryLights(office);
        Assert.True(after.Count(l => l.Value != WarningLight.Green) >= lights.Count(l => l.Value != WarningLight.Green));
        var turned = after.Where(l => l.Value > lights[l.Key]).Select(l => l.Key).ToList();
        Assert.NotEmpty(turned);
        var example = (await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{turned[0]}", CommandCentre.Json))!;
        Assert.Equal(stricter.Version, example.Light.RulesVersion);
        Assert.Equal(5, example.Rules!.YellowBehindPoints);

        // A proposal that leaves the project rules out keeps them.
        var kept = (await (await admin.PutAsJsonAsync("/api/settings/problems", stricter with { Projects = null, PreBreachWorkingDays = 2 }, CommandCentre.Json))
            .Content.ReadFromJsonAsync<ProblemSettings>(CommandCentre.Json))!;
        Assert.Equal(new ProjectLightRules(5, 15, 3, 2), kept.Projects);
        (await admin.PutAsJsonAsync("/api/settings/problems", current, CommandCentre.Json)).EnsureSuccessStatusCode();
        await ApiAssert.Refused(await office.GetAsync("/api/projects?light=Purple"), HttpStatusCode.BadRequest, "light");
    }

    private static async Task<Dictionary<string, WarningLight>> LibraryLights(HttpClient client)
    {
        var all = new Dictionary<string, WarningLight>();
        while (true)
        {
            var page = (await client.GetFromJsonAsync<ProjectPage>($"/api/projects?offset={all.Count}&limit=500", CommandCentre.Json))!;
            foreach (var p in page.Items) all[p.Code] = page.Lights[p.Code];
            if (page.Items.Count == 0 || all.Count >= page.Total) return all;
        }
    }

    /// <summary>How many imported projects walk a set path (the rest walk at random).</summary>
    private const int Set = 6;

    /// <summary>The figures recomputed here from the library lines and the reports, by the published formulas (口径).</summary>
    private static Dictionary<string, GroupFigures> Recompute(List<ProjectSummary> projects, Dictionary<string, List<ProgressReport>> reports, FigureGroup group, string month)
    {
        var end = new DateOnly(int.Parse(month[..4]), int.Parse(month[5..]), 1).AddMonths(1).AddDays(-1);
        bool By(DateOnly? day) => day is { } d && d <= end;
        string Key(ProjectSummary p) => group switch
        {
            FigureGroup.Department => p.ResponsibleDepartmentId,
            FigureGroup.Town => p.Town,
            FigureGroup.Leader => p.ResponsibleLeaderId,
            _ => "city",
        };
        FigureSums Sum(IEnumerable<ProjectSummary> members)
        {
            var list = members.ToList();
            var planned = list.Where(p => p.PlannedStart?.Year == end.Year).ToList();
            var signed = list.Where(p => By(p.SignedOn)).ToList();
            var contractsDue = signed.Where(p => By(p.PlannedStart)).ToList();
            var commissioningDue = signed.Where(p => By(p.PlannedCompletion)).ToList();
            decimal Completed(ProjectSummary p) =>
                (p.OpeningMonth.StartsWith($"{end.Year}-", StringComparison.Ordinal) && string.CompareOrdinal(p.OpeningMonth, month) <= 0 ? p.OpeningCompleted : 0)
                + reports[p.Code].Where(r => Counts(p, r, month)).Sum(r => r.Figures.CompletedThisMonth);
            return new FigureSums(list.Count, planned.Count, planned.Count(p => By(p.ActualStart)), list.Sum(p => p.AnnualPlannedInvestment),
                list.Sum(Completed), signed.Count, signed.Sum(p => p.AnnualPlannedInvestment),
                signed.Sum(p => reports[p.Code].Where(r => Counts(p, r, month)).Sum(r => r.Figures.FundsArrivedThisMonth)),
                contractsDue.Count, contractsDue.Count(p => By(p.ActualStart)), commissioningDue.Count, commissioningDue.Count(p => By(p.OperatingOn)),
                list.Count(p => string.CompareOrdinal(p.OpeningMonth, month) <= 0));
        }
        var result = projects.GroupBy(Key).ToDictionary(g => g.Key, g => Expected(group, g.Key, month, Sum(g)));
        result[""] = Expected(FigureGroup.City, "", month, Sum(projects));
        if (group == FigureGroup.City) result.Remove("city");
        return result;
    }

    /// <summary>A report counts in a month's figures when it is of that year, not after the month, and not before the project's registration month.</summary>
    private static bool Counts(ProjectSummary p, ProgressReport r, string month) =>
        r.Month.StartsWith(month[..5], StringComparison.Ordinal) && string.CompareOrdinal(r.Month, month) <= 0 && string.CompareOrdinal(r.Month, p.OpeningMonth) >= 0;

    private static GroupFigures Expected(FigureGroup group, string key, string month, FigureSums s)
    {
        var progress = int.Parse(month[5..]) / 12.0;
        double? Rate(decimal part, decimal whole) => whole == 0 ? null : (double)(part / whole);
        var completion = s.OnRecord == 0 ? null : Rate(s.Completed, s.AnnualPlanned);
        return new GroupFigures(group, key, "", month, s, progress, Rate(s.Started, s.PlannedToStart), completion,
            completion is { } c ? Math.Round((c - progress) * 100, 1, MidpointRounding.AwayFromZero) : null,
            Rate(s.FundsArrived, s.SignedAnnualPlanned), Rate(s.ContractsKept, s.ContractsDue), Rate(s.Commissioned, s.CommissioningDue));
    }

    /// <summary>Null when the figures are the recomputed ones (sums exactly, rates to 1e-9), else what differs.</summary>
    private static string? Differs(GroupFigures expected, GroupFigures actual, string what)
    {
        if (expected.Sums != actual.Sums) return $"{what}: sums {actual.Sums}, recomputed {expected.Sums}";
        foreach (var (name, e, a) in new[]
                 {
                     ("start", expected.StartRate, actual.StartRate), ("completion", expected.CompletionRate, actual.CompletionRate),
                     ("gap", expected.GapPoints, actual.GapPoints), ("funds", expected.FundsRate, actual.FundsRate),
                     ("contract", expected.ContractRate, actual.ContractRate), ("commissioning", expected.CommissioningRate, actual.CommissioningRate),
                 })
            if (!(e is null ? a is null : a is { } v && Math.Abs(v - e.Value) < 1e-9)) return $"{what}: {name} {a}, recomputed {e}";
        return Math.Abs(expected.TimeProgress - actual.TimeProgress) < 1e-9 ? null : $"{what}: time progress {actual.TimeProgress}, recomputed {expected.TimeProgress}";
    }

    private static async Task<List<ProjectSummary>> Library(HttpClient client)
    {
        var all = new List<ProjectSummary>();
        while (true)
        {
            var page = (await client.GetFromJsonAsync<Page<ProjectSummary>>($"/api/projects?offset={all.Count}&limit=500", CommandCentre.Json))!;
            all.AddRange(page.Items);
            if (page.Items.Count == 0 || all.Count >= page.Total) return all;
        }
    }

    private static Task<HttpResponseMessage> Report(HttpClient client, string code, string month, Random random) =>
        client.PostAsJsonAsync($"/api/projects/{code}/reports/{month}",
            new { completedThisMonth = Amount(random), fundsArrivedThisMonth = random.Next(3) == 0 ? 0 : Amount(random), imageProgress = "施工中", imageProgressPercent = random.Next(0, 101) });

    private static decimal Amount(Random random) => Math.Round((decimal)random.NextDouble() * 2000, 2);

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
