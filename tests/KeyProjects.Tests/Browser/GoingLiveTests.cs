using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Office;
using KeyProjects.Web.Services;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace KeyProjects.Tests.Browser;

/// <summary>
/// Going live on an empty PostgreSQL, demo mode off, in Production (a silo and a web host): the first administrator
/// from the set-up token on the console; the city's departments, users and leaders imported from the downloaded
/// template (a file with bad rows refused with each named, nothing created); fifty projects imported the same way;
/// then an office user raises a problem and a department user signs in and claims it.
/// </summary>
public sealed partial class GoingLiveTests : ChromiumTest
{
    [Fact]
    public async Task On_an_empty_database_the_first_start_then_the_citys_data_and_projects_imported_then_a_department_claims_a_problem()
    {
        var database = await (await PostgresServer.Instance).CreateDatabaseAsync("golive");
        var port = ProcessRunner.FreeTcpPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var data = Path.Combine(Path.GetTempPath(), $"kp-golive-{Guid.NewGuid():N}");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__KeyProjects"] = database,
            ["KeyProjects__Demo"] = "false",
            ["KeyProjects__DataDirectory"] = data,
            ["KeyProjects__Orleans__ClusterId"] = "golive-" + port,
            ["KeyProjects__Orleans__SiloPort"] = ProcessRunner.FreeTcpPort().ToString(),
            ["KeyProjects__Orleans__GatewayPort"] = ProcessRunner.FreeTcpPort().ToString(),
        };
        foreach (var (key, value) in KeyCertificate.Settings()) env[key] = value; // Production: the key ring encrypted at rest
        try
        {
            await using var silo = AppProcess.StartSilo(env);
            await using var web = AppProcess.StartWeb(env, port);
            await web.WaitUntilReady(baseAddress, TimeSpan.FromMinutes(3));
            var token = SetupToken().Match(web.Output) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no set-up token:\n" + web.Output);

            // The first administrator, on the set-up page with the printed token.
            var page = await (await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" })).NewPageAsync();
            await page.GotoAsync(new Uri(baseAddress, "/setup").ToString());
            await page.Locator("#token").FillAsync(token);
            await page.Locator("#username").FillAsync("cityadmin");
            await page.Locator("#displayname").FillAsync("市信息中心 管理员");
            await page.Locator("#password").FillAsync("Xinxi-2026-admin");
            await page.Locator("#confirm").FillAsync("Xinxi-2026-admin");
            await page.GetByTestId("setup-submit").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 20_000 });

            using var admin = await SignIn(baseAddress, "cityadmin", "Xinxi-2026-admin");

            // Production: the console writes JSON lines (event id, category, message) for a log collector; the API's
            // description and reference page answer only after sign-in.
            var logLines = web.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Contains(logLines, l => l.GetProperty("Category").GetString() == "Microsoft.Hosting.Lifetime" && l.TryGetProperty("EventId", out _));
            Assert.Contains(silo.Output.Split('\n'), l => l.StartsWith("{\"", StringComparison.Ordinal) && l.Contains("\"Category\"", StringComparison.Ordinal));
            using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress })
            {
                Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
                Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/scalar/v1")).StatusCode);
            }
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/openapi/v1.json")).StatusCode);
            Assert.Empty((await admin.GetFromJsonAsync<List<DepartmentProfile>>("/api/departments", CommandCentre.Json))!);

            // The city's data from the downloaded template: first with three bad rows (each named, nothing created) …
            var template = await admin.GetByteArrayAsync("/api/admin/city/template.xlsx");
            Assert.Equal([CityWorkbook.Units, CityWorkbook.Users, CityWorkbook.Leaders, "填写说明"], MiniExcel.GetSheetNames(new MemoryStream(template)));
            var bad = CityFile(badRows: true);
            var refused = await Upload(admin, "/api/admin/city/import", bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var named = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
            Assert.Equal(["单位 · 第 4 行 · 类型", "用户 · 第 3 行 · 所属单位", "领导 · 第 2 行 · 登录账号"], named);
            Assert.Empty((await admin.GetFromJsonAsync<List<DepartmentProfile>>("/api/departments", CommandCentre.Json))!);

            // … then corrected: every unit, account and leader, once; the same file again changes nothing.
            var imported = await ApiAssert.Ok<CityImport>(await Upload(admin, "/api/admin/city/import", CityFile(badRows: false)));
            Assert.Equal((5, 4, 0, 2), (imported.Departments, imported.UsersCreated, imported.UsersKept, imported.Leaders));
            var again = await ApiAssert.Ok<CityImport>(await Upload(admin, "/api/admin/city/import", CityFile(badRows: false)));
            Assert.Equal((0, 4), (again.UsersCreated, again.UsersKept));
            Assert.Equal(5, (await admin.GetFromJsonAsync<List<DepartmentProfile>>("/api/departments", CommandCentre.Json))!.Count);
            var exported = ProjectFiles.Read(await admin.GetByteArrayAsync("/api/admin/city/export.xlsx"));
            Assert.Contains(exported, r => (string?)r[CityWorkbook.UnitName] == "自然资源和规划局");

            // Fifty projects from the project template (three bad rows first, each named, nothing created).
            Assert.NotEmpty(await admin.GetByteArrayAsync("/api/projects/template.xlsx"));
            var rows = Enumerable.Range(1, 50).Select(n => ProjectFiles.Row($"GL-{n:00}", n)).ToList();
            rows[4][ProjectWorkbook.Town] = "不存在镇";
            rows[9][ProjectWorkbook.Leader] = "无此人";
            rows[14][ProjectWorkbook.Total] = "很多";
            var projectsRefused = await Upload(admin, "/api/projects/import", ProjectFiles.Workbook(rows), "golive-bad");
            Assert.Equal(HttpStatusCode.BadRequest, projectsRefused.StatusCode);
            Assert.Equal(["第 6 行 · 所在镇街", "第 11 行 · 包联领导", "第 16 行 · 总投资(万元)"],
                JsonDocument.Parse(await projectsRefused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name));
            rows[4][ProjectWorkbook.Town] = "城关街道";
            rows[9][ProjectWorkbook.Leader] = "张建国";
            rows[14][ProjectWorkbook.Total] = 2000;
            var started = await Upload(admin, "/api/projects/import", ProjectFiles.Workbook(rows), "golive-good");
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            await Eventually.Get(() => admin.GetFromJsonAsync<ProjectImportStatus>(started.Headers.Location!.ToString(), CommandCentre.Json), s => s!.Completed, "the import completes");
            using var office = await SignIn(baseAddress, "bgs", "Office-2026-start");
            var library = await Eventually.Get(() => office.GetFromJsonAsync<ProjectPage>("/api/projects?limit=100", CommandCentre.Json), p => p!.Total == 50, "fifty projects");
            Assert.All(library!.Items, p => Assert.Equal(("zrzy", "L01"), (p.ResponsibleDepartmentId, p.ResponsibleLeaderId)));

            // The office raises a problem for 自然资源; its user signs in and claims it.
            var raised = await office.PostAsJsonAsync("/api/projects/GL-07/problems",
                new { title = "用地预审意见待出具", description = "上线首个问题", category = "Land", leadDepartmentId = "zrzy" });
            Assert.True(raised.IsSuccessStatusCode, await raised.Content.ReadAsStringAsync());
            var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!.Summary;
            using var zrzy = await SignIn(baseAddress, "zrzy01", "Ziran-2026-start");
            var claimed = await zrzy.PostAsync($"/api/problems/{problem.Id}/claim", null);
            Assert.True(claimed.IsSuccessStatusCode, await claimed.Content.ReadAsStringAsync());
            Assert.Equal(ProblemStatus.InProgress, (await claimed.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!.Summary.Status);
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The city's starting data; with bad rows: an unknown unit type, a user of no unit, a leader's unknown account.</summary>
    private static byte[] CityFile(bool badRows)
    {
        Dictionary<string, object> Unit(string id, string name, string kind) => new() { [CityWorkbook.UnitId] = id, [CityWorkbook.UnitName] = name, [CityWorkbook.UnitKind] = kind };
        Dictionary<string, object> User(string name, string display, string role, string unit, string password) => new()
            { [CityWorkbook.UserName] = name, [CityWorkbook.DisplayName] = display, [CityWorkbook.UserRole] = role, [CityWorkbook.UserUnit] = unit, [CityWorkbook.Password] = password };
        Dictionary<string, object> Leader(string id, string name, string title, string account) => new()
            { [CityWorkbook.LeaderId] = id, [CityWorkbook.LeaderName] = name, [CityWorkbook.LeaderTitle] = title, [CityWorkbook.LeaderAccount] = account };
        var sheets = new Dictionary<string, object>
        {
            [CityWorkbook.Units] = new List<Dictionary<string, object>>
            {
                Unit("zrzy", "自然资源和规划局", "部门"), Unit("fgw", "发展和改革局", "部门"), Unit("chengguan", "城关街道", badRows ? "街道" : "镇街"),
                Unit("xzsp", "行政审批服务局", "部门"), Unit("nanhu", "南湖镇", "镇街"),
            },
            [CityWorkbook.Users] = new List<Dictionary<string, object>>
            {
                User("bgs", "项目办 王主任", "项目办", "", "Office-2026-start"),
                User("zrzy01", "自然资源 李科长", "部门/镇街", badRows ? "国土局" : "自然资源和规划局", "Ziran-2026-start"),
                User("mayor", "张建国", "领导小组", "", "Mayor-2026-start"),
                User("owner01", "项目业主 赵经理", "项目业主", "", "Owner-2026-start"),
            },
            [CityWorkbook.Leaders] = new List<Dictionary<string, object>>
            {
                Leader("L01", "张建国", "市长", badRows ? "nobody" : "mayor"), Leader("L02", "李明", "副市长", ""),
            },
        };
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheets);
        return stream.ToArray();
    }

    private static async Task<HttpClient> SignIn(Uri baseAddress, string userName, string password)
    {
        var client = new HttpClient(new KeyEveryCommand()) { BaseAddress = baseAddress };
        var signedIn = await client.PostAsJsonAsync("/api/auth/token", new { userName, password });
        Assert.True(signedIn.IsSuccessStatusCode, $"{userName}: {(int)signedIn.StatusCode} {await signedIn.Content.ReadAsStringAsync()}");
        var token = (await signedIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Every command carries an idempotency key, as a client of the API does.</summary>
    private sealed class KeyEveryCommand() : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && !request.Headers.Contains("Idempotency-Key")) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static Task<HttpResponseMessage> Upload(HttpClient client, string path, byte[] file, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = ProjectFiles.Upload(file) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return client.SendAsync(request);
    }

    [GeneratedRegex("一次性设置令牌：([0-9a-f]{32})")]
    private static partial Regex SetupToken();
}
