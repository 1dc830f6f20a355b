using System.Net.Http.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Demo;
using KeyProjects.Web.Services;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KeyProjects.Tests.Browser;

/// <summary>Real Chromium against the running command centre: pages follow other users' changes without reload.</summary>
public sealed class LivePagesTests(EmbeddedCommandCentre centre) : ChromiumTest, IClassFixture<EmbeddedCommandCentre>
{
    [Fact]
    public async Task A_department_user_sees_a_new_problem_and_a_colleagues_claim_without_reload()
    {
        var page = await SignedInPage("zrzy2");
        await page.GotoAsync(new Uri(centre.BaseAddress, "/departments/zrzy/inbox").ToString());
        await Expect(page.GetByTestId("inbox-title")).ToContainTextAsync("自然资源和规划局");
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });

        // The office raises a problem for 自然资源和规划局: it appears in the open inbox.
        using var office = await centre.As("office");
        var title = $"浏览器实时测试 {Guid.NewGuid():N}"[..20];
        var raised = await office.PostAsJsonAsync("/api/projects/2026-021/problems",
            new { title, description = "实时", category = "Land", leadDepartmentId = "zrzy" });
        var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
        await Expect(page.GetByText(title)).ToBeVisibleAsync(new() { Timeout = 20_000 });

        // The user opens it; a colleague claims it through the API; the open page shows the claim.
        await page.GotoAsync(new Uri(centre.BaseAddress, $"/problems/{problem.Summary.Id}").ToString());
        await Expect(page.GetByTestId("problem-status")).ToContainTextAsync("待认领");
        await Expect(page.GetByTestId("action-claim")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });

        using var colleague = await centre.As("zrzy");
        (await colleague.PostAsync($"/api/problems/{problem.Summary.Id}/claim", null)).EnsureSuccessStatusCode();

        await Expect(page.GetByTestId("problem-status")).ToContainTextAsync("办理中", new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("problem-claimed-by")).ToContainTextAsync("刘科长");
        await Expect(page.GetByTestId("action-claim")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("history-action")).ToHaveTextAsync(["提报", "认领"]);
    }

    [Fact]
    public async Task A_department_user_claims_from_the_inbox_page()
    {
        using var office = await centre.As("office");
        var title = $"页面认领测试 {Guid.NewGuid():N}"[..18];
        var raised = await office.PostAsJsonAsync("/api/projects/2026-031/problems",
            new { title, description = "页面认领", category = "Land", leadDepartmentId = "zrzy" });
        var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;

        var page = await SignedInPage("zrzy");
        await page.GotoAsync(new Uri(centre.BaseAddress, "/departments/zrzy/inbox").ToString());
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Shot(page, "inbox-zrzy");
        await page.GetByTestId($"claim-{problem.Summary.Id}").ClickAsync();

        await Expect(page.GetByTestId($"status-{problem.Summary.Id}")).ToContainTextAsync("办理中", new() { Timeout = 20_000 });
        var after = await office.GetFromJsonAsync<ProblemView>($"/api/problems/{problem.Summary.Id}", CommandCentre.Json);
        Assert.Equal("zrzy", after!.ClaimedBy?.UserName);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_sign_in_page_in_chinese_whatever_the_browser_language()
    {
        var page = await (await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US" })).NewPageAsync();
        await page.GotoAsync(new Uri(centre.BaseAddress, "/projects").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.Locator("#username").FillAsync("fgw");
        await page.Locator("#password").FillAsync("not-the-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("用户名或密码错误");

        await page.GotoAsync(new Uri(centre.BaseAddress, "/login?culture=en").ToString());
        await Expect(page.GetByTestId("login-submit")).ToHaveTextAsync("Sign in");
    }

    [Fact]
    public async Task The_department_desk_and_its_bell_update_live_when_the_office_routes_a_problem_to_it()
    {
        var page = await SignedInPage("zrzy2");
        await page.GotoAsync(new Uri(centre.BaseAddress, "/departments/zrzy/desk").ToString());
        await Expect(page.GetByTestId("desk-title")).ToContainTextAsync("自然资源和规划局");
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        var unreadBefore = int.Parse((await page.GetByTestId("bell-count").GetAttributeAsync("data-count"))!);

        using var office = await centre.As("office");
        var title = $"工作台实时 {Guid.NewGuid():N}"[..16];
        (await office.PostAsJsonAsync("/api/projects/2026-041/problems",
            new { title, description = "", category = "Approvals", leadDepartmentId = "zrzy" })).EnsureSuccessStatusCode();

        await Expect(page.GetByText(title)).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("bell-count")).Not.ToHaveAttributeAsync("data-count", unreadBefore.ToString(), new() { Timeout = 20_000 });
        await page.GetByTestId("bell").ClickAsync();
        await Expect(page.GetByTestId("bell-panel")).ToContainTextAsync(title);
        await Shot(page, "desk-and-bell-zrzy2");
        await page.GetByTestId("bell-read-all").ClickAsync();
        await Expect(page.GetByTestId("bell-count")).ToHaveAttributeAsync("data-count", "0");
    }

    [Fact]
    public async Task The_office_console_shows_an_unrouted_problem_live_and_routes_it()
    {
        var page = await SignedInPage("office");
        await page.GotoAsync(new Uri(centre.BaseAddress, "/console").ToString());
        await Expect(page.GetByTestId("console-title")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });

        using var reporter = await centre.As("reporter");
        var title = $"待分办实时 {Guid.NewGuid():N}"[..16];
        var raised = await reporter.PostAsJsonAsync("/api/projects/2026-051/problems", new { title, description = "", category = "Utilities" });
        var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
        Assert.Equal(ProblemStatus.Unrouted, problem.Summary.Status);

        var row = page.Locator($"[data-testid=console-unrouted-row][data-id='{problem.Summary.Id}']");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await row.GetByTestId("console-department").SelectOptionAsync("gdgs");
        await row.GetByTestId("console-act").ClickAsync();

        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Shot(page, "console-office");
        using var office = await centre.As("office");
        var routed = (await office.GetFromJsonAsync<ProblemView>($"/api/problems/{problem.Summary.Id}", CommandCentre.Json))!;
        Assert.Equal(ProblemStatus.Routed, routed.Summary.Status);
        Assert.Equal("gdgs", routed.Summary.LeadDepartmentId);
        Assert.NotNull(routed.Summary.ClaimDeadline);
    }

    [Fact]
    public async Task A_leader_sees_a_new_problem_on_the_cockpit_and_instructs_the_department_in_one_action()
    {
        using var office = await centre.As("office");
        var leadership = (await office.GetFromJsonAsync<List<KeyProjects.Grains.Leadership.LeaderAssignment>>("/api/leadership", CommandCentre.Json))!;
        var project = leadership.Single(m => m.Leader.UserName == "vicemayor").ProjectCodes[1];
        var page = await SignedInPage("vicemayor");
        await page.GotoAsync(new Uri(centre.BaseAddress, "/cockpit").ToString());
        await Expect(page.GetByTestId("cockpit-title")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });

        var title = $"驾驶舱实时 {Guid.NewGuid():N}"[..16];
        var raised = await office.PostAsJsonAsync($"/api/projects/{project}/problems", new { title, description = "", category = "Funds", leadDepartmentId = "czj" });
        var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
        var row = page.Locator($"[data-testid=cockpit-problem][data-id='{problem.Summary.Id}']");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });

        await row.GetByTestId("instruct").ClickAsync();
        await row.GetByTestId("instruct-text").FillAsync("请财政局本周内研究资金拨付方案");
        await row.GetByTestId("instruct-send").ClickAsync();
        await Shot(page, "cockpit-vicemayor");

        // The instruction lands on the department's desk and in the problem's record.
        await Eventually.Get(
            async () => (await office.GetFromJsonAsync<DeskView>("/api/departments/czj/desk", CommandCentre.Json))!,
            desk => desk.Directives.Any(d => d.ProblemId == problem.Summary.Id && d.Kind == KeyProjects.Grains.Directives.DirectiveKind.Instruction),
            "the instruction on 财政局's desk");
        var withInstruction = (await office.GetFromJsonAsync<ProblemView>($"/api/problems/{problem.Summary.Id}", CommandCentre.Json))!;
        Assert.Equal("vicemayor", withInstruction.History.Last(h => h.Action == ProblemActions.Instructed).Actor.UserName);
    }

    [Theory]
    [InlineData("office", 1920, 1080)]
    [InlineData("mayor", 1920, 1080)]
    [InlineData("zrzy", 390, 844)]
    [InlineData("reporter", 390, 844)]
    public async Task The_project_library_pages_and_searches_in_the_database_and_a_problem_shows_its_history_from_the_log(string user, int width, int height)
    {
        using var office = await centre.As("office");
        var title = $"历史校验测试 {Guid.NewGuid():N}"[..18];
        var raised = await office.PostAsJsonAsync("/api/projects/2026-041/problems", new { title, description = "历史", category = "Land", leadDepartmentId = "zrzy" });
        var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;

        var page = await SignedInPage(user, width, height);
        await page.GotoAsync(new Uri(centre.BaseAddress, "/projects").ToString());
        // A reporter's library is its own projects (the demo reporter's: the city-owned groups', 60 of 120).
        await Expect(page.GetByTestId("project-count")).ToContainTextAsync(user == "reporter" ? "共 60 个重点项目" : "共 120 个重点项目", new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=project-grid] tbody tr")).ToHaveCountAsync(20);
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("project-search").FillAsync("2026-041");
        await Expect(page.GetByTestId("project-count")).ToContainTextAsync("共 1 个重点项目", new() { Timeout = 20_000 });
        await Shot(page, $"projects-{user}");
        await page.Locator("[data-testid=project-grid] tbody tr a").First.ClickAsync();
        await Expect(page.GetByText(title)).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Shot(page, $"project-{user}");

        await page.GotoAsync(new Uri(centre.BaseAddress, $"/problems/{problem.Summary.Id}").ToString());
        await Expect(page.GetByTestId("history-action")).ToHaveTextAsync(["提报"], new() { Timeout = 20_000 });
        var hash = await page.Locator("[data-testid=problem-history] code").First.TextContentAsync();
        Assert.Matches("^[0-9a-f]{8}$", hash);
        await Shot(page, $"problem-{user}");
    }

    private Task<IPage> SignedInPage(string userName, int width = 1920, int height = 1080) => SignedInPage(centre.BaseAddress, userName, width, height);
}
