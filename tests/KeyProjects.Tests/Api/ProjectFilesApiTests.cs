using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Office;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The yearly project list as office files on PostgreSQL: the template; fifty rows with three bad ones refused, each bad
/// row and column named and nothing created; the corrected file imported with its progress readable; the 包联 lists
/// follow; the export reads back with every project and imports again as it is.
/// </summary>
public sealed class ProjectFilesApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    [Fact]
    public async Task Fifty_rows_with_three_bad_ones_are_refused_by_row_and_column_then_the_corrected_file_imports_and_exports()
    {
        using var office = await centre.As("office", keyEveryCommand: false);
        using var reporter = await centre.As("reporter", keyEveryCommand: false);
        var tag = $"IMP-{Random.Shared.Next(100_000, 1_000_000)}";

        // The template: the columns an import needs, in order.
        using (var template = await office.GetAsync("/api/projects/template.xlsx"))
        {
            Assert.Equal(HttpStatusCode.OK, template.StatusCode);
            Assert.Equal(ProjectWorkbook.Columns, ProjectFiles.Columns(await template.Content.ReadAsByteArrayAsync()));
        }
        using (var denied = await reporter.GetAsync("/api/projects/template.xlsx")) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        var rows = Enumerable.Range(1, 50).Select(n => ProjectFiles.Row($"{tag}-{n:00}", n)).ToList();
        rows[7][ProjectWorkbook.Category] = "未知类";          // spreadsheet row 9
        rows[20][ProjectWorkbook.Total] = -5;                  // row 22
        rows[33][ProjectWorkbook.Leader] = "不存在的领导";      // row 35
        rows[33][ProjectWorkbook.PlannedCompletion] = "2026-01-01"; // row 35, a second bad cell

        var refused = await Send(office, ProjectFiles.Workbook(rows), "import-bad-" + tag);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        var named = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Equal(["第 9 行 · 项目类别", "第 22 行 · 总投资(万元)", "第 35 行 · 包联领导", "第 35 行 · 计划竣工"], named);
        Assert.Equal([9, 22, 35], problem.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("row").GetInt32()).Distinct().Order());
        Assert.Equal(0, (await Library(office, tag)).Total);

        // Not the office's: refused before the file is read. Not a spreadsheet: a 400 naming the file.
        using (var denied = await Send(reporter, ProjectFiles.Workbook(rows), "import-denied-" + tag)) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        using (var junk = await Send(office, "not a spreadsheet"u8.ToArray(), "import-junk-" + tag))
        {
            Assert.Equal(HttpStatusCode.BadRequest, junk.StatusCode);
            Assert.Contains("\"file\"", await junk.Content.ReadAsStringAsync());
        }

        // Corrected: imported in the background, its progress readable until it completes.
        rows[7][ProjectWorkbook.Category] = "基础设施";
        rows[20][ProjectWorkbook.Total] = 5000;
        rows[33][ProjectWorkbook.Leader] = "李明";
        rows[33][ProjectWorkbook.PlannedCompletion] = "2028-06-30";
        using var accepted = await Send(office, ProjectFiles.Workbook(rows), "import-good-" + tag);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var started = (await accepted.Content.ReadFromJsonAsync<ProjectImportStatus>(CommandCentre.Json))!;
        Assert.Equal(50, started.Total);
        var done = await Eventually.Get(() => office.GetFromJsonAsync<ProjectImportStatus>(accepted.Headers.Location!.ToString(), CommandCentre.Json),
            s => s!.Completed, "the import completes");
        Assert.Equal(0, done!.Refused);

        var library = await Eventually.Get(() => Library(office, tag), page => page.Total == 50, "the library lists the fifty projects");
        var row34 = Assert.Single(library.Items, p => p.Code == $"{tag}-34");
        Assert.Equal(("L02", "zrzy", "城关街道", 1034m, ProjectStage.Reserve),
            (row34.ResponsibleLeaderId, row34.ResponsibleDepartmentId, row34.Town, row34.TotalInvestment, row34.Stage));
        Assert.Equal(ProjectStage.Preparatory, Assert.Single(library.Items, p => p.Code == $"{tag}-05").Stage);
        var leaders = (await office.GetFromJsonAsync<List<LeaderAssignment>>("/api/leadership", CommandCentre.Json))!;
        Assert.Contains($"{tag}-34", leaders.Single(l => l.Leader.Name == "李明").ProjectCodes);
        Assert.Contains($"{tag}-01", leaders.Single(l => l.Leader.Name == "张建国").ProjectCodes);

        // The export reads back with every project, in the office's words, and imports again as it is.
        using var export = await office.GetAsync($"/api/projects/export.xlsx?q={tag}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var file = await export.Content.ReadAsByteArrayAsync();
        var exported = ProjectFiles.Read(file);
        Assert.Equal(rows.Select(r => r[ProjectWorkbook.Code]).Order(), exported.Select(r => r[ProjectWorkbook.Code]).Order());
        var exported34 = exported.Single(r => (string)r[ProjectWorkbook.Code]! == $"{tag}-34");
        Assert.Equal(("导入测试项目34", "产业类", "李明", "自然资源和规划局"),
            ((string)exported34[ProjectWorkbook.Name]!, (string)exported34[ProjectWorkbook.Category]!, (string)exported34[ProjectWorkbook.Leader]!, (string)exported34[ProjectWorkbook.Department]!));
        // Imported again (next year's list, say): what the library keeps is replaced, never a project's stage or progress.
        using (var keyed = await centre.As("office"))
        {
            (await keyed.PostAsJsonAsync($"/api/projects/{tag}-01/stage", new { stage = "Negotiating" })).EnsureSuccessStatusCode();
            (await keyed.PostAsJsonAsync($"/api/projects/{tag}-02/reports/{KeyProjects.Grains.Reports.ReportRules.MonthOf(KeyProjects.Grains.Settings.WorkingCalendar.LocalDate(DateTimeOffset.UtcNow))}",
                new { completedThisMonth = 700, imageProgress = "基础施工", imageProgressPercent = 10 })).EnsureSuccessStatusCode();
        }
        using var again = await Send(office, file, "import-again-" + tag);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await Eventually.Get(() => office.GetFromJsonAsync<ProjectImportStatus>(again.Headers.Location!.ToString(), CommandCentre.Json), s => s!.Completed, "the second import completes");
        var after = await Library(office, tag);
        Assert.Equal(ProjectStage.Negotiating, after.Items.Single(p => p.Code == $"{tag}-01").Stage);
        Assert.Equal(700m, after.Items.Single(p => p.Code == $"{tag}-02").CompletedInvestment);

        // The same key with another file is not the same import.
        using var reused = await Send(office, ProjectFiles.Workbook(rows.Take(3)), "import-again-" + tag);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, byte[] file, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects/import") { Content = ProjectFiles.Upload(file) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static async Task<Page<ProjectSummary>> Library(HttpClient client, string tag) =>
        (await client.GetFromJsonAsync<Page<ProjectSummary>>($"/api/projects?q={tag}&limit=100", CommandCentre.Json))!;
}
