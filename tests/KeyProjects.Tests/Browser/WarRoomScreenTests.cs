using System.Net.Http.Json;
using KeyProjects.Grains.WarRoom;
using KeyProjects.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KeyProjects.Tests.Browser;

/// <summary>
/// The war-room screen in real Chromium on one web host while users work through another: it follows changes
/// without reload, and when its host is killed it shows "stale since", then recovers by itself with what changed.
/// </summary>
public sealed class WarRoomScreenTests(TwoHostCommandCentre centre) : ChromiumTest, IClassFixture<TwoHostCommandCentre>
{
    [Fact]
    public async Task A_kiosk_screen_shows_a_change_made_through_the_api_of_another_host_without_reload()
    {
        var page = await OpenKioskScreen(1920, 1080);
        await page.EvaluateAsync("() => window.kpNotReloaded = true");
        var open = await OpenProblems(page);

        var title = await RaiseAsync("大屏实时");

        await Expect(page.GetByTestId("value-open")).ToHaveTextAsync((open + 1).ToString(), new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("wr-ticker")).ToContainTextAsync(title, new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.kpNotReloaded === true"));
        // No navigation chrome on the kiosk, and the stale banner stays hidden while connected.
        await Expect(page.Locator(".kp-header")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("stale-banner")).ToBeHiddenAsync();
        // The stage chart is drawn (Radzen SVG columns, one per stage that has projects).
        await Expect(page.Locator("[data-testid=wr-stages] svg path.rz-column-series, [data-testid=wr-stages] svg .rz-column-series path").First)
            .ToBeAttachedAsync(new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task When_its_host_is_killed_the_screen_shows_stale_then_recovers_by_itself_with_every_change_made_meanwhile()
    {
        var page = await OpenKioskScreen(3840, 2160);
        var open = await OpenProblems(page);

        await centre.KillScreenHostAsync();
        await Expect(page.GetByTestId("stale-banner")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("stale-banner")).ToContainTextAsync("数据停留在");
        await Expect(page.GetByTestId("stale-banner").Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d:\d\d$"));

        // Users keep working through the other host while the screen's host is down.
        var first = await RaiseAsync("断线期间一");
        var second = await RaiseAsync("断线期间二");

        await centre.StartScreenHostAsync();
        await Expect(page.GetByTestId("stale-banner")).ToBeHiddenAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("value-open")).ToHaveTextAsync((open + 2).ToString(), new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("wr-ticker")).ToContainTextAsync(first);
        await Expect(page.GetByTestId("wr-ticker")).ToContainTextAsync(second);

        // And it is live again.
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 30_000 });
        var third = await RaiseAsync("恢复之后");
        await Expect(page.GetByTestId("value-open")).ToHaveTextAsync((open + 3).ToString(), new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("wr-ticker")).ToContainTextAsync(third);
    }

    [Fact]
    public async Task Revoking_its_kiosk_token_ends_an_open_screen()
    {
        var (page, token) = await OpenKioskScreenWithToken(1920, 1080);
        using var admin = await centre.As("admin");
        (await admin.DeleteAsync($"/api/kiosk-tokens/{token.Id}")).EnsureSuccessStatusCode();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"), new() { Timeout = 30_000 });
        await page.GotoAsync(new Uri(centre.ScreenAddress, "/screen").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
    }

    private async Task<IPage> OpenKioskScreen(int width, int height) => (await OpenKioskScreenWithToken(width, height)).Page;

    private async Task<(IPage Page, KioskToken Token)> OpenKioskScreenWithToken(int width, int height)
    {
        using var admin = await centre.As("admin");
        var issued = await (await admin.PostAsJsonAsync("/api/kiosk-tokens", new { name = $"大屏 {width}" })).Content
            .ReadFromJsonAsync<IssuedKioskToken>(CommandCentre.Json);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(centre.ScreenAddress, $"/kiosk?token={issued!.Secret}").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/screen$"));
        await Expect(page.GetByTestId("wr-title")).ToContainTextAsync("指挥调度大屏");
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 30_000 });
        return (page, issued.Token);
    }

    private static async Task<int> OpenProblems(IPage page) => int.Parse(await page.GetByTestId("value-open").InnerTextAsync());

    private async Task<string> RaiseAsync(string prefix)
    {
        using var office = await centre.As("office");
        var title = $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 7)];
        (await office.PostAsJsonAsync("/api/projects/2026-071/problems",
            new { title, description = "", category = "Energy", leadDepartmentId = "fgw" })).EnsureSuccessStatusCode();
        return title;
    }
}
