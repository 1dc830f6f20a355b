using System.Net;
using System.Net.Http.Json;
using KeyProjects.Grains.Departments;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Silo.Storage;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The roster of departments and towns on PostgreSQL through the API (admin): a unit created with its duty list, which
/// proposes it to lead a problem about its duties; renamed (the roster and its history say so); a unit with work in
/// hand is not retired, one without is — and then takes no new problem, order or account, and is never proposed —
/// until reinstated; each change an event with who and when and a line in the audit log; refusals named.
/// </summary>
public sealed class DepartmentAdminApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    [Fact]
    public async Task Units_are_created_renamed_proposed_by_their_duties_and_retired_only_without_work_in_hand()
    {
        using var admin = await centre.As("admin");
        using var office = await centre.As("office");
        var tag = Random.Shared.Next(100_000, 1_000_000).ToString();
        string a = $"unit-a{tag}", b = $"unit-b{tag}", c = $"unit-c{tag}";

        // Created with a duty list; a retry with the same key is the same unit, another creation of that code a 409 that changes nothing.
        using var keyed = await centre.As("admin", keyEveryCommand: false);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/departments")
                { Content = JsonContent.Create(new { id = a, name = $"氢能办{tag}", kind = "Department", duties = new[] { $"氢能{tag}、加氢站审批", " ", $"氢能{tag}" } }) };
            request.Headers.Add("Idempotency-Key", $"create-{tag}");
            var created = await Created(await keyed.SendAsync(request));
            Assert.Equal([$"氢能{tag}、加氢站审批", $"氢能{tag}"], created.Duties);
        }
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/departments", new { id = a, name = $"氢能办{tag}", kind = "Department", duties = new[] { "别的职责" } }),
            HttpStatusCode.Conflict, "department.exists");
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/departments", new { id = a, name = "别的单位", kind = "Town" }), HttpStatusCode.Conflict, "department.exists");
        Assert.Equal(2, (await Roster(admin)).Single(u => u.Profile.Id == a).Duties.Count);
        await Created(await admin.PostAsJsonAsync("/api/admin/departments", new { id = b, name = $"储能办{tag}", kind = "Town", duties = Array.Empty<string>() }));
        await Created(await admin.PostAsJsonAsync("/api/admin/departments", new { id = c, name = $"光伏办{tag}", kind = "Department" }));

        // The duty list proposes the unit to lead a problem about its duties, with the words that matched.
        var proposals = await Proposals(office, $"氢能{tag}项目加氢站审批未办结");
        Assert.Equal(a, proposals[0].DepartmentId);
        Assert.Contains("加氢站审批", proposals[0].Matched);

        // Renamed: the roster and every list of units say the new name; the history keeps the old one.
        var renamed = await ApiAssert.Ok<DepartmentView>(await admin.PostAsJsonAsync($"/api/admin/departments/{a}/rename", new { name = $"新能源办{tag}" }));
        Assert.Equal($"新能源办{tag}", renamed.Profile.Name);
        Assert.Contains((await office.GetFromJsonAsync<List<DepartmentProfile>>("/api/departments", CommandCentre.Json))!, d => d.Id == a && d.Name == $"新能源办{tag}");

        // A unit with an open problem is not retired: 409, and it still takes work.
        await ApiAssert.Ok<object>(await office.PostAsJsonAsync("/api/projects/2026-001/problems", new { title = $"储能测试{tag}", description = "", category = "Other", leadDepartmentId = b }));
        await ApiAssert.Refused(await admin.PostAsJsonAsync($"/api/admin/departments/{b}/retire", new { reason = "机构改革" }), HttpStatusCode.Conflict, "department.has_work");
        Assert.False((await Roster(admin)).Single(u => u.Profile.Id == b).Profile.Retired);
        // Nor one with a need of a project it has not met.
        await ApiAssert.Ok<object>(await office.PostAsJsonAsync("/api/projects/2026-001/needs/Power", new { amount = 800, departmentId = c, note = "双回路供电" }));
        await ApiAssert.Refused(await admin.PostAsJsonAsync($"/api/admin/departments/{c}/retire", new { reason = "机构改革" }), HttpStatusCode.Conflict, "department.has_work");

        // Retired with a reason (a retry with the same key is the same retirement).
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/departments/{a}/retire") { Content = JsonContent.Create(new { reason = "机构改革，职能并入发改" }) };
            request.Headers.Add("Idempotency-Key", $"retire-{tag}");
            var retired = await ApiAssert.Ok<DepartmentView>(await keyed.SendAsync(request));
            Assert.True(retired.Profile.Retired);
            Assert.Equal("机构改革，职能并入发改", retired.RetiredReason);
        }

        // Retired: no new problem, order, meeting seat or account; never proposed; still named on the roster.
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/projects/2026-001/problems", new { title = "给已撤销单位", description = "", category = "Other", leadDepartmentId = a }),
            HttpStatusCode.BadRequest, "department.retired");
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/projects/2026-001/problems", new { title = "协办已撤销单位", description = "", category = "Other", leadDepartmentId = "zrzy", assistingDepartmentIds = new[] { a } }),
            HttpStatusCode.BadRequest, "assistingDepartmentIds");
        await ApiAssert.Refused(await office.PostAsJsonAsync("/api/directives", new { kind = "SupervisionOrder", projectCode = "2026-001", departmentId = a, text = "督办已撤销单位" }),
            HttpStatusCode.BadRequest, "department.retired");
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/users", new { userName = $"u{tag}", displayName = "撤销 测试", role = "Department", departmentId = a, password = "Chexiao-2026-one" }),
            HttpStatusCode.BadRequest, "department.retired");
        Assert.DoesNotContain(await Proposals(office, $"氢能{tag}项目加氢站审批未办结"), p => p.DepartmentId == a);
        Assert.Contains((await office.GetFromJsonAsync<List<DepartmentProfile>>("/api/departments", CommandCentre.Json))!, d => d.Id == a && d.Retired);
        await ApiAssert.Refused(await admin.PostAsJsonAsync($"/api/admin/departments/{a}/retire", new { reason = "再次撤销" }), HttpStatusCode.Conflict, "department.already_retired");

        // The project list names a retired unit's cell rather than importing a project it would answer for.
        var row = ProjectFiles.Row($"RET-{tag}", 1);
        row[KeyProjects.Web.Office.ProjectWorkbook.Department] = $"新能源办{tag}";
        using (var import = await office.PostAsync("/api/projects/import", ProjectFiles.Upload(ProjectFiles.Workbook([row]))))
        {
            var body = await import.Content.ReadAsStringAsync();
            Assert.True(import.StatusCode == HttpStatusCode.BadRequest, body);
            Assert.Contains("第 2 行 · 责任单位", body);
            Assert.Contains("已撤销", body);
        }

        // Reinstated: takes work again.
        Assert.False((await ApiAssert.Ok<DepartmentView>(await admin.PostAsync($"/api/admin/departments/{a}/reinstate", null))).Profile.Retired);
        await ApiAssert.Refused(await admin.PostAsync($"/api/admin/departments/{a}/reinstate", null), HttpStatusCode.Conflict, "department.not_retired");
        await ApiAssert.Ok<object>(await office.PostAsJsonAsync("/api/projects/2026-001/problems", new { title = $"恢复后{tag}", description = "", category = "Other", leadDepartmentId = a }));

        // Every change is an event with who and when (one retirement, however often retried), and a line in the audit log.
        var history = (await admin.GetFromJsonAsync<List<LoggedHistoryEntry>>($"/api/admin/departments/{a}/history", CommandCentre.Json))!;
        Assert.Equal(["department.registered", "department.renamed", "department.retired", "department.reinstated"], history.Select(h => h.Kind));
        Assert.All(history, h => Assert.Equal("admin", h.ActorUserName));
        Assert.Equal($"氢能办{tag} → 新能源办{tag}", history.Single(h => h.Kind == "department.renamed").Note);
        Assert.Equal("机构改革，职能并入发改", history.Single(h => h.Kind == "department.retired").Note);
        var audit = (await admin.GetFromJsonAsync<Page<AuditEntry>>("/api/admin/audit-log?kind=department.&limit=100", CommandCentre.Json))!.Items.Where(e => e.Subject == a).ToList();
        Assert.Equal(["department.reinstated", "department.retired", "department.renamed", "department.created"], audit.Select(e => e.Kind));

        // Only administrators; bad input named, changing nothing.
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/admin/departments/{a}/rename", new { name = "越权" }), HttpStatusCode.Forbidden, "");
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/departments", new { id = "自然资源", name = "坏编码", kind = "Department" }), HttpStatusCode.BadRequest, "\"id\"");
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/departments", new { id = $"c{tag}", kind = "Department" }), HttpStatusCode.BadRequest, "name");
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/departments", new { id = $"c{tag}", name = "无类型" }), HttpStatusCode.BadRequest, "kind");
        await ApiAssert.Refused(await admin.PostAsJsonAsync($"/api/admin/departments/{a}/rename", new { name = " " }), HttpStatusCode.BadRequest, "name");
        await ApiAssert.Refused(await admin.PostAsJsonAsync($"/api/admin/departments/{a}/duties", new { duties = Enumerable.Range(0, 41).Select(i => $"职责{i}") }), HttpStatusCode.BadRequest, "duties");
        await ApiAssert.Refused(await admin.PostAsJsonAsync($"/api/admin/departments/{b}/retire", new { reason = "" }), HttpStatusCode.BadRequest, "reason");
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/departments/no-such-unit/rename", new { name = "无" }), HttpStatusCode.NotFound, "department.not_found");
        Assert.DoesNotContain(await Roster(admin), u => u.Profile.Id == $"c{tag}");
        Assert.Equal($"新能源办{tag}", (await Roster(admin)).Single(u => u.Profile.Id == a).Profile.Name);
    }

    private static async Task<DepartmentView> Created(HttpResponseMessage response)
    {
        using var _ = response;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<DepartmentView>(CommandCentre.Json))!;
    }

    private static async Task<List<DepartmentView>> Roster(HttpClient admin) =>
        (await admin.GetFromJsonAsync<List<DepartmentView>>("/api/admin/departments", CommandCentre.Json))!;

    private static async Task<List<LeadProposal>> Proposals(HttpClient client, string title) =>
        (await client.GetFromJsonAsync<List<LeadProposal>>($"/api/departments/lead-proposals?title={Uri.EscapeDataString(title)}", CommandCentre.Json))!;
}
