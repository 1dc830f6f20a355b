using KeyProjects.Web.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KeyProjects.Tests.Browser;

/// <summary>A browser test class: one headless Debian Chromium (never a downloaded browser) for its tests.</summary>
public abstract class ChromiumTest : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

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

    /// <summary>A browser page signed in as a demo account through the sign-in form (Chinese, at the given size).</summary>
    protected async Task<IPage> SignedInPage(Uri baseAddress, string userName, int width = 1920, int height = 1080, string password = DemoCity.Password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "/login").ToString());
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        // The big-screen account lands on the wall screen, which has no top bar.
        await Expect(page.GetByTestId(userName == "screen" ? "wr-title" : "current-user")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        return page;
    }

    /// <summary>Keeps a screenshot when KEYPROJECTS_SCREENSHOTS names a folder (to look at the page as its user sees it).</summary>
    protected static async Task Shot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("KEYPROJECTS_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
