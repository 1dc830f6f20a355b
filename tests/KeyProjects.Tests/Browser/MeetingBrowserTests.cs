using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using KeyProjects.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KeyProjects.Tests.Browser;

/// <summary>
/// A weekly dispatch meeting run in real Chromium on a cluster with two web hosts: the office presents on one host,
/// the big screen (kiosk) follows on the other, a department posts from a phone, a leader is refused the floor, a
/// decision lands on the owning department's desk, and the screen goes back to the war room when the meeting ends.
/// </summary>
public sealed class MeetingBrowserTests(TwoHostCommandCentre centre) : ChromiumTest, IClassFixture<TwoHostCommandCentre>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public async Task The_screen_follows_the_presenter_departments_post_from_phones_and_decisions_reach_the_desk()
    {
        using var office = await centre.As("office");
        var scheduled = await office.PostAsJsonAsync("/api/meetings", new
        {
            kind = "WeeklyDispatch", series = $"browser-{Guid.NewGuid():N}", scheduledAt = DateTimeOffset.UtcNow.AddHours(1),
            place = "指挥中心", chair = "李明", attendeeDepartmentIds = new[] { "zrzy", "fgw" },
        });
        Assert.Equal(HttpStatusCode.Created, scheduled.StatusCode);
        var id = (await scheduled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetGuid();
        (await office.PostAsJsonAsync($"/api/meetings/{id}/agenda", new { title = "用地报批推进情况", departmentId = "zrzy", projectCode = "2026-011" })).EnsureSuccessStatusCode();
        (await office.PostAsJsonAsync($"/api/meetings/{id}/agenda", new { title = "专项债资金拨付", departmentId = "fgw", projectCode = "2026-012" })).EnsureSuccessStatusCode();
        (await office.PostAsJsonAsync($"/api/meetings/{id}/agenda/item:2/move", new { position = 0 })).EnsureSuccessStatusCode();
        (await office.PostAsJsonAsync($"/api/meetings/{id}/agenda/item:1/move", new { position = 0 })).EnsureSuccessStatusCode();

        // The big screen (a kiosk on the other host) shows the war room; zrzy sees its item on the coming agenda.
        var screen = await SignedInPage(centre.ScreenAddress, "screen");
        await Expect(screen.GetByTestId("wr-title")).ToBeVisibleAsync(Soon);
        var zrzy = await SignedInPage(centre.BaseAddress, "zrzy", 390, 844);
        await zrzy.GotoAsync(new Uri(centre.BaseAddress, "/departments/zrzy/desk").ToString());
        await Expect(zrzy.Locator("[data-testid=desk-agenda-item][data-item='item:1']")).ToBeVisibleAsync(Soon);
        await Shot(zrzy, "meeting-desk-agenda-zrzy-phone");

        // The office starts the meeting from its page: the screen switches to it, at the first item.
        var presenter = await Live(await SignedInPage(centre.BaseAddress, "office"), $"/meetings/{id}");
        await presenter.GetByTestId("meeting-start").ClickAsync();
        await Expect(presenter.GetByTestId("meeting-status")).ToHaveAttributeAsync("data-status", "Live", new() { Timeout = 30_000 });
        await Expect(screen.Locator("[data-testid=meeting-current][data-item='item:1']")).ToBeVisibleAsync(Soon);
        await Expect(screen.GetByTestId("meeting-current-title")).ToHaveTextAsync("用地报批推进情况");

        // A leader on another device is refused the floor while the office holds it.
        var leader = await Live(await SignedInPage(centre.BaseAddress, "vicemayor"), $"/meetings/{id}");
        await leader.GetByTestId("meeting-take-floor").ClickAsync();
        await Expect(leader.Locator(".rz-notification-message")).ToContainTextAsync("主持权", new() { Timeout = 20_000 });
        await Expect(leader.GetByTestId("meeting-next")).ToHaveCountAsync(0);
        await Expect(leader.GetByTestId("meeting-presenter")).ToHaveAttributeAsync("data-user", "office");

        // zrzy posts its status on the current item from a phone; the screen and the presenter see it, and who is connected.
        await Live(zrzy, $"/meetings/{id}");
        await zrzy.GetByTestId("meeting-post-text").FillAsync("用地预审意见本周五前出具。");
        await zrzy.GetByTestId("meeting-post-submit").ClickAsync();
        await Expect(screen.GetByTestId("meeting-post")).ToContainTextAsync("用地预审意见本周五前出具。", new() { Timeout = 30_000 });
        await Expect(presenter.GetByTestId("meeting-post")).ToContainTextAsync("用地预审意见本周五前出具。", new() { Timeout = 30_000 });
        await Expect(screen.Locator("[data-testid=meeting-present-entry][data-user='zrzy']")).ToBeVisibleAsync(Soon);
        Assert.True(await zrzy.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the phone page scrolls sideways");
        await Shot(zrzy, "meeting-live-zrzy-phone");

        // A decision on the item: a problem routed to zrzy, on its desk at once.
        await presenter.GetByTestId("decision-text").FillAsync("自然资源和规划局五个工作日内出具用地预审意见");
        await presenter.GetByTestId("decision-department").SelectOptionAsync("zrzy");
        await presenter.GetByTestId("decision-days").SelectOptionAsync("5");
        await presenter.GetByTestId("decision-submit").ClickAsync();
        await Expect(presenter.GetByTestId("decision-row")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(screen.GetByTestId("meeting-screen-decisions")).ToContainTextAsync("五个工作日内出具用地预审意见", new() { Timeout = 30_000 });
        await zrzy.GotoAsync(new Uri(centre.BaseAddress, "/departments/zrzy/desk").ToString());
        await Expect(zrzy.Locator("body")).ToContainTextAsync("会议议定：自然资源和规划局五个工作日内出具用地预审意见", new() { Timeout = 30_000 });

        // The presenter moves on; the screen follows.
        await presenter.GetByTestId("meeting-next").ClickAsync();
        await Expect(screen.Locator("[data-testid=meeting-current][data-item='item:2']")).ToBeVisibleAsync(Soon);
        await Expect(screen.GetByTestId("meeting-position")).ToContainTextAsync("第 2 项");
        await Shot(screen, "meeting-screen-1920");
        await Shot(presenter, "meeting-live-office");

        // The meeting ends: the screen goes back to the war room; the office approves the minutes and they can be downloaded.
        await presenter.GetByTestId("meeting-close").ClickAsync();
        await Expect(screen.GetByTestId("wr-title")).ToBeVisibleAsync(Soon);
        await Expect(presenter.GetByTestId("meeting-minutes-text")).ToBeVisibleAsync(Soon);
        await Expect(presenter.GetByTestId("meeting-minutes-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("五个工作日内出具用地预审意见"));
        await presenter.GetByTestId("meeting-minutes-approve").ClickAsync();
        await Expect(presenter.GetByTestId("meeting-minutes")).ToBeVisibleAsync(Soon);
        var link = await presenter.GetByTestId("meeting-minutes-docx").GetAttributeAsync("href");
        var download = await presenter.Context.APIRequest.GetAsync(new Uri(centre.BaseAddress, link!).ToString());
        Assert.Equal(200, download.Status);
        using var doc = WordprocessingDocument.Open(new MemoryStream(await download.BodyAsync()), false);
        Assert.Contains("自然资源和规划局五个工作日内出具用地预审意见", doc.MainDocumentPart!.Document.Body!.InnerText);
        Assert.Contains("已审定", doc.MainDocumentPart!.Document.Body!.InnerText);
        await Shot(presenter, "meeting-closed-office");
    }

    /// <summary>Opens a page and waits until its circuit is up (clicks before that would be lost on the pre-rendered page).</summary>
    private static async Task<IPage> Live(IPage page, string path)
    {
        await page.GotoAsync(new Uri(new Uri(page.Url), path).ToString());
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 30_000 });
        return page;
    }
}
