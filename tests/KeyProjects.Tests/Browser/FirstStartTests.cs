using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KeyProjects.Tests.Browser;

/// <summary>
/// First start in production: no demo accounts, no default password; the one-time set-up token printed on the console
/// creates the first administrator on the set-up page, once.
/// </summary>
public sealed partial class FirstStartTests : ChromiumTest
{
    [Fact]
    public async Task In_production_the_first_administrator_is_created_once_with_the_token_from_the_console_and_no_demo_account_exists()
    {
        var port = ProcessRunner.FreeTcpPort();
        var data = Path.Combine(Path.GetTempPath(), $"kp-first-start-{Guid.NewGuid():N}");
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["KeyProjects__DataDirectory"] = data,
            ["KeyProjects__Orleans__SiloPort"] = ProcessRunner.FreeTcpPort().ToString(),
            ["KeyProjects__Orleans__GatewayPort"] = ProcessRunner.FreeTcpPort().ToString(),
        };
        foreach (var (key, value) in KeyCertificate.Settings()) env[key] = value; // Production: the key ring encrypted at rest
        try
        {
            await using var web = AppProcess.StartWeb(env, port);
            await web.WaitUntilReady(baseAddress, TimeSpan.FromMinutes(3));
            // Printed before the host is ready (the set-up service starts with it).
            var token = SetupToken().Match(web.Output) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no set-up token on the console:\n" + web.Output);
            using var http = new HttpClient { BaseAddress = baseAddress };

            // No demo account, whatever password is tried.
            using (var demo = await http.PostAsJsonAsync("/api/auth/token", new { userName = "admin", password = DemoCity.Password }))
                Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);

            var page = await (await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" })).NewPageAsync();
            await page.GotoAsync(new Uri(baseAddress, "/setup").ToString());
            // A wrong token creates nobody.
            await Fill(page, "0123456789abcdef0123456789abcdef", "cityadmin", "市信息中心 管理员", "Xinxi-2026-admin");
            await Expect(page.GetByTestId("setup-error")).ToContainTextAsync("设置令牌不正确");
            using (var none = await http.PostAsJsonAsync("/api/auth/token", new { userName = "cityadmin", password = "Xinxi-2026-admin" }))
                Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);

            await Fill(page, token, "cityadmin", "市信息中心 管理员", "Xinxi-2026-admin");
            await Expect(page).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 20_000 });
            await page.Locator("#username").FillAsync("cityadmin");
            await page.Locator("#password").FillAsync("Xinxi-2026-admin");
            await page.GetByTestId("login-submit").ClickAsync();
            await Expect(page.GetByTestId("current-user")).ToHaveTextAsync("市信息中心 管理员", new() { Timeout = 20_000 });
            await Expect(page).ToHaveURLAsync(new Uri(baseAddress, "/console").ToString());

            // Used once: the page is gone, and the token opens nothing.
            var again = await page.GotoAsync(new Uri(baseAddress, "/setup").ToString());
            Assert.Equal(404, again!.Status);
            await Expect(page.GetByTestId("page-not-found")).ToBeVisibleAsync();
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static async Task Fill(IPage page, string token, string userName, string displayName, string password)
    {
        await page.Locator("#token").FillAsync(token);
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#displayname").FillAsync(displayName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#confirm").FillAsync(password);
        await page.GetByTestId("setup-submit").ClickAsync();
    }

    [GeneratedRegex("一次性设置令牌：([0-9a-f]{32})")]
    private static partial Regex SetupToken();
}
