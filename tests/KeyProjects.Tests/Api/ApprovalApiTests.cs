using System.Net;
using System.Net.Http.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Factors;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// A project's approval path (手续) and factor needs on PostgreSQL through the API, with a silo and a web host: the
/// path a type's template generates (serial items after their prerequisites, parallel ones side by side, items a type
/// does not need waived); each department records only its own items and an item cannot run ahead of what it waits
/// for (409 naming it); an overdue item becomes a problem to its department in one step, once, and a retry of that
/// step is the same problem; the read model lists a department's overdue items; needs are set by the office and met
/// by their department; bad input is named and changes nothing.
/// </summary>
public sealed class ApprovalApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    // Demo projects with no approval path of their own: 2026-040 新建 (在谈), 2026-020 技改 (在谈).
    private const string New = "2026-040", Renovation = "2026-020";

    private static readonly Dictionary<string, string> Owners = new()
    {
        ["LandPreExamination"] = "zrzy", ["Initiation"] = "fgw", ["EnergyAssessment"] = "fgw", ["EnvironmentalAssessment"] = "sthj",
        ["SafetyAssessment"] = "yjj", ["SoilWaterConservation"] = "slj", ["LandUsePlanning"] = "zrzy", ["LandSupply"] = "zrzy",
        ["EngineeringPlanning"] = "zrzy", ["ConstructionPermit"] = "xzsp",
    };

    private static DateOnly Today => WorkingCalendar.LocalDate(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_path_is_generated_from_the_type_and_each_department_moves_only_its_items_in_order()
    {
        using var office = await centre.As("office");
        using var zrzy = await centre.As("zrzy");
        using var fgw = await centre.As("fgw");
        using var reporter = await centre.As("reporter");

        // Bad input first: named, nothing generated.
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{New}/approvals/plan", new { owners = Owners.Where(o => o.Key != "Initiation").ToDictionary() }),
            HttpStatusCode.BadRequest, "owners.Initiation");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{New}/approvals/plan", new { owners = Owners.ToDictionary(o => o.Key, o => o.Key == "LandSupply" ? "nobody" : o.Value) }),
            HttpStatusCode.BadRequest, "owners.LandSupply");
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/plan", new { owners = Owners }), HttpStatusCode.Forbidden, "approval.plan_forbidden");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{New}/approvals/plan", new { from = new DateOnly(9999, 12, 20), owners = Owners }), HttpStatusCode.BadRequest, "from");
        // An owner given for an item the type waives is checked too (it may be needed later).
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{Renovation}/approvals/plan",
            new { owners = Owners.ToDictionary(o => o.Key, o => o.Key == "LandSupply" ? new string('x', 80) : o.Value) }), HttpStatusCode.BadRequest, "owners.LandSupply");
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/projects/no-such/approvals/plan", new { owners = Owners }), HttpStatusCode.NotFound, "project.not_found");
        Assert.Empty((await Project(office, New)).Approvals!);

        // 新建: all ten items; each starts after every needed prerequisite is planned done, on a working day.
        var from = Today.AddDays(-10);
        var path = (await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{New}/approvals/plan", new { from, owners = Owners }))).Approvals;
        Assert.Equal(Enum.GetValues<ApprovalKind>().Order(), path.Select(a => a.Kind).Order());
        Assert.All(path, a => Assert.Equal(ApprovalStatus.NotStarted, a.Status));
        var calendar = new WorkingCalendar(WorkingCalendar.ShippedDays());
        foreach (var a in path)
        {
            Assert.True(calendar.IsWorkingDay(a.PlannedStart) && a.PlannedDone >= a.PlannedStart && a.PlannedStart >= from, $"{a.Kind} {a.PlannedStart}–{a.PlannedDone}");
            Assert.Equal(Owners[a.Kind.ToString()], a.DepartmentId);
            foreach (var before in a.DependsOn) Assert.True(a.PlannedStart > path.Single(p => p.Kind == before).PlannedDone, $"{a.Kind} starts before {before} is done");
        }
        // Parallel: the assessments all start together after 立项; serial: the permit waits for planning and every assessment.
        var assessments = path.Where(a => a.Kind is ApprovalKind.EnergyAssessment or ApprovalKind.EnvironmentalAssessment or ApprovalKind.SafetyAssessment).ToList();
        Assert.Single(assessments.Select(a => a.PlannedStart).Distinct());
        Assert.Equal(path.Where(a => a.Kind != ApprovalKind.ConstructionPermit).Max(a => a.PlannedDone),
            path.Single(a => a.Kind == ApprovalKind.ConstructionPermit).DependsOn.Select(k => path.Single(p => p.Kind == k).PlannedDone).Max());

        // 技改: land and planning items are waived and take no one's time; the permit waits only for the assessments.
        var renovation = (await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{Renovation}/approvals/plan", new { from, owners = Owners }))).Approvals;
        Assert.Equal([ApprovalKind.LandPreExamination, ApprovalKind.SoilWaterConservation, ApprovalKind.LandUsePlanning, ApprovalKind.LandSupply, ApprovalKind.EngineeringPlanning],
            renovation.Where(a => a.Status == ApprovalStatus.NotRequired).Select(a => a.Kind));
        Assert.True(renovation.Single(a => a.Kind == ApprovalKind.ConstructionPermit).PlannedDone < path.Single(a => a.Kind == ApprovalKind.ConstructionPermit).PlannedDone);

        // fgw cannot start 立项 before 用地预审 is done: a 409 naming what it waits for.
        await ApiAssert.Refused(await fgw.PostAsJsonAsync($"/api/projects/{New}/approvals/Initiation", new { status = "InProgress" }), HttpStatusCode.Conflict, "LandPreExamination");
        // zrzy cannot record fgw's item, set a helper or waive; nobody records a finish day ahead; a reporter records nothing.
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/Initiation", new { status = "InProgress" }), HttpStatusCode.Forbidden, "approval.forbidden");
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { helper = "代办员" }), HttpStatusCode.Forbidden, "approval.office_only");
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { status = "NotRequired" }), HttpStatusCode.Forbidden, "approval.office_only");
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { status = "Done", actualDone = Today.AddDays(1) }), HttpStatusCode.BadRequest, "actualDone");
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { note = new string('长', 501) }), HttpStatusCode.BadRequest, "note");
        await ApiAssert.Refused(await reporter.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { status = "InProgress" }), HttpStatusCode.Forbidden, "approval.forbidden");
        using (var unknown = await office.PostAsJsonAsync($"/api/projects/{New}/approvals/Teleport", new { status = "InProgress" })) Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { plannedDone = from.AddDays(-30) }), HttpStatusCode.BadRequest, "plannedDone");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { departmentId = "nobody" }), HttpStatusCode.BadRequest, "departmentId");
        Assert.All((await Project(office, New)).Approvals!, a => Assert.Equal(ApprovalStatus.NotStarted, a.Status));

        // In order: zrzy finishes 用地预审, then fgw may start 立项; 容缺受理 lets the items after it go on.
        await ApiAssert.Ok<ProjectView>(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { status = "InProgress", note = "材料已受理" }));
        var done = await ApiAssert.Ok<ProjectView>(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { status = "Done", actualDone = Today }));
        var landDone = done.Approvals.Single(a => a.Kind == ApprovalKind.LandPreExamination);
        Assert.Equal((ApprovalStatus.Done, (DateOnly?)Today, (string?)"材料已受理", "zrzy"), (landDone.Status, landDone.ActualDone, landDone.Note, landDone.By));
        // Not finished before what it waits for was.
        await ApiAssert.Refused(await fgw.PostAsJsonAsync($"/api/projects/{New}/approvals/Initiation", new { status = "Done", actualDone = Today.AddDays(-1) }), HttpStatusCode.BadRequest, "actualDone");
        await ApiAssert.Ok<ProjectView>(await fgw.PostAsJsonAsync($"/api/projects/{New}/approvals/Initiation", new { status = "ToleratedAcceptance" }));
        await ApiAssert.Ok<ProjectView>(await fgw.PostAsJsonAsync($"/api/projects/{New}/approvals/EnergyAssessment", new { status = "InProgress" }));
        // A done item is the office's to reopen; the office names the helper.
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{New}/approvals/LandPreExamination", new { status = "InProgress" }), HttpStatusCode.Forbidden, "approval.office_only");
        var helped = await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{New}/approvals/ConstructionPermit", new { helper = "行政审批服务局 代办员 陈静" }));
        Assert.Equal("行政审批服务局 代办员 陈静", helped.Approvals.Single(a => a.Kind == ApprovalKind.ConstructionPermit).Helper);
        // Under way: the path is no longer generated again.
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{New}/approvals/plan", new { from, owners = Owners }), HttpStatusCode.Conflict, "approval.path_started");

        // The read model follows: fgw's items of this project, in the project's event order.
        var fgwItems = await Eventually.Get(async () => (await fgw.GetFromJsonAsync<List<ApprovalLine>>($"/api/approvals?department=fgw&project={New}", CommandCentre.Json))!,
            items => items.Any(i => i.Item.Kind == ApprovalKind.EnergyAssessment && i.Item.Status == ApprovalStatus.InProgress), "fgw's items in the read model");
        Assert.Equal(["EnergyAssessment", "Initiation"], fgwItems.Select(i => i.Item.Kind.ToString()).Order());
        Assert.All(fgwItems, i => Assert.Equal(New, i.ProjectCode));
        await ApiAssert.Refused(await fgw.GetAsync("/api/approvals?department=zrzy"), HttpStatusCode.Forbidden, "approval.read_forbidden");
        using (var denied = await reporter.GetAsync("/api/approvals")) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task An_overdue_item_becomes_one_problem_to_its_department_and_a_retry_is_the_same_problem()
    {
        const string code = "2026-030"; // 扩建, 投产: no demo path
        using var office = await centre.As("office");
        using var zrzy = await centre.As("zrzy");
        using var keyed = await centre.As("office", keyEveryCommand: false);
        var path = (await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{code}/approvals/plan", new { from = Today.AddDays(-300), owners = Owners }))).Approvals;
        var land = path.Single(a => a.Kind == ApprovalKind.LandPreExamination);
        Assert.True(land.IsOverdue(Today));

        // Not overdue: 404 for an item the path has not, 409 for one that is done.
        await ApiAssert.Ok<ProjectView>(await zrzy.PostAsJsonAsync($"/api/projects/{code}/approvals/LandPreExamination", new { status = "Done", actualDone = Today }));
        await ApiAssert.Refused(await office.PostAsync($"/api/projects/{code}/approvals/LandPreExamination/problem", null), HttpStatusCode.Conflict, "approval.not_overdue");
        await ApiAssert.Refused(await office.PostAsync($"/api/projects/{code}/approvals/SoilWaterConservation/problem", null), HttpStatusCode.Conflict, "approval.not_overdue"); // waived for 扩建
        // 能评 is late only because 立项 is not done: not fgw's energy desk's problem.
        await ApiAssert.Refused(await office.PostAsync($"/api/projects/{code}/approvals/EnergyAssessment/problem", null), HttpStatusCode.Conflict, "Initiation");

        // 立项 (fgw) is overdue: one step, twice with the same key (an unknown outcome retried), makes one problem.
        ProjectView? raised = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{code}/approvals/Initiation/problem");
            request.Headers.Add("Idempotency-Key", "approval-problem-retry");
            raised = await ApiAssert.Ok<ProjectView>(await keyed.SendAsync(request));
        }
        var initiation = raised!.Approvals.Single(a => a.Kind == ApprovalKind.Initiation);
        var problemId = Assert.IsType<Guid>(initiation.ProblemId);
        var problem = (await office.GetFromJsonAsync<ProblemView>($"/api/problems/{problemId}", CommandCentre.Json))!;
        Assert.Equal((code, "fgw", ProblemCategory.Approvals), (problem.Summary.ProjectCode, problem.Summary.LeadDepartmentId, problem.Summary.Category));
        Assert.Contains("立项", problem.Summary.Title);
        Assert.Contains(initiation.PlannedDone.ToString("yyyy-MM-dd"), problem.Description);
        var listed = await Eventually.Get(async () => (await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{code}", CommandCentre.Json))!.Problems,
            p => p.Any(x => x.Id == problemId), "the problem on the project");
        Assert.Single(listed, p => p.Category == ProblemCategory.Approvals);

        // While that problem is open, another step is refused; the department's overdue list shows the item.
        await ApiAssert.Refused(await office.PostAsync($"/api/projects/{code}/approvals/Initiation/problem", null), HttpStatusCode.Conflict, "approval.problem_open");
        using var fgw = await centre.As("fgw");
        var overdue = await Eventually.Get(async () => (await fgw.GetFromJsonAsync<List<ApprovalLine>>("/api/approvals?department=fgw&overdue=true", CommandCentre.Json))!,
            items => items.Any(i => i.ProjectCode == code && i.Item.ProblemId == problemId), "fgw's overdue items");
        Assert.All(overdue, i => Assert.True(i.Item.IsOverdue(Today) && i.Item.DepartmentId == "fgw"));
        Assert.DoesNotContain(overdue, i => i.ProjectCode == code && i.Item.Kind == ApprovalKind.LandPreExamination);

        // The ledgers (台账) read back: fgw's approval items of the project, the problem with its lead department.
        var ledger = ProjectFiles.Read(await fgw.GetByteArrayAsync($"/api/approvals/export.xlsx?department=fgw&project={code}"));
        Assert.Equal(["立项（审批/核准/备案）", "能评"], ledger.Select(r => r["手续事项"]!.ToString()).Order());
        Assert.All(ledger, r => Assert.Equal("发展和改革局", r["责任部门"]));
        Assert.True(Convert.ToInt32(ledger.Single(r => r["手续事项"]!.ToString() == "能评")["逾期天数"]) > 0);
        await ApiAssert.Refused(await fgw.GetAsync("/api/approvals/export.xlsx?department=zrzy"), HttpStatusCode.Forbidden, "approval.read_forbidden");
        var problems = ProjectFiles.Read(await office.GetByteArrayAsync($"/api/problems/export.xlsx?project={code}"));
        var row = Assert.Single(problems);
        Assert.Equal(("立项逾期未办结", "发展和改革局", "审批手续"), (row["问题"], row["牵头单位"], row["问题类别"]));

        // The war room counts every item past its planned day, as the read model lists them.
        var city = (await office.GetFromJsonAsync<List<ApprovalLine>>("/api/approvals?overdue=true", CommandCentre.Json))!;
        Assert.InRange(city.Count, overdue.Count + 1, ReadModelQueries.SectionLimit - 1); // 9 of this path alone, fgw's and the demo city's
        await Eventually.Get(async () => (await office.GetFromJsonAsync<KeyProjects.Web.WarRoom.WarRoomSnapshot>("/api/warroom", CommandCentre.Json))!,
            s => s.OverdueApprovals == city.Count, $"the war room's count of {city.Count} overdue items");
    }

    [Fact]
    public async Task Needs_are_set_by_the_office_met_by_their_department_and_summed_for_the_city()
    {
        const string code = "2026-050"; // 投产: no demo needs
        using var office = await centre.As("office");
        using var fgw = await centre.As("fgw");
        using var zrzy = await centre.As("zrzy");
        var before = await Totals(office);

        await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{code}/needs/Land", new { amount = 120, departmentId = "zrzy", note = "二期用地" }));
        var set = await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{code}/needs/FundingGap", new { amount = 5000, departmentId = "fgw" }));
        Assert.Equal([FactorNeedKind.Land, FactorNeedKind.FundingGap], set.Needs.Select(n => n.Kind));

        // The department that can meet the funding gap records what is met; it cannot change the need, nor another's.
        var met = await ApiAssert.Ok<ProjectView>(await fgw.PostAsJsonAsync($"/api/projects/{code}/needs/FundingGap", new { amount = 5000, met = 2000, note = "专项债已安排" }));
        Assert.Equal((2000m, "专项债已安排", "fgw"), (met.Needs.Single(n => n.Kind == FactorNeedKind.FundingGap).Met, met.Needs.Single(n => n.Kind == FactorNeedKind.FundingGap).Note, met.Needs.Single(n => n.Kind == FactorNeedKind.FundingGap).By));
        await ApiAssert.Refused(await fgw.PostAsJsonAsync($"/api/projects/{code}/needs/FundingGap", new { amount = 100, met = 100 }), HttpStatusCode.Forbidden, "need.forbidden");
        // What is met never exceeds what is needed, either way round.
        await ApiAssert.Refused(await fgw.PostAsJsonAsync($"/api/projects/{code}/needs/FundingGap", new { amount = 5000, met = 6000 }), HttpStatusCode.BadRequest, "met");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{code}/needs/FundingGap", new { amount = 1500 }), HttpStatusCode.BadRequest, "need.amount_below_met");
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{code}/needs/FundingGap", new { amount = 5000, met = 5000 }), HttpStatusCode.Forbidden, "need.forbidden");
        await ApiAssert.Refused(await zrzy.PostAsJsonAsync($"/api/projects/{code}/needs/Power", new { amount = 10, departmentId = "zrzy" }), HttpStatusCode.Forbidden, "need.forbidden");
        // Land is met by the ledger, never by a record; bad input is named.
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{code}/needs/Land", new { amount = 120, met = 50 }), HttpStatusCode.BadRequest, "need.met_from_ledger");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{code}/needs/Water", new { amount = 10 }), HttpStatusCode.BadRequest, "departmentId");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{code}/needs/Water", new { amount = -1, departmentId = "zrzy" }), HttpStatusCode.BadRequest, "amount");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{code}/needs/Water", new { departmentId = "zrzy" }), HttpStatusCode.BadRequest, "amount");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/projects/{code}/needs/Water", new { amount = 0 }), HttpStatusCode.NotFound, "need.not_found");
        using (var unknown = await office.PostAsJsonAsync($"/api/projects/{code}/needs/Gold", new { amount = 1, departmentId = "zrzy" })) Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        // The city's totals follow by exactly what was set; withdrawing (0) takes the need out again.
        var after = await Eventually.Get(() => Totals(office), t => Total(t, FactorNeedKind.FundingGap).Met == Total(before, FactorNeedKind.FundingGap).Met + 2000, "the totals");
        Assert.Equal(Total(before, FactorNeedKind.Land) with { Projects = Total(before, FactorNeedKind.Land).Projects + 1, Amount = Total(before, FactorNeedKind.Land).Amount + 120 },
            Total(after, FactorNeedKind.Land));
        Assert.Equal(Total(before, FactorNeedKind.FundingGap).Amount + 5000, Total(after, FactorNeedKind.FundingGap).Amount);
        var withdrawn = await ApiAssert.Ok<ProjectView>(await office.PostAsJsonAsync($"/api/projects/{code}/needs/Land", new { amount = 0 }));
        Assert.DoesNotContain(withdrawn.Needs, n => n.Kind == FactorNeedKind.Land);
        await Eventually.Get(() => Totals(office), t => Total(t, FactorNeedKind.Land) == Total(before, FactorNeedKind.Land), "the land need withdrawn from the totals");

        // The screen's factor pools: each pool's balance as the ledger keeps it, against the projects' needs of its factor.
        var pools = (await office.GetFromJsonAsync<List<FactorPoolView>>($"/api/factors/{DateTimeOffset.UtcNow.Year}", CommandCentre.Json))!;
        var needs = await Totals(office);
        var screen = await Eventually.Get(async () => (await office.GetFromJsonAsync<KeyProjects.Web.WarRoom.WarRoomSnapshot>("/api/warroom", CommandCentre.Json))!,
            s => s.Factors!.Single(f => f.Kind == FactorKind.Land).Needed == Total(needs, FactorNeedKind.Land).Amount, "the screen's land needs");
        foreach (var pool in pools)
            Assert.Equal((pool.Capacity, pool.Balance), screen.Factors!.Where(f => f.Kind == pool.Kind).Select(f => (f.Capacity, f.Balance)).Single());
        Assert.True(screen.Factors!.Single(f => f.Kind == FactorKind.Land).Capacity > 0, "the demo city has set up its land quota");
    }

    private static async Task<ProjectDetail> Project(HttpClient client, string code) =>
        (await client.GetFromJsonAsync<ProjectDetail>($"/api/projects/{code}", CommandCentre.Json))!;

    private static async Task<List<NeedTotal>> Totals(HttpClient client) =>
        (await client.GetFromJsonAsync<List<NeedTotal>>("/api/factors/needs", CommandCentre.Json))!;

    private static NeedTotal Total(List<NeedTotal> totals, FactorNeedKind kind) => totals.SingleOrDefault(t => t.Kind == kind) ?? new NeedTotal(kind, 0, 0, 0);
}
