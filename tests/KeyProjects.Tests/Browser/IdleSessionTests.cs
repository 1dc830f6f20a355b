using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KeyProjects.Tests.Browser;

/// <summary>The command centre with a short idle timeout (20 s), so a test sees an idle session end.</summary>
public sealed class IdleCommandCentre : EmbeddedCommandCentre
{
    public const int IdleSeconds = 20;

    public IdleCommandCentre() => Extra["KeyProjects__Sessions__IdleTimeout"] = TimeSpan.FromSeconds(IdleSeconds).ToString();
}

/// <summary>
/// Idle sessions end (等保 2.0): a page nobody uses is signed out — by the server (its live page at the next check, its
/// cookie at its next request), and by the page itself, which says why — while a page in use stays signed in.
/// </summary>
public sealed class IdleSessionTests(IdleCommandCentre centre) : ChromiumTest, IClassFixture<IdleCommandCentre>
{
    [Fact]
    public async Task The_server_ends_an_idle_session_its_live_page_and_every_copy_of_its_cookie()
    {
        // The page's own idle script is blocked: what ends this session is the server.
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        await context.RouteAsync("**/session*.js", route => route.AbortAsync());
        var page = await context.NewPageAsync();
        await SignIn(page, "zrzy");
        await page.GotoAsync(Url("/departments/zrzy/desk"));
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        using var copy = await CookieClient(context);
        using (var works = await copy.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.OK, works.StatusCode);

        // Nobody touches it: after the timeout the live page is signed out and lands on the sign-in page.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/login"), new() { Timeout = (IdleCommandCentre.IdleSeconds + 40) * 1000 });
        using (var ended = await copy.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);

        // The audit log says so (each refused copy is a line of its own).
        using var admin = await centre.As("admin");
        var log = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit-log?actor=zrzy&kind=sign-out");
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.GetProperty("detail").GetString()!.Contains("未操作"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_page_in_use_stays_signed_in_and_once_left_alone_goes_to_the_sign_in_page_saying_why()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await SignIn(page, "xzsp");
        await page.GotoAsync(Url("/projects"));
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });

        // In use for twice the timeout: the mouse moves every second.
        for (var i = 0; i < IdleCommandCentre.IdleSeconds * 2; i++)
        {
            await page.Mouse.MoveAsync(200 + i % 2 * 300, 300);
            await page.WaitForTimeoutAsync(1000);
        }
        Assert.EndsWith("/projects", page.Url);
        await Expect(page.GetByTestId("current-user")).ToBeVisibleAsync();
        using (var copy = await CookieClient(context))
        using (var works = await copy.GetAsync("/api/me"))
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);

        // Left alone: the page goes to the sign-in page and says why; the session is over.
        await Expect(page.GetByTestId("login-idle")).ToBeVisibleAsync(new() { Timeout = (IdleCommandCentre.IdleSeconds + 40) * 1000 });
        await Expect(page.GetByTestId("login-idle")).ToContainTextAsync("长时间未操作");
        await Shot(page, "login-after-idle");
        await page.WaitForTimeoutAsync(3000); // past the server's limit too
        using (var copy = await CookieClient(context))
        using (var ended = await copy.GetAsync("/api/me"))
            Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Signing_out_in_the_browser_ends_a_copy_of_its_cookie_too()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await SignIn(page, "fgw");
        using var copy = await CookieClient(context);
        using (var works = await copy.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.OK, works.StatusCode);

        await page.Locator("form.kp-logout button").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        // The copy is refused at its next check of the security stamp (every 2 s here, every minute by default).
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 50 && status == HttpStatusCode.OK; i++)
        {
            await Task.Delay(200);
            using var response = await copy.GetAsync("/api/me");
            status = response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        await context.CloseAsync();
    }

    private string Url(string path) => new Uri(centre.BaseAddress, path).ToString();

    private async Task SignIn(IPage page, string userName)
    {
        await page.GotoAsync(Url("/login"));
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(DemoCity.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("current-user")).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }

    /// <summary>An HTTP client carrying a copy of the browser's cookies (another copy of the same session).</summary>
    private async Task<HttpClient> CookieClient(IBrowserContext context)
    {
        var cookies = await context.CookiesAsync([centre.BaseAddress.ToString()]);
        var client = centre.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        return client;
    }
}
