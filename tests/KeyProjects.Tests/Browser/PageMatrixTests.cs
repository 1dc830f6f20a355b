using System.Net.Http.Json;
using System.Reflection;
using System.Text.RegularExpressions;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Api;
using KeyProjects.Web.Demo;
using KeyProjects.Web.Services;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KeyProjects.Tests.Browser;

/// <summary>
/// Every page the application routes (read from its own route table), opened in Chromium as every demo role at
/// 1920×1080, and as the roles that work on site at 390×844: each renders, or shows the friendly access-denied page,
/// with no console error, no failed request, no untranslated text, and on a phone no sideways scrolling.
/// </summary>
public sealed partial class PageMatrixTests(EmbeddedCommandCentre centre) : ChromiumTest, IClassFixture<EmbeddedCommandCentre>
{
    private static readonly string[] Roles = ["admin", "office", "mayor", "vicemayor", "zrzy", "fgw", "xzsp", "reporter", "screen"];

    /// <summary>Who works on site, on a phone: department staff and project owners.</summary>
    private static readonly string[] OnSite = ["zrzy", "reporter"];

    /// <summary>The project the matrix opens: in 前期 (its approval path under way, its factor needs), one of the reporter's (a city-owned group's).</summary>
    private const string MatrixProject = "2026-007";

    /// <summary>Pages a role must be able to use (not the access-denied page); every other page may deny it politely.</summary>
    private static readonly Dictionary<string, string[]> MustRender = new()
    {
        ["admin"] = ["/projects/new", "/projects/{Code}/edit", "/console", "/warroom", "/screen", "/admin/kiosk-tokens", "/admin/users", "/admin/city", "/admin/audit", "/admin/departments", "/admin/settings", "/admin/leadership", "/projects", "/projects/{Code}", "/problems/{Id:guid}", "/directives/{Id:guid}", "/meetings", "/meetings/{Id:guid}", "/projects/import", "/figures", "/figures/{By}/{Key}", "/rankings", "/factors"],
        ["office"] = ["/projects/new", "/projects/{Code}/edit", "/console", "/warroom", "/screen", "/projects", "/projects/{Code}", "/problems/{Id:guid}", "/directives/{Id:guid}", "/departments", "/departments/{DepartmentId}/desk", "/meetings", "/meetings/{Id:guid}", "/projects/import", "/figures", "/figures/{By}/{Key}", "/rankings", "/factors"],
        ["mayor"] = ["/cockpit", "/warroom", "/screen", "/projects", "/projects/{Code}", "/problems/{Id:guid}", "/directives/{Id:guid}", "/meetings", "/meetings/{Id:guid}", "/figures", "/figures/{By}/{Key}", "/rankings", "/factors"],
        ["vicemayor"] = ["/cockpit", "/warroom", "/projects/{Code}", "/problems/{Id:guid}", "/meetings/{Id:guid}"],
        ["zrzy"] = ["/departments/{DepartmentId}/desk", "/departments/{DepartmentId}/inbox", "/projects", "/projects/{Code}", "/problems/{Id:guid}", "/directives/{Id:guid}", "/meetings", "/meetings/{Id:guid}", "/figures", "/figures/{By}/{Key}", "/rankings", "/factors"],
        ["fgw"] = ["/projects", "/projects/{Code}", "/problems/{Id:guid}", "/meetings"],
        ["xzsp"] = ["/projects"],
        ["reporter"] = ["/projects", "/projects/{Code}", "/problems/{Id:guid}"],
        ["screen"] = ["/screen"],
    };

    /// <summary>Pages a role must not see (the friendly access-denied page, never the page, never a raw error).</summary>
    private static readonly Dictionary<string, string[]> MustDeny = new()
    {
        ["reporter"] = ["/projects/new", "/projects/{Code}/edit", "/cockpit", "/console", "/warroom", "/admin/kiosk-tokens", "/admin/users", "/directives/{Id:guid}", "/departments/{DepartmentId}/desk", "/meetings", "/meetings/{Id:guid}", "/projects/import", "/figures", "/figures/{By}/{Key}", "/rankings", "/factors"],
        ["xzsp"] = ["/problems/{Id:guid}", "/projects/new", "/projects/{Code}/edit"],
        ["fgw"] = ["/departments/{DepartmentId}/desk", "/directives/{Id:guid}", "/warroom", "/admin/kiosk-tokens", "/admin/users", "/meetings/{Id:guid}", "/projects/import"],
        ["mayor"] = ["/projects/new", "/projects/{Code}/edit", "/admin/kiosk-tokens", "/admin/users", "/admin/city", "/admin/audit", "/admin/departments", "/admin/leadership", "/admin/settings"],
        ["office"] = ["/cockpit", "/admin/kiosk-tokens", "/admin/users", "/admin/city", "/admin/audit", "/admin/departments", "/admin/leadership", "/admin/settings"],
    };

    [Fact]
    public async Task Every_page_works_for_every_role_in_chinese_and_on_a_phone_without_sideways_scrolling()
    {
        var pages = await Pages();
        Assert.Contains("/directives/{Id:guid}", pages.Keys);
        Assert.Contains("/admin/kiosk-tokens", pages.Keys);
        var failures = new List<string>();
        var visits = 0;
        foreach (var role in Roles)
        {
            foreach (var (width, height) in OnSite.Contains(role) ? new[] { (1920, 1080), (390, 844) } : [(1920, 1080)])
            {
                var page = await SignedInPage(role, width, height);
                foreach (var (pattern, path) in pages)
                {
                    visits++;
                    failures.AddRange((await Visit(page, role, pattern, path, phone: width < 800)).Select(f => $"{role} {width}px {path}: {f}"));
                }
                await page.Context.CloseAsync();
            }
        }
        Assert.True(visits > 100, $"only {visits} visits");
        Assert.True(failures.Count == 0, $"{failures.Count} of {visits} visits failed:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("office", 1920, 1080)]
    [InlineData("vicemayor", 1920, 1080)]
    [InlineData("zrzy", 390, 844)]
    [InlineData("reporter", 390, 844)]
    public async Task A_role_that_may_raise_a_problem_raises_one_from_a_project_page(string role, int width, int height)
    {
        var page = await SignedInPage(role, width, height);
        await page.GotoAsync(Url("/projects/2026-041"));
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        var title = $"页面提报测试{Tag()}";
        await page.GetByTestId("raise-title").FillAsync(title);
        await page.GetByTestId("raise-category").SelectOptionAsync("Approvals");
        await page.GetByTestId("raise-lead").SelectOptionAsync("xzsp");
        await page.GetByTestId("raise-submit").ClickAsync();
        var row = page.Locator("[data-testid=problem-row]").Filter(new() { HasText = title });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(row).ToContainTextAsync("行政审批服务局");
        await Expect(row).ToContainTextAsync("待认领");
        await Shot(page, $"raise-{role}");
    }

    /// <summary>The closed loop in the browser, each step by the role that does it, then a 批示 from the cockpit answered and accepted.</summary>
    [Fact]
    public async Task Raise_claim_input_resolve_and_close_then_an_instruction_answered_and_accepted_all_in_the_browser()
    {
        using var office = await centre.As("office");
        var leadership = (await office.GetFromJsonAsync<List<KeyProjects.Grains.Leadership.LeaderAssignment>>("/api/leadership", CommandCentre.Json))!;
        var project = leadership.Single(m => m.Leader.UserName == "vicemayor").ProjectCodes[0];
        // The project's owner: a reporter's account the administrator binds to this project (a reporter reads and raises on its own projects).
        var owner = $"yz{Tag()}";
        using (var admin = await centre.As("admin"))
            (await admin.PostAsJsonAsync("/api/admin/users", new { userName = owner, displayName = "项目业主 钱经理", role = "ProjectReporter", password = "Yezhu-2026-one", projects = new[] { project } }))
                .EnsureSuccessStatusCode();

        // The project owner raises it on the project page, for 自然资源 with 发改 assisting.
        var reporter = await SignedInPage(centre.BaseAddress, owner, 390, 844, "Yezhu-2026-one");
        await reporter.GotoAsync(Url($"/projects/{project}"));
        await Expect(reporter.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        var title = $"闭环测试{Tag()}";
        await reporter.GetByTestId("raise-title").FillAsync(title);
        await reporter.GetByTestId("raise-category").SelectOptionAsync("Land");
        await reporter.GetByTestId("raise-lead").SelectOptionAsync("zrzy");
        await reporter.GetByTestId("raise-assisting").ClickAsync();
        await reporter.Locator(".rz-dropdown-item, .rz-multiselect-item").Filter(new() { HasText = "发展和改革局" }).First.ClickAsync();
        await reporter.Keyboard.PressAsync("Escape");
        await reporter.GetByTestId("raise-submit").ClickAsync();
        var link = reporter.Locator("[data-testid=problem-row]").Filter(new() { HasText = title }).GetByTestId("problem-link");
        await Expect(link).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var problemUrl = Url((await link.GetAttributeAsync("href"))!);

        // 自然资源 claims it on a phone; 发改 posts its input; 自然资源 submits the resolution; the owner closes it.
        var zrzy = await SignedInPage("zrzy", 390, 844);
        await OpenLive(zrzy, problemUrl);
        await zrzy.GetByTestId("action-claim").ClickAsync();
        await Expect(zrzy.GetByTestId("problem-status")).ToContainTextAsync("办理中", new() { Timeout = 20_000 });

        var fgw = await SignedInPage("fgw");
        await OpenLive(fgw, problemUrl);
        await fgw.GetByTestId("action-input-text").FillAsync("发改局意见：用地指标可在年度计划内统筹。");
        await fgw.GetByTestId("action-input").ClickAsync();
        await Expect(fgw.GetByTestId("history-action").Last).ToHaveTextAsync("提交意见", new() { Timeout = 20_000 });

        await zrzy.GetByTestId("action-text").FillAsync("已调剂用地指标，二期可按期开工。");
        await zrzy.GetByTestId("action-resolve").ClickAsync();
        await Expect(zrzy.GetByTestId("problem-status")).ToContainTextAsync("待销号", new() { Timeout = 20_000 });

        await OpenLive(reporter, problemUrl);
        await reporter.GetByTestId("action-text").FillAsync("核实无误，同意销号。");
        await reporter.GetByTestId("action-close").ClickAsync();
        await Expect(reporter.GetByTestId("problem-status")).ToContainTextAsync("已销号", new() { Timeout = 20_000 });
        await Expect(reporter.GetByTestId("history-action")).ToHaveTextAsync(["提报", "认领", "提交意见", "提交办结", "销号"]);
        await Shot(reporter, "journey-closed-reporter");

        // A 批示 from the cockpit, with a preset wording and a deadline, on a new problem of the vice-mayor's project.
        var raised = await office.PostAsJsonAsync($"/api/projects/{project}/problems", new { title = title + "批示", description = "", category = "Funds", leadDepartmentId = "zrzy" });
        var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
        var leader = await SignedInPage("vicemayor");
        await OpenLive(leader, Url("/cockpit"));
        await Expect(leader.GetByTestId("cockpit-figures")).ToContainTextAsync("投资完成率");
        await Expect(leader.GetByTestId("cockpit-figures")).ToContainTextAsync("时序进度");
        var row = leader.Locator($"[data-testid=cockpit-problem][data-id='{problem.Summary.Id}']");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await row.GetByTestId("instruct").ClickAsync();
        await row.GetByTestId("instruct-preset").First.ClickAsync();
        await row.GetByTestId("instruct-days").SelectOptionAsync("5");
        await row.GetByTestId("instruct-send").ClickAsync();
        await Expect(row.GetByTestId("instruct-panel")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        var directive = await Eventually.Get(
            async () => (await office.GetFromJsonAsync<List<DirectiveSummary>>("/api/directives", CommandCentre.Json))!
                .SingleOrDefault(d => d.ProblemId == problem.Summary.Id),
            d => d is not null, "the instruction in the list");

        // 自然资源 answers it from its desk (its own row's box), the vice-mayor accepts it on the directive page.
        await OpenLive(zrzy, Url("/departments/zrzy/desk"));
        var deskRow = zrzy.Locator($"[data-testid=desk-directives-row][data-id='{directive!.Id}']");
        await deskRow.GetByTestId("directive-feedback").FillAsync("已研究，本周内落实。");
        await deskRow.GetByTestId("directive-respond").ClickAsync();
        await Expect(deskRow.GetByTestId("directive-status")).ToHaveTextAsync("已反馈", new() { Timeout = 20_000 });

        await OpenLive(leader, Url($"/directives/{directive.Id}"));
        await Expect(leader.GetByTestId("directive-feedback-given")).ToHaveTextAsync("已研究，本周内落实。");
        await leader.GetByTestId("directive-accept").ClickAsync();
        await Expect(leader.GetByTestId("directive-status")).ToContainTextAsync("已办结", new() { Timeout = 20_000 });
        await Expect(leader.GetByTestId("history-action")).ToHaveTextAsync(["下达", "反馈", "采纳办结"]);
        await Shot(leader, "journey-directive-vicemayor");
    }

    /// <summary>Typing feedback in one order's row leaves every other row's box empty, and sends only that order.</summary>
    [Fact]
    public async Task Each_order_on_the_desk_has_its_own_feedback_box()
    {
        using var office = await centre.As("office");
        var ids = new List<Guid>();
        foreach (var text in new[] { "督办甲", "督办乙" })
        {
            var raised = await office.PostAsJsonAsync("/api/projects/2026-031/problems", new { title = $"{text}事项{Tag()}", description = "", category = "Land", leadDepartmentId = "zrzy" });
            var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
            var issued = await office.PostAsJsonAsync("/api/directives", new { kind = "SupervisionOrder", problemId = problem.Summary.Id, departmentId = "zrzy", text });
            issued.EnsureSuccessStatusCode();
            ids.Add((await issued.Content.ReadFromJsonAsync<DirectiveView>(CommandCentre.Json))!.Summary.Id);
        }
        var page = await SignedInPage("zrzy2", 390, 844);
        await OpenLive(page, Url("/departments/zrzy/desk"));
        var first = page.Locator($"[data-testid=desk-directives-row][data-id='{ids[0]}']");
        var second = page.Locator($"[data-testid=desk-directives-row][data-id='{ids[1]}']");
        await first.GetByTestId("directive-feedback").FillAsync("甲已办理");
        await Expect(second.GetByTestId("directive-feedback")).ToHaveValueAsync("");
        await first.GetByTestId("directive-respond").ClickAsync();
        await Expect(first.GetByTestId("directive-status")).ToHaveTextAsync("已反馈", new() { Timeout = 20_000 });
        await Expect(second.GetByTestId("directive-status")).ToHaveTextAsync("待反馈");
        var after = (await office.GetFromJsonAsync<DirectiveView>($"/api/directives/{ids[1]}", CommandCentre.Json))!;
        Assert.Equal(DirectiveStatus.Open, after.Summary.Status);
        Assert.Null(after.Feedback);
    }

    [Theory]
    [InlineData("zrzy", "/departments/zrzy/desk")]
    [InlineData("mayor", "/cockpit")]
    [InlineData("office", "/console")]
    [InlineData("reporter", "/projects")]
    [InlineData("screen", "/screen")]
    public async Task Each_role_lands_on_its_own_page_after_signing_in(string role, string start)
    {
        var page = await SignedInPage(role);
        await Expect(page).ToHaveURLAsync(Url(start));
    }

    [Fact]
    public async Task English_chosen_once_stays_on_later_pages_and_on_the_live_connection_and_an_unknown_address_is_a_friendly_page()
    {
        var page = await SignedInPage("zrzy");
        await OpenLive(page, Url("/projects?culture=en"));
        await Expect(page.GetByTestId("project-count")).ToContainTextAsync("key projects");
        await OpenLive(page, Url("/departments/zrzy/desk"));
        await Expect(page.GetByTestId("desk-title")).ToContainTextAsync("Desk");
        await OpenLive(page, Url("/projects?culture=zh-CN"));
        await Expect(page.GetByTestId("project-count")).ToContainTextAsync("个重点项目");

        var response = await page.GotoAsync(Url("/no-such-page"));
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByTestId("page-not-found")).ToContainTextAsync("页面不存在");
        await Expect(page.GetByTestId("friendly-home")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_bell_s_notifications_are_dark_text_on_white_and_deadlines_read_as_their_last_day()
    {
        var page = await SignedInPage("zrzy");
        await OpenLive(page, Url("/departments/zrzy/desk"));
        await page.GetByTestId("bell").ClickAsync();
        var item = page.GetByTestId("bell-item").First;
        await Expect(item).ToBeVisibleAsync();
        var (color, background) = (await item.EvaluateAsync<string>("e => getComputedStyle(e).color"),
            await page.GetByTestId("bell-panel").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("rgb(255, 255, 255)", background);
        Assert.Equal("rgb(34, 34, 34)", color);

        // Deadlines end at 24:00 of their last day: never shown as the next day's 00:00; open ones say what is left.
        var deadlines = await page.GetByTestId("deadline").AllTextContentsAsync();
        Assert.NotEmpty(deadlines);
        Assert.All(deadlines, d => Assert.Matches(@"^(\d{4}年)?\d+月\d+日 24:00$", d));
        var left = await page.Locator("[data-testid=deadline-left], [data-testid=deadline-overdue]").AllTextContentsAsync();
        Assert.NotEmpty(left);
        Assert.All(left, d => Assert.Matches(@"^(剩 \d+ 个工作日|今日到期|已超期 \d+ 天)$", d));
    }

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(3840, 2160)]
    public async Task The_wall_screen_fits_its_screen_with_a_filled_ticker_and_readable_chart_labels(int width, int height)
    {
        var page = await SignedInPage("screen", width, height);
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollHeight > window.innerHeight + 1"), "the screen scrolls");
        await Expect(page.GetByTestId("ticker-item").First).ToBeVisibleAsync();
        // Value labels: light text on a dark chip (they were white on white).
        var label = page.Locator("[data-testid=wr-stages] .rz-series-data-label").First;
        await Expect(label).ToBeAttachedAsync();
        Assert.True(Brightness(await label.EvaluateAsync<string>("e => getComputedStyle(e).fill")) > 200, "the value label is not light");
        var chip = page.Locator("[data-testid=wr-stages] .rz-series-data-label-chip").First;
        if (await chip.CountAsync() > 0)
            Assert.True(Brightness(await chip.EvaluateAsync<string>("e => getComputedStyle(e).fill")) < 80, "the value label's chip is not dark");
        var fontSize = await page.GetByTestId("wr-title").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(fontSize > width / 60.0, $"the title is {fontSize}px on a {width}px screen");
        await Shot(page, $"screen-{width}");
    }

    [Fact]
    public async Task The_demo_city_starts_alive_with_problems_in_every_state_and_a_ranking_with_spread()
    {
        using var office = await centre.As("office");
        var h = (await office.GetFromJsonAsync<KeyProjects.Web.WarRoom.WarRoomSnapshot>("/api/warroom", CommandCentre.Json))!;
        Assert.True(h.Headline.Red > 0 && h.Headline.Yellow > 0 && h.Headline.Overdue > 0 && h.Headline.Escalated > 0, $"{h.Headline}");
        Assert.True(h.Headline.OpenOrders > 0 && h.Headline.OverdueOrders > 0, $"{h.Headline}");
        Assert.Contains(h.Ranking, r => r.Standing == KeyProjects.Grains.Rankings.Standing.Black);
        Assert.Contains(h.Ranking, r => r.Standing == KeyProjects.Grains.Rankings.Standing.Red);
        Assert.NotEmpty(h.Ticker);
        foreach (var status in new[] { "Unrouted", "AwaitingRuling", "Routed", "InProgress", "ResolutionSubmitted", "Closed" })
        {
            var page = (await office.GetFromJsonAsync<KeyProjects.Silo.ReadModel.Page<ProblemSummary>>($"/api/problems?status={status}", CommandCentre.Json))!;
            Assert.True(page.Total > 0, $"no {status} problem in the demo city");
        }
        var all = (await office.GetFromJsonAsync<KeyProjects.Silo.ReadModel.Page<ProblemSummary>>("/api/problems?limit=500", CommandCentre.Json))!.Items;
        Assert.Contains(all, p => p.Pause == PauseState.Paused);
        Assert.Contains(all, p => p.Pause == PauseState.Requested);
        Assert.Contains(all, p => p.EscalationLevel >= 2);

        // Last week's dispatch meeting ran (posts, two decisions that became work, minutes approved); this week's is
        // prepared and opens with last week's decisions still open.
        var meetings = (await office.GetFromJsonAsync<List<KeyProjects.Grains.Meetings.MeetingSummary>>("/api/meetings", CommandCentre.Json))!
            .Where(m => m.Series == "weekly-dispatch").ToList();
        var held = Assert.Single(meetings, m => m.Status == KeyProjects.Grains.Meetings.MeetingStatus.Closed);
        Assert.Equal((KeyProjects.Grains.Meetings.MinutesStatus.Approved, 2), (held.Minutes, held.DecisionCount));
        var coming = Assert.Single(meetings, m => m.Status == KeyProjects.Grains.Meetings.MeetingStatus.Planned);
        Assert.Equal(held.Id, coming.PreviousMeetingId);
        var detail = (await office.GetFromJsonAsync<MeetingDetail>($"/api/meetings/{coming.Id}", CommandCentre.Json))!;
        Assert.Equal(KeyProjects.Grains.Meetings.AgendaSource.OpenDecision, detail.Meeting.Agenda[0].Source);
        Assert.Equal(2, detail.Previous!.Decisions.Count);
        Assert.All(detail.Previous.Decisions, d => Assert.True(detail.Work[d.WorkId].Open));
    }

    [Fact]
    public async Task The_office_walks_a_project_through_its_whole_lifecycle_on_the_project_page()
    {
        var page = await SignedInPage("office");
        await OpenLive(page, Url("/projects/2026-001")); // in 谋划储备 in the demo city
        await Expect(page.GetByTestId("project-stage")).ToHaveAttributeAsync("data-stage", "Reserve");
        ProjectStage[] path = [ProjectStage.Negotiating, ProjectStage.Signed, ProjectStage.Preparatory, ProjectStage.Suspended,
            ProjectStage.Preparatory, ProjectStage.UnderConstruction, ProjectStage.Completed, ProjectStage.InOperation];
        foreach (var stage in path)
        {
            await page.GetByTestId("stage-to").SelectOptionAsync(stage.ToString());
            if (stage == ProjectStage.Suspended) await page.GetByTestId("stage-reason").FillAsync("资金未落实，暂缓建设");
            await page.GetByTestId("stage-submit").ClickAsync();
            await Expect(page.GetByTestId("project-stage")).ToHaveAttributeAsync("data-stage", stage.ToString(), new() { Timeout = 20_000 });
        }
        await Expect(page.GetByTestId("project-stage-change")).ToHaveCountAsync(path.Length);
        await Expect(page.GetByTestId("project-stages")).ToContainTextAsync("资金未落实，暂缓建设");
        await Expect(page.GetByTestId("project-actual-start")).Not.ToHaveTextAsync("—");
        await Expect(page.GetByTestId("stage-form")).ToHaveCountAsync(0); // 投产: nowhere further to go
        await Shot(page, "project-lifecycle-office");

        // A department reads the history but has no form.
        var zrzy = await SignedInPage("zrzy", 390, 844);
        await OpenLive(zrzy, Url("/projects/2026-001"));
        await Expect(zrzy.GetByTestId("project-stage-change")).ToHaveCountAsync(path.Length);
        await Expect(zrzy.GetByTestId("stage-form")).ToHaveCountAsync(0);
        await Shot(zrzy, "project-lifecycle-zrzy-phone");
    }

    [Fact]
    public async Task The_office_plans_an_approval_path_a_department_records_its_item_on_a_phone_and_a_late_item_becomes_a_problem()
    {
        const string code = "2026-040"; // 在谈, 新建: no path yet
        var page = await SignedInPage("office");
        await OpenLive(page, Url($"/projects/{code}"));
        await Expect(page.GetByTestId("approval-none")).ToBeVisibleAsync();
        // The owners are proposed from the city's other paths; the path is planned from 200 days ago, so it runs late.
        await Expect(page.Locator("[data-testid=approval-owner][data-kind=ConstructionPermit]")).ToHaveValueAsync("xzsp");
        await page.GetByTestId("approval-from").FillAsync(KeyProjects.Grains.Settings.WorkingCalendar.LocalDate(DateTimeOffset.UtcNow).AddDays(-200).ToString("yyyy-MM-dd"));
        await page.GetByTestId("approval-plan-submit").ClickAsync();
        await Expect(page.GetByTestId("approval-item")).ToHaveCountAsync(10, new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=approval-item][data-overdue=true]")).ToHaveCountAsync(10);

        // zrzy, on a phone, finishes its 用地预审: the item turns done and is no longer late.
        var zrzy = await SignedInPage("zrzy", 390, 844);
        await OpenLive(zrzy, Url($"/projects/{code}"));
        await zrzy.GetByTestId("approval-kind").SelectOptionAsync("LandPreExamination");
        await zrzy.GetByTestId("approval-status-input").SelectOptionAsync("Done");
        await zrzy.GetByTestId("approval-note").FillAsync("预审意见已出具");
        await zrzy.GetByTestId("approval-save").ClickAsync();
        var land = zrzy.Locator("[data-testid=approval-item][data-kind=LandPreExamination]");
        await Expect(land).ToHaveAttributeAsync("data-status", "Done", new() { Timeout = 20_000 });
        await Expect(land).ToHaveAttributeAsync("data-overdue", "false");
        await Expect(land).ToContainTextAsync("预审意见已出具");
        // Its own items only: 立项 is fgw's, not in zrzy's form.
        await Expect(zrzy.Locator("[data-testid=approval-kind] option[value=Initiation]")).ToHaveCountAsync(0);
        await Shot(zrzy, "approvals-zrzy-phone");

        // The office's open page followed live; the late 立项 becomes a problem to fgw in one tap.
        await Expect(page.Locator("[data-testid=approval-item][data-kind=LandPreExamination]")).ToHaveAttributeAsync("data-status", "Done", new() { Timeout = 20_000 });
        var initiation = page.Locator("[data-testid=approval-item][data-kind=Initiation]");
        await initiation.GetByTestId("approval-raise").ClickAsync();
        await Expect(initiation.GetByTestId("approval-problem")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=problem-row]").Filter(new() { HasText = "立项逾期未办结" })).ToContainTextAsync("发展和改革局", new() { Timeout = 20_000 });
        await Shot(page, "approvals-office");

        // The office sets a factor need; the project's needs show its gap.
        await page.GetByTestId("need-kind").SelectOptionAsync("Power");
        await page.GetByTestId("need-amount").FillAsync("3000");
        await page.GetByTestId("need-department").SelectOptionAsync("gdgs");
        await page.GetByTestId("need-save").ClickAsync();
        await Expect(page.Locator("[data-testid=project-need][data-kind=Power]")).ToHaveAttributeAsync("data-gap", "3000", new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task The_office_imports_the_project_list_on_its_page_bad_cells_named_then_progress_to_completion()
    {
        var tag = $"PAGE-IMP-{Tag()}";
        var rows = Enumerable.Range(1, 12).Select(n => ProjectFiles.Row($"{tag}-{n:00}", n)).ToList();
        rows[3][KeyProjects.Web.Office.ProjectWorkbook.Town] = "不存在的镇"; // spreadsheet row 5
        var page = await SignedInPage("office");
        await OpenLive(page, Url("/projects"));
        await page.GetByTestId("project-import-link").ClickAsync();
        await Expect(page.GetByTestId("import-template")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });

        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "清单.xlsx", MimeType = "application/octet-stream", Buffer = ProjectFiles.Workbook(rows) });
        await Expect(page.Locator("[data-testid=import-error][data-row='5'][data-column='所在镇街']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("import-refused")).ToContainTextAsync("未导入任何项目");
        await Shot(page, "import-refused-office");

        rows[3][KeyProjects.Web.Office.ProjectWorkbook.Town] = "高新区";
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "清单.xlsx", MimeType = "application/octet-stream", Buffer = ProjectFiles.Workbook(rows) });
        await Expect(page.GetByTestId("import-progress")).ToHaveAttributeAsync("data-completed", "true", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("import-progress")).ToContainTextAsync("共 12 个项目");
        await Expect(page.GetByTestId("import-errors")).ToHaveCountAsync(0);
        await Shot(page, "import-completed-office");
        await OpenLive(page, Url($"/projects?culture=zh-CN"));
        await page.GetByTestId("project-search").FillAsync(tag);
        await Expect(page.GetByTestId("project-count")).ToContainTextAsync("12", new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task The_office_registers_a_project_on_its_form_each_fault_shown_at_its_box_then_changes_it()
    {
        var code = $"2027-{Tag()}";
        var page = await SignedInPage("office");
        await OpenLive(page, Url("/projects"));
        await page.GetByTestId("project-new-link").ClickAsync();
        await Expect(page.GetByTestId("project-form")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("field-code").FillAsync(code);
        await page.GetByTestId("field-name").FillAsync("年产5万吨新材料项目");
        await page.GetByTestId("field-category").SelectOptionAsync("Industrial");
        await page.GetByTestId("field-town").SelectOptionAsync("南湖镇");
        await page.GetByTestId("field-total").Locator("input").FillAsync("1000");
        await page.GetByTestId("field-annual").Locator("input").FillAsync("5000");
        await page.GetByTestId("project-save").ClickAsync();
        // Every fault at its box, nothing registered.
        await Expect(page.GetByTestId("fault-annualPlannedInvestment")).ToHaveTextAsync("年度计划投资大于总投资", new() { Timeout = 20_000 });
        foreach (var field in new[] { "type", "level", "ownerUnit", "responsibleLeader", "responsibleDepartment" })
            await Expect(page.GetByTestId($"fault-{field}")).ToHaveTextAsync("必填");
        await Shot(page, "project-register-faults");
        using var office = await centre.As("office");
        using (var none = await office.GetAsync($"/api/projects/{code}")) Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);

        await page.GetByTestId("field-type").SelectOptionAsync("New");
        await page.GetByTestId("field-level").SelectOptionAsync("City");
        await page.GetByTestId("field-owner").FillAsync("南湖新材料有限公司");
        await page.GetByTestId("field-leader").SelectOptionAsync("L03");
        await page.GetByTestId("field-department").SelectOptionAsync("gxj");
        await page.GetByTestId("field-annual").Locator("input").FillAsync("500");
        await page.GetByTestId("project-save").ClickAsync();
        await Expect(page.GetByTestId("project-name")).ToHaveTextAsync("年产5万吨新材料项目", new() { Timeout = 20_000 });
        Assert.EndsWith($"/projects/{code}", page.Url);

        // Changed from its page: the new name shows; the library has it.
        await page.GetByTestId("project-edit-link").ClickAsync();
        await Expect(page.GetByTestId("field-name")).ToHaveValueAsync("年产5万吨新材料项目", new() { Timeout = 20_000 });
        await page.GetByTestId("field-name").FillAsync("年产8万吨新材料项目");
        await page.GetByTestId("project-save").ClickAsync();
        await Expect(page.GetByTestId("project-name")).ToHaveTextAsync("年产8万吨新材料项目", new() { Timeout = 20_000 });
        await Shot(page, "project-registered-office");
        var detail = (await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{code}", CommandCentre.Json))!;
        Assert.Equal(("年产8万吨新材料项目", "L03", 500m), (detail.Profile.Name, detail.Profile.ResponsibleLeaderId, detail.Profile.AnnualPlannedInvestment));
    }

    [Fact]
    public async Task A_reporter_submits_and_corrects_the_months_report_on_a_phone()
    {
        var page = await SignedInPage("reporter", 390, 844);
        await OpenLive(page, Url("/projects/2026-053")); // one of the reporter's (a city-owned group's) projects
        var month = await page.GetByTestId("report-month").InputValueAsync();
        await page.GetByTestId("report-amount").FillAsync("860");
        await page.GetByTestId("report-text").FillAsync("主体结构封顶");
        await page.GetByTestId("report-percent").FillAsync("60");
        await page.GetByTestId("report-submit").ClickAsync();
        var row = page.Locator($"[data-testid=project-report][data-month='{month}']");
        await Expect(row.GetByTestId("report-completed")).ToHaveTextAsync("860", new() { Timeout = 20_000 });
        await Expect(row).ToContainTextAsync("主体结构封顶（60%）");

        // The month is reported: the form corrects it, with a reason.
        await page.GetByTestId("report-amount").FillAsync("900");
        await page.GetByTestId("report-reason").FillAsync("补录设备款");
        await page.GetByTestId("report-submit").ClickAsync();
        await Expect(row.GetByTestId("report-completed")).ToHaveTextAsync("900", new() { Timeout = 20_000 });
        await Expect(row.GetByTestId("report-corrected")).ToBeVisibleAsync();

        // A photo of the site, taken on the phone: its thumbnail shows in the month's row and opens the photo.
        await page.GetByTestId("report-photo-caption").FillAsync("主体结构封顶现场");
        await page.GetByTestId("report-photo-input").SetInputFilesAsync(new FilePayload { Name = "现场.png", MimeType = "image/png", Buffer = ProjectFiles.Photo(1600, 1200) });
        var thumbnail = row.Locator("[data-testid=report-photo] img");
        await Expect(thumbnail).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(row.GetByTestId("report-photo")).ToHaveAttributeAsync("title", "主体结构封顶现场");
        await Eventually.Get(() => thumbnail.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"), width => width == 320, "the 320 px thumbnail loaded");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the phone page scrolls sideways");
        await Shot(page, "project-report-reporter-phone");
    }

    [Fact]
    public async Task The_figures_change_on_an_open_page_when_a_report_arrives_and_drill_down_to_the_report()
    {
        var month = KeyProjects.Grains.Reports.ReportRules.MonthOf(KeyProjects.Grains.Settings.WorkingCalendar.LocalDate(DateTimeOffset.UtcNow));
        var page = await SignedInPage("mayor");
        await OpenLive(page, Url($"/figures?by=Town&month={month}"));
        var row = page.Locator("[data-testid=figures-row][data-key='城关街道']");
        var before = await row.GetByTestId("figures-completion").InnerTextAsync();
        await Expect(page.GetByTestId("figures-formulas")).ToContainTextAsync("指标口径");

        // A reporter on site reports a large month for a project of 城关街道: the open page follows without a reload.
        using var office = await centre.As("office");
        var project = (await office.GetFromJsonAsync<KeyProjects.Silo.ReadModel.Page<KeyProjects.Grains.Projects.ProjectSummary>>("/api/projects?town=城关街道&limit=500", CommandCentre.Json))!
            .Items.First(p => p.AnnualPlannedInvestment > 0 && int.Parse(p.Code[^3..]) % 2 == 1); // the reporter's: a city-owned group's
        using var reporter = await centre.As("reporter");
        var reports = (await reporter.GetFromJsonAsync<List<KeyProjects.Grains.Reports.ProgressReport>>($"/api/projects/{project.Code}/reports", CommandCentre.Json))!;
        var body = new { completedThisMonth = 98_765, fundsArrivedThisMonth = 1_234, imageProgress = "设备安装", imageProgressPercent = 70, reason = "指标联动测试" };
        (await (reports.Any(r => r.Month == month)
            ? reporter.PostAsJsonAsync($"/api/projects/{project.Code}/reports/{month}/correction", body)
            : reporter.PostAsJsonAsync($"/api/projects/{project.Code}/reports/{month}", body))).EnsureSuccessStatusCode();
        await Expect(row.GetByTestId("figures-completion")).Not.ToHaveTextAsync(before, new() { Timeout = 20_000 });
        await Shot(page, "figures-towns-mayor");

        // The town's figures drill down to the project and the report, with who reported it.
        await row.Locator("a").First.ClickAsync();
        var line = page.Locator($"[data-testid=figure-project][data-code='{project.Code}']");
        await Expect(line.Locator($"[data-testid=figure-report][data-month='{month}']")).ToContainTextAsync("98,765", new() { Timeout = 20_000 });
        await Expect(line.Locator($"[data-testid=figure-report][data-month='{month}']")).ToContainTextAsync("项目业主");
        await Shot(page, "figures-town-drill-mayor");
    }

    [Fact]
    public async Task The_library_filters_by_town_and_light_and_a_red_project_explains_its_light_and_what_turns_it_back()
    {
        var page = await SignedInPage("mayor");
        await OpenLive(page, Url("/projects"));
        await page.GetByTestId("project-town").SelectOptionAsync("城关街道");
        await page.GetByTestId("project-light").SelectOptionAsync("Red");
        var rows = page.GetByTestId("project-row");
        await Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=project-row]:not([data-light=Red])")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("project-count")).Not.ToContainTextAsync(" 120 ");
        await Shot(page, "library-red-chengguan-mayor");

        var code = await rows.First.GetAttributeAsync("data-code");
        await OpenLive(page, Url($"/projects/{code}"));
        var explained = page.GetByTestId("project-light-explained");
        await Expect(explained.GetByTestId("light")).ToHaveAttributeAsync("data-light", "Red");
        await Expect(explained.GetByTestId("project-light-rules")).ToContainTextAsync("预警规则（第");
        await Shot(page, "project-light-red-mayor");

        // On a phone, for the department that may raise a problem on it, the explanation reads without sideways scrolling.
        var phone = await SignedInPage("zrzy", 390, 844);
        await OpenLive(phone, Url($"/projects/{code}"));
        await Expect(phone.GetByTestId("project-light-explained")).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the phone page scrolls sideways");
        await Shot(phone, "project-light-zrzy-phone");
    }

    [Fact]
    public async Task The_office_exempts_a_town_from_last_months_ranking_and_the_mayor_sees_why()
    {
        var page = await SignedInPage("office");
        await OpenLive(page, Url("/rankings"));
        await Expect(page.GetByTestId("rankings-formula")).ToContainTextAsync("计分公式");
        await Expect(page.GetByTestId("rankings-state")).ToHaveAttributeAsync("data-published", "false");
        await page.GetByTestId("rankings-exempt-unit").SelectOptionAsync("beishan");
        await page.GetByTestId("rankings-exempt-reason").FillAsync("山洪冲毁施工便道");
        await page.GetByTestId("rankings-exempt").ClickAsync();
        await Expect(page.Locator("[data-testid=rankings-exempted][data-unit=beishan]")).ToContainTextAsync("山洪冲毁施工便道", new() { Timeout = 20_000 });
        await Shot(page, "rankings-office");

        var mayor = await SignedInPage("mayor");
        await OpenLive(mayor, Url("/rankings"));
        await Expect(mayor.Locator("[data-testid=rankings-exempted][data-unit=beishan]")).ToContainTextAsync("山洪冲毁施工便道");
        await Expect(mayor.GetByTestId("rankings-exempt-form")).ToHaveCountAsync(0);
        await Expect(mayor.GetByTestId("bulletin-download")).ToBeVisibleAsync();
        await Expect(mayor.Locator("[data-testid=rankings-row][data-unit=beishan]")).ToHaveCountAsync(0);
        await Shot(mayor, "rankings-mayor");
    }

    [Fact]
    public async Task The_office_allocates_land_on_the_ledger_page_the_balance_follows_and_the_project_shows_it()
    {
        var page = await SignedInPage("office");
        await OpenLive(page, Url("/factors"));
        var land = page.Locator("[data-testid=factor-pool][data-kind=Land]");
        // Above what the demo city has allocated this year.
        await land.GetByTestId("factor-capacity-input").FillAsync("9000");
        await land.GetByTestId("factor-capacity-submit").ClickAsync();
        await Expect(land.GetByTestId("factor-capacity")).ToHaveTextAsync("9,000", new() { Timeout = 20_000 });
        var before = decimal.Parse((await land.GetAttributeAsync("data-balance"))!, System.Globalization.CultureInfo.InvariantCulture);
        await land.GetByTestId("factor-project").FillAsync("2026-041");
        await land.GetByTestId("factor-amount").FillAsync("25");
        await land.GetByTestId("factor-reason").FillAsync("产业园二期用地");
        await land.GetByTestId("factor-allocate").ClickAsync();
        await Expect(land).ToHaveAttributeAsync("data-balance", (before - 25).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 20_000 });
        await Shot(page, "factors-office");

        var mayor = await SignedInPage("mayor");
        await OpenLive(mayor, Url("/projects/2026-041"));
        await Expect(mayor.Locator("[data-testid=project-factor][data-kind=Land]").First).ToContainTextAsync("产业园二期用地");

        // Taken back (收回) with a reason: kept in the ledger, struck through, the balance as before; gone from the project.
        await land.GetByTestId("factor-reason").FillAsync("项目调整规划，用地收回");
        var row = land.Locator("[data-testid=factor-allocation][data-project='2026-041'][data-active=true]");
        await row.GetByTestId("factor-release").ClickAsync();
        // It cannot be undone: the office confirms, seeing the reason it wrote.
        var confirm = page.Locator(".rz-dialog");
        await Expect(confirm).ToContainTextAsync("项目调整规划，用地收回");
        await confirm.Locator(".rz-dialog-confirm-buttons button").First.ClickAsync();
        await Expect(land).ToHaveAttributeAsync("data-balance", before.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 20_000 });
        await Expect(land.Locator("[data-testid=factor-allocation][data-project='2026-041'][data-active=false]")).ToContainTextAsync("项目调整规划，用地收回");
        await Expect(mayor.Locator("[data-testid=project-factor][data-kind=Land]")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task The_office_issues_a_supervision_order_from_the_console_in_one_tap()
    {
        var page = await SignedInPage("office");
        await OpenLive(page, Url("/console"));
        var row = page.GetByTestId("console-overdue-row").First;
        var problemId = Guid.Parse((await row.GetAttributeAsync("data-id"))!);
        await row.GetByTestId("order").ClickAsync();
        await row.GetByTestId("order-preset").First.ClickAsync();
        await row.GetByTestId("order-days").SelectOptionAsync("3");
        await row.GetByTestId("order-send").ClickAsync();
        await Expect(row.GetByTestId("order-panel")).ToHaveCountAsync(0, new() { Timeout = 20_000 });

        using var office = await centre.As("office");
        var order = await Eventually.Get(
            async () => (await office.GetFromJsonAsync<List<DirectiveSummary>>("/api/directives", CommandCentre.Json))!
                .Where(d => d.ProblemId == problemId && d.Kind == DirectiveKind.SupervisionOrder && d.IssuedBy == "office")
                .OrderByDescending(d => d.IssuedAt).FirstOrDefault(),
            d => d is not null && DateTimeOffset.UtcNow - d.IssuedAt < TimeSpan.FromMinutes(5), "the order in the list");
        Assert.Equal(DirectiveStatus.Open, order!.Status);
        await Expect(page.Locator($"[data-testid=console-directives-row][data-id='{order.Id}']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task An_administrator_issues_a_kiosk_token_on_its_page_sees_the_address_once_and_revokes_it()
    {
        var page = await SignedInPage("admin");
        await OpenLive(page, Url("/admin/kiosk-tokens"));
        var name = $"指挥大厅测试屏{Tag()}";
        await page.GetByTestId("kiosk-name").FillAsync(name);
        await page.GetByTestId("kiosk-issue").ClickAsync();
        await Expect(page.GetByTestId("kiosk-url")).ToContainTextAsync("/kiosk?token=", new() { Timeout = 20_000 });
        var address = (await page.GetByTestId("kiosk-url").TextContentAsync())!.Trim();

        // The address opens the wall screen in a browser that never signed in.
        var wall = await (await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } })).NewPageAsync();
        await wall.GotoAsync(address);
        await Expect(wall.GetByTestId("wr-title")).ToBeVisibleAsync(new() { Timeout = 20_000 });

        var row = page.Locator("[data-testid=kiosk-token]").Filter(new() { HasText = name });
        await row.GetByTestId("kiosk-revoke").ClickAsync();
        await Expect(row.GetByTestId("kiosk-status")).ToContainTextAsync("已吊销", new() { Timeout = 20_000 });
        // The open wall page re-checks its token (every 2 s here) and goes to sign-in by itself: no reload (a reload
        // racing that navigation is aborted).
        await Expect(wall).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task An_administrator_creates_and_disables_a_user_on_the_users_page()
    {
        var page = await SignedInPage("admin");
        await OpenLive(page, Url("/admin/users"));
        var name = $"user{Tag()}";
        await page.GetByTestId("user-name").FillAsync(name);
        await page.GetByTestId("user-display").FillAsync("住房和城乡建设局 新同事");
        await page.GetByTestId("user-role").SelectOptionAsync("Department");
        await page.GetByTestId("user-department").SelectOptionAsync("zjj");
        await page.GetByTestId("user-password").FillAsync("Zhujian-2026-ok");
        await page.GetByTestId("user-create").ClickAsync();
        var row = page.Locator($"[data-testid=user-row][data-user='{name}']");
        await Expect(row).ToContainTextAsync("住房和城乡建设局", new() { Timeout = 20_000 });
        await Expect(row.GetByTestId("user-status")).ToHaveTextAsync("正常");
        await row.GetByTestId("user-disable").ClickAsync();
        await Expect(row.GetByTestId("user-status")).ToHaveTextAsync("已停用", new() { Timeout = 20_000 });
        await Shot(page, "admin-users");
    }

    /// <summary>
    /// The administrator creates a unit with its duty list; a raiser on a phone types a problem about those duties and
    /// is offered the unit as lead (one tap takes it); the administrator renames the unit and retires it with a reason,
    /// which the roster and the unit's history show.
    /// </summary>
    [Fact]
    public async Task An_administrator_keeps_the_roster_and_the_raise_form_proposes_a_lead_from_the_duty_lists()
    {
        var tag = Tag();
        var admin = await SignedInPage("admin");
        await OpenLive(admin, Url("/admin/departments"));
        await admin.GetByTestId("unit-code").FillAsync($"data{tag}");
        await admin.GetByTestId("unit-name").FillAsync($"数据资源局{tag}");
        await admin.GetByTestId("unit-duties").FillAsync($"算力{tag}、数据中心审批\n公共数据开放");
        await admin.GetByTestId("unit-create").ClickAsync();
        var row = admin.Locator($"[data-testid=unit-row][data-unit='data{tag}']");
        await Expect(row).ToContainTextAsync("数据中心审批", new() { Timeout = 20_000 });
        await Expect(row.GetByTestId("unit-status")).ToHaveTextAsync("在用");

        var raiser = await SignedInPage("zrzy", 390, 844);
        await raiser.GotoAsync(Url("/projects/2026-041"));
        await Expect(raiser.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await raiser.GetByTestId("raise-title").FillAsync($"算力{tag}项目数据中心审批迟迟未办");
        await raiser.GetByTestId("raise-title").PressAsync("Tab"); // on to the description: the title is taken as typed
        var proposal = raiser.Locator($"[data-testid=raise-proposal][data-department='data{tag}']");
        await Expect(proposal).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(raiser.GetByTestId("raise-proposals")).ToContainTextAsync("数据中心审批");
        await proposal.ClickAsync();
        await Expect(raiser.GetByTestId("raise-lead")).ToHaveValueAsync($"data{tag}");
        await Shot(raiser, "raise-proposal-zrzy-phone");

        await row.GetByTestId("unit-edit").ClickAsync();
        var editor = admin.GetByTestId("unit-editor");
        await editor.GetByTestId("unit-rename-name").FillAsync($"大数据局{tag}");
        await editor.GetByTestId("unit-rename").ClickAsync();
        await Expect(row.GetByTestId("unit-row-name")).ToHaveTextAsync($"大数据局{tag}", new() { Timeout = 20_000 });
        await editor.GetByTestId("unit-retire-reason").FillAsync("机构改革，职能并入发改");
        await editor.GetByTestId("unit-retire").ClickAsync();
        var confirm = admin.Locator(".rz-dialog");
        await Expect(confirm).ToContainTextAsync("机构改革，职能并入发改");
        await confirm.Locator(".rz-dialog-confirm-buttons button").First.ClickAsync();
        await Expect(row.GetByTestId("unit-status")).ToContainTextAsync("已撤销", new() { Timeout = 20_000 });
        await Expect(row.GetByTestId("unit-status")).ToContainTextAsync("机构改革，职能并入发改");
        await Expect(admin.GetByTestId("unit-history")).ToContainTextAsync("数据资源局" + tag + " → 大数据局" + tag);
        await Expect(admin.GetByTestId("unit-history")).ToContainTextAsync("撤销");
        await Shot(admin, "admin-departments");

        // A problem raised without a lead waits for the office, whose console proposes (and preselects) the unit whose duties match.
        // One 自然资源 returned is never proposed back to it.
        using (var office = await centre.As("office"))
        {
            (await office.PostAsJsonAsync("/api/projects/2026-041/problems", new { title = $"二期地块土地供应受阻{tag}", description = "", category = "Other" })).EnsureSuccessStatusCode();
            using var raised = await office.PostAsJsonAsync("/api/projects/2026-041/problems", new { title = $"三期土地供应受阻{tag}", description = "", category = "Other", leadDepartmentId = "zrzy" });
            var returned = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!.Summary.Id;
            using var zrzy = await centre.As("zrzy");
            (await zrzy.PostAsJsonAsync($"/api/problems/{returned}/return", new { reason = "Function", text = "属地协调事项" })).EnsureSuccessStatusCode();
        }
        var console = await SignedInPage("office");
        await OpenLive(console, Url("/console"));
        var waiting = console.Locator("[data-testid=console-unrouted-row]").Filter(new() { HasText = $"二期地块土地供应受阻{tag}" });
        await Expect(waiting.GetByTestId("console-proposal")).ToHaveAttributeAsync("data-department", "zrzy", new() { Timeout = 20_000 });
        await Expect(waiting.GetByTestId("console-department")).ToHaveValueAsync("zrzy");
        var sentBack = console.Locator("[data-testid=console-unrouted-row]").Filter(new() { HasText = $"三期土地供应受阻{tag}" });
        await Expect(sentBack).ToBeVisibleAsync();
        await Expect(sentBack.GetByTestId("console-proposal")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The administrator saves a new version of the rules from the page (a bad one is refused and saves nothing) and
    /// records a holiday on the working calendar, which the calendar API then has; then removes it.
    /// </summary>
    [Fact]
    public async Task An_administrator_versions_the_rules_and_keeps_the_working_calendar_on_the_settings_page()
    {
        using var api = await centre.As("admin");
        var before = (await api.GetFromJsonAsync<KeyProjects.Grains.Settings.ProblemSettings>("/api/settings/problems", CommandCentre.Json))!;
        var page = await SignedInPage("admin");
        await OpenLive(page, Url("/admin/settings"));
        await Expect(page.GetByTestId("settings-version")).ToHaveAttributeAsync("data-version", before.Version.ToString());

        // Red below yellow is refused, named, and saves nothing.
        await page.GetByTestId("settings-red-behind").Locator("input").FillAsync("5");
        await page.GetByTestId("settings-save").ClickAsync();
        await Expect(page.Locator(".rz-notification-message")).ToContainTextAsync("数值超出允许范围", new() { Timeout = 20_000 });
        Assert.Equal(before.Version, (await api.GetFromJsonAsync<KeyProjects.Grains.Settings.ProblemSettings>("/api/settings/problems", CommandCentre.Json))!.Version);

        await page.GetByTestId("settings-red-behind").Locator("input").FillAsync("35");
        await page.GetByTestId("settings-save").ClickAsync();
        await Expect(page.GetByTestId("settings-version")).ToHaveAttributeAsync("data-version", (before.Version + 1).ToString(), new() { Timeout = 20_000 });
        var saved = (await api.GetFromJsonAsync<KeyProjects.Grains.Settings.ProblemSettings>("/api/settings/problems", CommandCentre.Json))!;
        Assert.Equal(35, saved.ProjectRules.RedBehindPoints);
        Assert.Equal(before.DeadlineRules, saved.DeadlineRules);

        // A holiday recorded on the calendar, then removed.
        var day = new DateOnly(DateTime.UtcNow.Year + 1, 6, 19);
        await page.GetByTestId("calendar-date").FillAsync(day.ToString("yyyy-MM-dd"));
        await page.GetByTestId("calendar-kind").SelectOptionAsync("Holiday");
        await page.GetByTestId("calendar-name").FillAsync("端午节");
        await page.GetByTestId("calendar-set").ClickAsync();
        var row = page.Locator($"[data-testid=calendar-day][data-date='{day:yyyy-MM-dd}']");
        await Expect(row).ToContainTextAsync("端午节", new() { Timeout = 20_000 });
        Assert.Contains((await api.GetFromJsonAsync<List<KeyProjects.Grains.Settings.CalendarDay>>("/api/settings/calendar", CommandCentre.Json))!, d => d.Date == day && d.Name == "端午节");
        await Shot(page, "admin-settings");
        await row.GetByTestId("calendar-remove").ClickAsync();
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 20_000 });

        // Each change is an event with who and when: the page's change list and the event log say so, newest first.
        await Expect(page.GetByTestId("settings-changes")).ToContainTextAsync("删除日历日期");
        var changes = (await api.GetFromJsonAsync<List<LoggedHistoryEntry>>("/api/admin/settings/history", CommandCentre.Json))!;
        Assert.Equal(["settings.calendar-day-removed", "settings.calendar-day-set", "settings.rules-changed"], changes.Take(3).Select(c => c.Kind));
        Assert.All(changes.Take(3), c => Assert.Equal("admin", c.ActorUserName));
        Assert.Equal($"第 {before.Version + 1} 版", changes[2].Note);
        using (var office = await centre.As("office"))
        using (var denied = await office.GetAsync("/api/admin/settings/history")) Assert.Equal(System.Net.HttpStatusCode.Forbidden, denied.StatusCode);

        // The rules as they were, for the tests that judge lights after this one.
        (await api.PutAsJsonAsync("/api/settings/problems", before with { Projects = before.ProjectRules }, CommandCentre.Json)).EnsureSuccessStatusCode();
    }

    /// <summary>The administrator adds a leader to the group on its page and gives the leader a project (包联): the row lists it.</summary>
    [Fact]
    public async Task An_administrator_adds_a_leader_and_gives_them_a_project_on_the_leadership_page()
    {
        var tag = Tag();
        using var api = await centre.As("admin");
        var formerLeader = (await api.GetFromJsonAsync<List<KeyProjects.Grains.Leadership.LeaderAssignment>>("/api/leadership", CommandCentre.Json))!
            .Single(m => m.ProjectCodes.Contains("2026-032")).Leader.Id;
        var page = await SignedInPage("admin");
        await OpenLive(page, Url("/admin/leadership"));
        await page.GetByTestId("leader-id").FillAsync($"L{tag}");
        await page.GetByTestId("leader-name-input").FillAsync("钱卫东");
        await page.GetByTestId("leader-title").FillAsync("副市长");
        await page.GetByTestId("leader-save").ClickAsync();
        var row = page.Locator($"[data-testid=leader-row][data-leader='L{tag}']");
        await Expect(row).ToContainTextAsync("钱卫东", new() { Timeout = 20_000 });
        await page.GetByTestId("assign-project").FillAsync("2026-032");
        await page.GetByTestId("assign-leader").SelectOptionAsync($"L{tag}");
        await page.GetByTestId("assign-submit").ClickAsync();
        await Expect(row.GetByTestId("leader-projects")).ToContainTextAsync("2026-032", new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("leadership-history")).ToContainTextAsync("调整包联");
        await Shot(page, "admin-leadership");

        // The project back with its leader, for the tests after this one.
        (await api.PutAsJsonAsync("/api/admin/leadership/projects/2026-032", new { leaderId = formerLeader })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_open_page()
    {
        using var admin = await centre.As("admin");
        var name = $"desk{Tag()}";
        (await admin.PostAsJsonAsync("/api/admin/users", new { userName = name, displayName = "自然资源和规划局 临时", role = "Department", departmentId = "zrzy", password = "Linshi-2026-ok" }))
            .EnsureSuccessStatusCode();
        var page = await SignedInPage(centre.BaseAddress, name, password: "Linshi-2026-ok");
        await OpenLive(page, Url("/departments/zrzy/desk"));
        await Expect(page.GetByTestId("desk-title")).ToBeVisibleAsync();

        (await admin.PostAsync($"/api/admin/users/{name}/disable", null)).EnsureSuccessStatusCode();
        // The live page notices at its next revalidation (2 s in tests, 60 s by default) and falls back to sign-in.
        await Expect(page).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 30_000 });
    }

    /// <summary>The mean of a CSS "rgb(r, g, b)" colour's channels (0–255).</summary>
    private static double Brightness(string rgb) =>
        Regex.Matches(rgb, @"\d+").Take(3).Select(m => double.Parse(m.Value)).Average();

    // ---- one visit ---------------------------------------------------------------------------------------------

    private async Task<List<string>> Visit(IPage page, string role, string pattern, string path, bool phone)
    {
        var failures = new List<string>();
        void OnConsole(object? _, IConsoleMessage m)
        {
            if (m.Type == "error") failures.Add("console error: " + m.Text);
        }
        void OnResponse(object? _, IResponse r)
        {
            if (r.Status >= 400) failures.Add($"HTTP {r.Status} {r.Url}");
        }
        void OnFailed(object? _, Microsoft.Playwright.IRequest r)
        {
            if (r.Failure is { } f && !f.Contains("ERR_ABORTED")) failures.Add($"request failed {r.Url}: {f}");
        }
        page.Console += OnConsole;
        page.Response += OnResponse;
        page.RequestFailed += OnFailed;
        try
        {
            await page.GotoAsync(Url(path));
            if (pattern != "/login")
                await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
            // The page's content: its title, or the friendly access-denied page.
            await Expect(page.Locator("h1, [data-testid=page-forbidden]").First).ToBeVisibleAsync(new() { Timeout = 20_000 });

            var denied = await page.GetByTestId("page-forbidden").CountAsync() > 0;
            var mustRender = MustRender.GetValueOrDefault(role, []).Contains(pattern);
            var mustDeny = MustDeny.GetValueOrDefault(role, []).Contains(pattern);
            if (mustRender && denied) failures.Add("shows access denied to a role that uses this page");
            if (mustDeny && !denied) failures.Add("does not deny a role that must not see this page");
            if (await page.Locator("h1").CountAsync() == 0) failures.Add("no page title (h1)");
            if (await page.EvaluateAsync<bool>("() => document.activeElement?.tagName === 'H1' && getComputedStyle(document.activeElement).outlineStyle !== 'none'"))
                failures.Add("a focus rectangle around the page title");
            failures.AddRange(Untranslated(await VisibleText(page)));
            if (phone && await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"))
                failures.Add($"scrolls sideways on a phone ({await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide)");
            await Shot(page, $"matrix-{role}-{(phone ? "phone" : "desktop")}{Regex.Replace(path, "[^A-Za-z0-9]+", "-")}");
        }
        catch (Exception e)
        {
            failures.Add(e.GetType().Name + ": " + e.Message.Split('\n')[0]);
        }
        finally
        {
            page.Console -= OnConsole;
            page.Response -= OnResponse;
            page.RequestFailed -= OnFailed;
        }
        return failures;
    }

    /// <summary>
    /// The text a user reads: the body without code (event hashes), hidden elements, and what the page marks
    /// <c>translate="no"</c> (sign-in names, which are Latin by design).
    /// </summary>
    private static Task<string> VisibleText(IPage page) => page.EvaluateAsync<string>("""
        () => {
            const copy = document.body.cloneNode(true);
            copy.querySelectorAll('code, script, style, [hidden], [translate=no]').forEach(e => e.remove());
            return copy.innerText;
        }
        """);

    /// <summary>Enum member names, resource keys and widget defaults a Chinese user must never read.</summary>
    private static IEnumerable<string> Untranslated(string text)
    {
        if (text.Contains("Select...", StringComparison.Ordinal)) yield return "shows 'Select...'";
        foreach (Match word in LatinWord().Matches(text))
        {
            if (word.Value.Contains('.') && word.Value.Split('.').All(p => p.Length > 0 && char.IsUpper(p[0]) || p.Contains('-')))
                yield return $"shows a resource key '{word.Value}'";
            else if (EnumNames.Contains(word.Value))
                yield return $"shows an enum name '{word.Value}'";
            else if (!AllowedLatin.Contains(word.Value))
                yield return $"shows untranslated '{word.Value}'";
        }
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z.\-]*[A-Za-z]")]
    private static partial Regex LatinWord();

    /// <summary>Latin a Chinese page may show: none so far (codes are digits, hashes are code elements).</summary>
    private static readonly HashSet<string> AllowedLatin = new(StringComparer.Ordinal) { };

    private static readonly HashSet<string> EnumNames = typeof(ProblemStatus).Assembly.GetTypes()
        .Where(t => t.IsEnum && t.IsPublic).SelectMany(Enum.GetNames).ToHashSet(StringComparer.Ordinal);

    // ---- set-up ------------------------------------------------------------------------------------------------

    /// <summary>Every page from the app's route table, with its parameters filled from the demo city.</summary>
    private async Task<Dictionary<string, string>> Pages()
    {
        using var admin = await centre.As("admin");
        var routes = (await admin.GetFromJsonAsync<List<RouteInfo>>("/api/admin/routes", CommandCentre.Json))!;
        using var office = await centre.As("office");
        // A problem on the reporter's project, led by 自然资源 with 发改 assisting (行政审批 takes no part: it is refused the problem).
        using var raised = await office.PostAsJsonAsync($"/api/projects/{MatrixProject}/problems",
            new { title = "页面矩阵用地问题", description = "新增建设用地指标待落实", category = "Land", leadDepartmentId = "zrzy", assistingDepartmentIds = new[] { "fgw" } });
        var problem = (await raised.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!.Summary;
        // A supervision order to 自然资源 on it, so its staff have a directive of their own to open.
        var issued = await office.PostAsJsonAsync("/api/directives", new { kind = "SupervisionOrder", problemId = problem.Id, departmentId = "zrzy", text = "请尽快认领办理" });
        issued.EnsureSuccessStatusCode();
        var directive = (await issued.Content.ReadFromJsonAsync<DirectiveView>(CommandCentre.Json))!.Summary;
        // A meeting prepared by the office, attended by 自然资源 only (发改 is denied it), its agenda led by an item of 自然资源.
        var scheduled = await office.PostAsJsonAsync("/api/meetings", new { kind = "WeeklyDispatch", series = $"matrix-{Tag()}", scheduledAt = DateTimeOffset.UtcNow.AddDays(1), attendeeDepartmentIds = new[] { "zrzy" } });
        scheduled.EnsureSuccessStatusCode();
        var meeting = (await scheduled.Content.ReadFromJsonAsync<KeyProjects.Grains.Meetings.MeetingView>(CommandCentre.Json))!;
        foreach (var item in meeting.Agenda.Where(i => i.DepartmentId == "fgw"))
            (await office.PostAsync($"/api/meetings/{meeting.Summary.Id}/agenda/{Uri.EscapeDataString(item.Id)}/remove", null)).EnsureSuccessStatusCode();
        // An account of 自然资源 created by the administrator, so the audit log shows an administrator's change naming a unit.
        (await admin.PostAsJsonAsync("/api/admin/users", new { userName = $"matrix{Tag()}", displayName = "矩阵 测试", role = "Department", departmentId = "zrzy", password = "Juzhen-2026-one" }))
            .EnsureSuccessStatusCode();
        // The one-time set-up page answers 404 on a city that has an administrator (the demo always has): tested apart.
        return routes.Where(r => r.IsPage && r.Pattern != "/setup").Select(r => r.Pattern).Distinct().ToDictionary(p => p, p => p
            .Replace("{DepartmentId}", "zrzy")
            .Replace("{Code}", MatrixProject)
            .Replace("{Code:int}", "404")
            .Replace("{By}", "Town")
            .Replace("{Key}", "城关街道")
            .Replace("{Id:guid}", p.StartsWith("/directives", StringComparison.Ordinal) ? directive.Id.ToString()
                : p.StartsWith("/meetings", StringComparison.Ordinal) ? meeting.Summary.Id.ToString() : problem.Id.ToString()));
    }

    /// <summary>A number that tells this test's records apart (digits only: test data must not trip the untranslated-text check).</summary>
    private static string Tag() => Random.Shared.Next(100_000, 1_000_000).ToString();

    private string Url(string path) => new Uri(centre.BaseAddress, path).ToString();

    private static async Task OpenLive(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Expect(page.GetByTestId("circuit-live")).ToBeAttachedAsync(new() { Timeout = 20_000 });
    }

    private Task<IPage> SignedInPage(string userName, int width = 1920, int height = 1080) => SignedInPage(centre.BaseAddress, userName, width, height);
}
