using System.Net;
using System.Net.Http.Json;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Reports;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// Monthly progress reports on PostgreSQL: the reporter submits this month's and last month's (flagged late after the
/// 5th), the project's completed investment follows; a correction keeps the earlier version with who and why; the
/// office locks the month and corrections are refused; bad input is a 400 naming the field and changes nothing.
/// </summary>
public sealed class ProgressReportApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    private const string Code = "2026-031";

    [Fact]
    public async Task Reports_move_the_projects_figures_corrections_keep_the_earlier_version_and_a_locked_month_refuses_them()
    {
        using var reporter = await centre.As("reporter");
        using var office = await centre.As("office");
        using var zrzy = await centre.As("zrzy");
        var today = KeyProjects.Grains.Settings.WorkingCalendar.LocalDate(DateTimeOffset.UtcNow);
        var first = new DateOnly(today.Year, today.Month, 1);
        var (month, last, next) = (ReportRules.MonthOf(first), ReportRules.MonthOf(first.AddMonths(-1)), ReportRules.MonthOf(first.AddMonths(1)));
        var before = (await Project(office)).CompletedInvestment;

        // Bad input is named and changes nothing; a department does not report a project's progress.
        await ApiAssert.Refused(await Submit(reporter, month, -1, 40), HttpStatusCode.BadRequest, "completedThisMonth");
        await ApiAssert.Refused(await Submit(reporter, month, 100, 120), HttpStatusCode.BadRequest, "imageProgressPercent");
        await ApiAssert.Refused(await Submit(reporter, "2026-13", 100, 40), HttpStatusCode.BadRequest, "month");
        await ApiAssert.Refused(await Submit(reporter, "2020-01", 100, 40), HttpStatusCode.BadRequest, "report.month_old");
        await ApiAssert.Refused(await Submit(reporter, next, 100, 40), HttpStatusCode.BadRequest, "month");
        await ApiAssert.Refused(await reporter.PostAsJsonAsync($"/api/projects/{Code}/reports/{month}", new { imageProgress = "x" }), HttpStatusCode.BadRequest, "completedThisMonth");
        await ApiAssert.Refused(await Submit(zrzy, month, 100, 40), HttpStatusCode.Forbidden, "report.submit_forbidden");
        await ApiAssert.Refused(await Submit(reporter, month, 100, 40, project: "no-such-project"), HttpStatusCode.NotFound, "project.not_found");
        using (var none = await office.GetAsync($"/api/projects/{Code}/reports/{month}")) Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);

        // This month's and last month's (late after the 5th). The project was registered this month, so last month is in
        // the figure it was registered with: only this month's report adds to it.
        var submitted = await ApiAssert.Ok<ProgressReportView>(await Submit(reporter, month, 1200, 45));
        Assert.False(submitted.Report.Late);
        var lastOne = await ApiAssert.Ok<ProgressReportView>(await Submit(reporter, last, 800, 40));
        Assert.Equal(DateTimeOffset.UtcNow > ReportRules.DueAt(first.AddMonths(-1)), lastOne.Report.Late);
        await ApiAssert.Refused(await Submit(reporter, month, 1, 1), HttpStatusCode.Conflict, "report.exists");
        await Eventually.Get(() => Project(office), p => p.CompletedInvestment == before + 1200, "the project adds this month's report");
        Assert.Equal("主体结构施工 45", (await Project(office)).ImageProgress);

        // A correction needs a reason and keeps the earlier version, with who changed it and why.
        await ApiAssert.Refused(await Correct(reporter, month, 1500, 50, ""), HttpStatusCode.BadRequest, "reason");
        var corrected = await ApiAssert.Ok<ProgressReportView>(await Correct(office, month, 1500, 50, "统计口径调整"));
        Assert.Equal([1200m, 1500m], corrected.Versions.Select(v => v.Figures.CompletedThisMonth));
        Assert.Equal(("reporter", null, "office", "统计口径调整"), (corrected.Versions[0].By, corrected.Versions[0].Reason, corrected.Versions[1].By, corrected.Versions[1].Reason));
        await Eventually.Get(() => Project(office), p => p.CompletedInvestment == before + 1500, "the project takes the correction");
        var listed = await Eventually.Get(() => Reports(office), rows => rows.Any(r => r.Month == month && r.Corrections == 1), "the list shows the correction");
        Assert.Equal([month, last], listed.Select(r => r.Month).Take(2));

        // The office locks the month: no more corrections.
        await ApiAssert.Refused(await reporter.PostAsync($"/api/reports/{month}/lock", null), HttpStatusCode.Forbidden, "report.lock_forbidden");
        var locked = await ApiAssert.Ok<MonthLocked>(await office.PostAsync($"/api/reports/{month}/lock", null));
        Assert.True(locked.Locked >= 1);
        await ApiAssert.Refused(await Correct(reporter, month, 1600, 50, "再改"), HttpStatusCode.Conflict, "report.locked");
        await ApiAssert.Refused(await Submit(reporter, month, 300, 20, project: "2026-035"), HttpStatusCode.Conflict, "report.locked"); // not yet reported, still locked
        // A project that is not the reporter's (the demo reporter's are a city-owned group's, odd-numbered): refused, whatever the month.
        await ApiAssert.Refused(await Submit(reporter, month, 300, 20, project: "2026-032"), HttpStatusCode.Forbidden, "project.read_forbidden");
        Assert.True((await office.GetFromJsonAsync<ProgressReportView>($"/api/projects/{Code}/reports/{month}", CommandCentre.Json))!.Report.Locked);
    }

    [Fact]
    public async Task A_correction_that_leaves_out_the_funds_keeps_them_and_one_that_gives_them_changes_them()
    {
        using var reporter = await centre.As("reporter");
        // Last month: this class's other test locks this month.
        var month = ReportRules.MonthOf(KeyProjects.Grains.Settings.WorkingCalendar.LocalDate(DateTimeOffset.UtcNow).AddMonths(-1));
        const string project = "2026-033";
        await ApiAssert.Ok<ProgressReportView>(await reporter.PostAsJsonAsync($"/api/projects/{project}/reports/{month}",
            new { completedThisMonth = 500, fundsArrivedThisMonth = 300, imageProgress = "基础施工", imageProgressPercent = 20 }));
        var kept = await ApiAssert.Ok<ProgressReportView>(await reporter.PostAsJsonAsync($"/api/projects/{project}/reports/{month}/correction",
            new { completedThisMonth = 550, imageProgress = "基础施工", imageProgressPercent = 22, reason = "补录" }));
        Assert.Equal((550m, 300m), (kept.Report.Figures.CompletedThisMonth, kept.Report.Figures.FundsArrivedThisMonth));
        var changed = await ApiAssert.Ok<ProgressReportView>(await reporter.PostAsJsonAsync($"/api/projects/{project}/reports/{month}/correction",
            new { completedThisMonth = 550, fundsArrivedThisMonth = 0, imageProgress = "基础施工", imageProgressPercent = 22, reason = "资金未到" }));
        Assert.Equal(0m, changed.Report.Figures.FundsArrivedThisMonth);
    }

    private static Task<HttpResponseMessage> Submit(HttpClient client, string month, decimal amount, int percent, string project = Code) =>
        client.PostAsJsonAsync($"/api/projects/{project}/reports/{month}", new { completedThisMonth = amount, imageProgress = $"主体结构施工 {percent}", imageProgressPercent = percent });

    private static Task<HttpResponseMessage> Correct(HttpClient client, string month, decimal amount, int percent, string reason) =>
        client.PostAsJsonAsync($"/api/projects/{Code}/reports/{month}/correction", new { completedThisMonth = amount, imageProgress = $"主体结构施工 {percent}", imageProgressPercent = percent, reason });

    private static async Task<ProjectProfile> Project(HttpClient client) =>
        (await client.GetFromJsonAsync<ProjectDetail>($"/api/projects/{Code}", CommandCentre.Json))!.Profile;

    private static async Task<List<ProgressReport>> Reports(HttpClient client) =>
        (await client.GetFromJsonAsync<List<ProgressReport>>($"/api/projects/{Code}/reports", CommandCentre.Json))!;
}
