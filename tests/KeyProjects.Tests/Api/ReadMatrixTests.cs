using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Meetings;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Reports;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Api;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The read policy (<see cref="KeyProjects.Web.Identity.ReadAccess"/>), tried as the write matrix tries commands: every
/// GET endpoint of the application's route table, as every role, as a department that takes part and one that does
/// not, as the reporter of the project and as a reporter of another, as a wall screen and a kiosk token, and as nobody.
/// Those allowed get their answer; everyone else is refused (401/403) and shown nothing. An endpoint missing from the
/// table fails the test: a new read cannot be forgotten.
/// </summary>
public sealed class ReadMatrixTests(EmbeddedCommandCentre centre) : IClassFixture<EmbeddedCommandCentre>
{
    /// <summary>The demo reporter's project (the city-owned groups' projects are odd-numbered) and one that is not its.</summary>
    private const string Own = "2026-041", Other = "2026-042";

    private static readonly string[] Actors = ["admin", "office", "mayor", "zrzy", "fgw", "reporter", "screen", "kiosk", "anonymous"];

    private static readonly string[] Command = ["admin", "office", "mayor"];
    private static readonly string[] Officials = ["admin", "office", "mayor", "zrzy", "fgw", "reporter"];
    private static readonly string[] CityFigures = ["admin", "office", "mayor", "zrzy", "fgw"];


    private sealed record Fixture(Guid Problem, Guid OtherProblem, Guid Directive, Guid Meeting, Guid Photo, Guid Import, string Month, int Year);

    /// <summary>Route pattern → the path tried and who reads it (the first allowed one must get a 2xx; the others may not be refused, 401/403).</summary>
    private static Dictionary<string, (string Path, string[] Allowed)> Matrix(Fixture f) => new()
    {
        ["/api/admin/audit"] = ("/api/admin/audit", ["admin"]),
        ["/api/admin/audit-log"] = ("/api/admin/audit-log", ["admin"]),
        ["/api/admin/city/export.xlsx"] = ("/api/admin/city/export.xlsx", ["admin"]),
        ["/api/admin/city/template.xlsx"] = ("/api/admin/city/template.xlsx", ["admin"]),
        ["/api/admin/departments"] = ("/api/admin/departments", ["admin"]),
        ["/api/admin/departments/{id}/history"] = ("/api/admin/departments/zrzy/history", ["admin"]),
        ["/api/admin/leadership/history"] = ("/api/admin/leadership/history", ["admin"]),
        ["/api/admin/routes"] = ("/api/admin/routes", ["admin"]),
        ["/api/admin/settings/history"] = ("/api/admin/settings/history", ["admin"]),
        ["/api/admin/users"] = ("/api/admin/users", ["admin"]),
        ["/api/kiosk-tokens"] = ("/api/kiosk-tokens", ["admin"]),
        ["/api/kiosk-tokens/history"] = ("/api/kiosk-tokens/history", ["admin"]),
        ["/api/admin/users/history"] = ("/api/admin/users/history", ["admin"]),
        // Approval items: the command reads the city's; a department its own (asked for by its id).
        ["/api/approvals"] = ("/api/approvals?department=zrzy", ["admin", "office", "mayor", "zrzy"]),
        ["/api/approvals/export.xlsx"] = ("/api/approvals/export.xlsx?department=zrzy", ["admin", "office", "mayor", "zrzy"]),
        ["/api/bulletins/{month}.docx"] = ($"/api/bulletins/{f.Month}.docx", Command),
        ["/api/cockpit"] = ("/api/cockpit", ["mayor"]),
        ["/api/console"] = ("/api/console", ["office", "admin"]),
        // The directory of units and the leadership group, the deadline rules and the calendar: every official.
        ["/api/departments"] = ("/api/departments", Officials),
        ["/api/departments/lead-proposals"] = ("/api/departments/lead-proposals?title=" + Uri.EscapeDataString("建设用地指标"), Officials),
        ["/api/leadership"] = ("/api/leadership", Officials),
        ["/api/settings/calendar"] = ("/api/settings/calendar", Officials),
        ["/api/settings/problems"] = ("/api/settings/problems", Officials),
        ["/api/settings/problems/history"] = ("/api/settings/problems/history", Officials),
        ["/api/me/notifications"] = ("/api/me/notifications", Officials),
        ["/api/me"] = ("/api/me", [.. Officials, "screen", "kiosk"]),
        // A department's desk and inbox: the unit itself and the command.
        ["/api/departments/{id}/desk"] = ("/api/departments/zrzy/desk", ["admin", "office", "mayor", "zrzy"]),
        ["/api/departments/{id}/inbox"] = ("/api/departments/zrzy/inbox", ["admin", "office", "mayor", "zrzy"]),
        // The figures, the ranking, the factor ledger and the problem ledger: the command and every department.
        ["/api/departments/{id}/figures"] = ("/api/departments/zrzy/figures", CityFigures),
        ["/api/figures"] = ("/api/figures", CityFigures),
        ["/api/figures/departments"] = ("/api/figures/departments", CityFigures),
        ["/api/figures/export.xlsx"] = ("/api/figures/export.xlsx", CityFigures),
        ["/api/figures/{by}/{key}"] = ("/api/figures/Town/" + Uri.EscapeDataString("城关街道"), CityFigures),
        ["/api/rankings/{month}"] = ($"/api/rankings/{f.Month}", CityFigures),
        ["/api/factors/needs"] = ("/api/factors/needs", CityFigures),
        ["/api/factors/{year:int}"] = ($"/api/factors/{f.Year}", CityFigures),
        ["/api/factors/{year:int}/export.xlsx"] = ($"/api/factors/{f.Year}/export.xlsx", CityFigures),
        ["/api/problems/export.xlsx"] = ("/api/problems/export.xlsx", CityFigures),
        ["/api/projects/export.xlsx"] = ("/api/projects/export.xlsx", CityFigures),
        // Orders: the command lists them; the addressed unit reads its own.
        ["/api/directives"] = ("/api/directives", Command),
        ["/api/directives/{id:guid}"] = ($"/api/directives/{f.Directive}", ["admin", "office", "mayor", "zrzy"]),
        ["/api/directives/{id:guid}/history"] = ($"/api/directives/{f.Directive}/history", ["admin", "office", "mayor", "zrzy"]),
        // Meetings: the command and the units attending (the list shows a unit its own).
        ["/api/meetings"] = ("/api/meetings", CityFigures),
        ["/api/meetings/{id:guid}"] = ($"/api/meetings/{f.Meeting}", ["admin", "office", "mayor", "zrzy"]),
        ["/api/meetings/{id:guid}/minutes.docx"] = ($"/api/meetings/{f.Meeting}/minutes.docx", ["admin", "office", "mayor", "zrzy"]),
        ["/api/outbox"] = ("/api/outbox", ["admin", "office"]),
        // Lists every official reads (narrowed for a reporter: see the test below).
        ["/api/problems"] = ("/api/problems", Officials),
        ["/api/projects"] = ("/api/projects", Officials),
        // A problem in full: the command, the units taking part (zrzy leads it; fgw does not take part), its project's reporter.
        ["/api/problems/{id:guid}"] = ($"/api/problems/{f.Problem}", ["admin", "office", "mayor", "zrzy", "reporter"]),
        ["/api/problems/{id:guid}/history"] = ($"/api/problems/{f.Problem}/history", ["admin", "office", "mayor", "zrzy", "reporter"]),
        // A project, its reports and photos: every official but a reporter of other projects.
        ["/api/projects/{code}"] = ($"/api/projects/{Own}", Officials),
        ["/api/projects/{code}/reports"] = ($"/api/projects/{Own}/reports", Officials),
        ["/api/projects/{code}/reports/{month}"] = ($"/api/projects/{Own}/reports/{f.Month}", Officials),
        ["/api/photos/{id:guid}"] = ($"/api/photos/{f.Photo}", Officials),
        ["/api/photos/{id:guid}/thumbnail"] = ($"/api/photos/{f.Photo}/thumbnail", Officials),
        ["/api/projects/template.xlsx"] = ("/api/projects/template.xlsx", ["office", "admin"]),
        ["/api/projects/imports/{id:guid}"] = ($"/api/projects/imports/{f.Import}", ["office", "admin"]),
        // The war room: its readers and the wall screens; the records behind a figure: the command only.
        ["/api/warroom"] = ("/api/warroom", ["admin", "office", "mayor", "screen", "kiosk"]),
        ["/api/warroom/figures/{figure}"] = ("/api/warroom/figures/red", Command),
    };

    /// <summary>Reads of another's thing by the same route: refused where the matrix above allows the route.</summary>
    private static IEnumerable<(string Path, string[] Refused)> OthersThings(Fixture f) =>
    [
        ($"/api/problems/{f.OtherProblem}", ["fgw", "reporter"]),
        ($"/api/problems/{f.OtherProblem}/history", ["fgw", "reporter"]),
        ($"/api/projects/{Other}", ["reporter"]),
        ($"/api/projects/{Other}/reports", ["reporter"]),
        ($"/api/projects/{Other}/reports/{f.Month}", ["reporter"]),
        ("/api/departments/fgw/desk", ["zrzy"]),
        ("/api/departments/fgw/inbox", ["zrzy"]),
        ("/api/approvals?department=fgw", ["zrzy"]),
    ];

    [Fact]
    public async Task Every_read_is_answered_only_to_those_the_read_policy_lets_read_it()
    {
        using var admin = await centre.As("admin");
        var routes = (await admin.GetFromJsonAsync<List<RouteInfo>>("/api/admin/routes", CommandCentre.Json))!;
        var reads = routes.Where(r => r.Methods.Contains("GET") && r.Pattern.StartsWith("/api/", StringComparison.Ordinal)).Select(r => r.Pattern).ToHashSet();
        var f = await Arrange();
        var matrix = Matrix(f);

        var forgotten = reads.Where(r => !matrix.ContainsKey(r)).ToList();
        Assert.True(forgotten.Count == 0, "Reads missing from the read matrix: " + string.Join(", ", forgotten));
        var stale = matrix.Keys.Where(k => !reads.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "The read matrix names routes the application no longer maps: " + string.Join(", ", stale));

        var wrong = new List<string>();
        foreach (var (route, (path, allowed)) in matrix)
        {
            foreach (var actor in Actors)
            {
                using var response = await Get(actor, path);
                var status = (int)response.StatusCode;
                if (allowed.Contains(actor))
                {
                    var ok = actor == allowed[0] ? response.IsSuccessStatusCode : status is not (401 or 403);
                    if (!ok) wrong.Add($"{route} as {actor}: {status}, should read it");
                }
                else if (status is not (401 or 403))
                    wrong.Add($"{route} as {actor}: {status}, should be refused");
                else if (actor == "anonymous" != (status == 401))
                    wrong.Add($"{route} as {actor}: {status} (401 is for nobody signed in, 403 for the signed-in)");
            }
        }
        foreach (var (path, refused) in OthersThings(f))
            foreach (var actor in refused)
            {
                using var response = await Get(actor, path);
                if (response.StatusCode != HttpStatusCode.Forbidden) wrong.Add($"{path} as {actor}: {(int)response.StatusCode}, not theirs to read");
                else if ((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("status", out var s) && s.GetInt32() != 403)
                    wrong.Add($"{path} as {actor}: not a ProblemDetails 403");
            }
        Assert.True(wrong.Count == 0, $"{wrong.Count} reads answered wrongly:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_reporter_lists_only_its_own_projects_and_their_problems_and_a_new_binding_holds_at_once()
    {
        using var admin = await centre.As("admin");
        var name = $"yz{Guid.NewGuid():N}"[..12];
        // Bad bindings are refused, naming the field, and change nothing.
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/users", new { userName = name, displayName = "业主 测试", role = "ProjectReporter", password = "Yezhu-2026-pass", projects = new[] { "2099-999" } }),
            HttpStatusCode.BadRequest, "projects");
        await ApiAssert.Refused(await admin.PostAsJsonAsync("/api/admin/users", new { userName = name, displayName = "业主 测试", role = "Department", departmentId = "fgw", password = "Yezhu-2026-pass", projects = new[] { Own } }),
            HttpStatusCode.BadRequest, "projects");
        (await admin.PostAsJsonAsync("/api/admin/users", new { userName = name, displayName = "业主 测试", role = "ProjectReporter", password = "Yezhu-2026-pass", projects = new[] { Other } }))
            .EnsureSuccessStatusCode();
        using var reporter = await centre.As(name, password: "Yezhu-2026-pass");

        var projects = (await reporter.GetFromJsonAsync<ProjectPage>("/api/projects?limit=500", CommandCentre.Json))!;
        Assert.Equal([Other], projects.Items.Select(p => p.Code));
        Assert.Equal(1, projects.Total);
        var problems = (await reporter.GetFromJsonAsync<Page<ProblemSummary>>("/api/problems?limit=500", CommandCentre.Json))!;
        Assert.All(problems.Items, p => Assert.Equal(Other, p.ProjectCode));
        // Asking for another project's lines through the filter shows nothing either.
        Assert.Equal(0, (await reporter.GetFromJsonAsync<Page<ProblemSummary>>($"/api/problems?project={Own}", CommandCentre.Json))!.Total);
        using (var refused = await reporter.GetAsync($"/api/projects/{Own}")) Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await ApiAssert.Refused(await reporter.PostAsJsonAsync($"/api/projects/{Own}/problems", new { title = "越权提报", category = "Land", leadDepartmentId = "zrzy" }),
            HttpStatusCode.Forbidden, "project.read_forbidden");

        // A problem it raises on its project waits for routing.
        var raised = await ApiAssert.Ok<ProblemView>(await reporter.PostAsJsonAsync($"/api/projects/{Other}/problems", new { title = "业主提报", category = "Land" }));

        // The administrator gives the account the other project instead: it holds on the next request, no new sign-in.
        (await admin.PutAsJsonAsync($"/api/admin/users/{name}/projects", new { projects = new[] { Own } })).EnsureSuccessStatusCode();
        // It still reads what it raised, but acts no more on a project that is not its own.
        using (var read = await reporter.GetAsync($"/api/problems/{raised.Summary.Id}")) Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await ApiAssert.Refused(await reporter.PostAsJsonAsync($"/api/problems/{raised.Summary.Id}/close", new { note = "已不是我的项目" }),
            HttpStatusCode.Forbidden, "project.read_forbidden");
        using (var now = await reporter.GetAsync($"/api/projects/{Own}")) Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        using (var gone = await reporter.GetAsync($"/api/projects/{Other}")) Assert.Equal(HttpStatusCode.Forbidden, gone.StatusCode);
        Assert.Equal([Own], (await reporter.GetFromJsonAsync<ProjectPage>("/api/projects", CommandCentre.Json))!.Items.Select(p => p.Code));
        var listed = (await admin.GetFromJsonAsync<List<KeyProjects.Grains.Accounts.AccountListing>>("/api/admin/users", CommandCentre.Json))!.Single(u => u.UserName == name);
        Assert.Equal([Own], listed.Projects!);
        // Only a reporter's account has projects; an unknown project is named.
        await ApiAssert.Refused(await admin.PutAsJsonAsync("/api/admin/users/zrzy/projects", new { projects = new[] { Own } }), HttpStatusCode.BadRequest, "projects");
        await ApiAssert.Refused(await admin.PutAsJsonAsync($"/api/admin/users/{name}/projects", new { projects = new[] { "no-such" } }), HttpStatusCode.BadRequest, "projects");
        await ApiAssert.Refused(await admin.PutAsJsonAsync($"/api/admin/users/{name}/projects", new { }), HttpStatusCode.BadRequest, "projects");
        Assert.Equal([Own], (await admin.GetFromJsonAsync<List<KeyProjects.Grains.Accounts.AccountListing>>("/api/admin/users", CommandCentre.Json))!
            .Single(u => u.UserName == name).Projects!);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit-log?kind=user.projects-set&actor=admin");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("subject").GetString() == name && e.GetProperty("detail").GetString()!.Contains(Own));
    }

    private async Task<Fixture> Arrange()
    {
        using var office = await centre.As("office");
        using var reporter = await centre.As("reporter");
        var today = KeyProjects.Grains.Settings.WorkingCalendar.LocalDate(DateTimeOffset.UtcNow);
        var month = ReportRules.MonthOf(today);

        async Task<Guid> Raise(string code)
        {
            using var raised = await office.PostAsJsonAsync($"/api/projects/{code}/problems", new { title = "读取矩阵问题", description = "谁能读到", category = "Land", leadDepartmentId = "zrzy" });
            return (await ApiAssert.Ok<ProblemView>(raised)).Summary.Id;
        }
        var problem = await Raise(Own);
        var other = await Raise(Other);
        using var issued = await office.PostAsJsonAsync("/api/directives", new { kind = "SupervisionOrder", problemId = problem, departmentId = "zrzy", text = "请尽快认领" });
        var directive = (await ApiAssert.Ok<DirectiveView>(issued)).Summary.Id;
        using var scheduled = await office.PostAsJsonAsync("/api/meetings", new { kind = "WeeklyDispatch", series = $"read-{Guid.NewGuid():N}"[..12], scheduledAt = DateTimeOffset.UtcNow.AddDays(2), attendeeDepartmentIds = new[] { "zrzy" } });
        var meeting = (await ApiAssert.Ok<MeetingView>(scheduled)).Summary.Id;
        (await office.PostAsync($"/api/meetings/{meeting}/start", null)).EnsureSuccessStatusCode();
        (await office.PostAsync($"/api/meetings/{meeting}/close", null)).EnsureSuccessStatusCode(); // its minutes are drafted
        using var imported = await office.PostAsync("/api/projects/import", ProjectFiles.Upload(ProjectFiles.Workbook([ProjectFiles.Row($"READ-{Guid.NewGuid():N}"[..16], 1)])));
        var import = (await ApiAssert.Ok<JsonElement>(imported)).GetProperty("id").GetGuid();
        (await reporter.PostAsJsonAsync($"/api/projects/{Own}/reports/{month}", new { completedThisMonth = 12, imageProgress = "基础施工", imageProgressPercent = 8 })).EnsureSuccessStatusCode();
        (await office.PostAsJsonAsync($"/api/projects/{Other}/reports/{month}", new { completedThisMonth = 12, imageProgress = "基础施工", imageProgressPercent = 8 })).EnsureSuccessStatusCode();
        var photo = new ByteArrayContent(ProjectFiles.Photo(320, 240));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{Own}/reports/{month}/photos")
        {
            Content = new MultipartFormDataContent { { photo, "file", "现场.png" }, { new StringContent("读取矩阵"), "caption" } },
        };
        using var uploaded = await reporter.SendAsync(upload);
        var report = await ApiAssert.Ok<ProgressReportView>(uploaded);
        return new Fixture(problem, other, directive, meeting, report.Report.Photos![^1].Id, import, month, today.Year);
    }

    private async Task<HttpResponseMessage> Get(string actor, string path)
    {
        using var client = actor switch
        {
            "anonymous" => centre.Anonymous(),
            "kiosk" => await centre.AsKiosk(),
            _ => await centre.As(actor),
        };
        return await client.GetAsync(path);
    }

}
