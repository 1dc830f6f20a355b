using System.Net.Http.Json;
using KeyProjects.Grains.Problems;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KeyProjects.Tests.Browser;

/// <summary>Real Chromium against the running command centre: pages follow other users' changes without reload.</summary>
public sealed class LivePagesTests(EmbeddedCommandCentre centre) : IClassFixture<EmbeddedCommandCentre>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("KEYPROJECTS_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

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
        await page.GetByTestId($"claim-{problem.Summary.Id}").ClickAsync();

        await Expect(page.GetByTestId($"status-{problem.Summary.Id}")).ToContainTextAsync("办理中", new() { Timeout = 20_000 });
        var after = await office.GetFromJsonAsync<ProblemView>($"/api/problems/{problem.Summary.Id}", CommandCentre.Json);
        Assert.Equal("zrzy", after!.ClaimedBy?.UserName);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_sign_in_page_in_chinese_whatever_the_browser_language()
    {
        var page = await (await _browser!.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US" })).NewPageAsync();
        await page.GotoAsync(new Uri(centre.BaseAddress, "/projects").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.Locator("#username").FillAsync("fgw");
        await page.Locator("#password").FillAsync("not-the-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("用户名或密码错误");

        await page.GotoAsync(new Uri(centre.BaseAddress, "/login?culture=en").ToString());
        await Expect(page.GetByTestId("login-submit")).ToHaveTextAsync("Sign in");
    }

    private async Task<IPage> SignedInPage(string userName)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(centre.BaseAddress, "/login").ToString());
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(DemoCity.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("current-user")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        return page;
    }
}
