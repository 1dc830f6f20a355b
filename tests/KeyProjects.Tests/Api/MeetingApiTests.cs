using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using KeyProjects.Grains.Meetings;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// A weekly dispatch meeting prepared, run and closed through the API on PostgreSQL with a standalone silo: the agenda
/// from the red items, one presenter at a time, departments posting, decisions that become work on the departments'
/// desks, minutes approved and read back from the .docx, and the next meeting of the series opening with the decisions.
/// </summary>
public sealed class MeetingApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    private static Task<MeetingView> Ok(HttpResponseMessage response) => ApiAssert.Ok<MeetingView>(response);

    private static Task Refused(HttpResponseMessage response, HttpStatusCode status, string named) => ApiAssert.Refused(response, status, named);

    [Fact]
    public async Task A_weekly_dispatch_is_prepared_run_and_closed_and_the_next_one_opens_with_its_decisions()
    {
        using var office = await centre.As("office");
        using var vicemayor = await centre.As("vicemayor");
        using var zrzy = await centre.As("zrzy");
        using var fgw = await centre.As("fgw");
        using var reporter = await centre.As("reporter");
        var series = $"test-{Guid.NewGuid():N}";
        var at = DateTimeOffset.UtcNow.AddHours(1);

        // A problem whose claim deadline runs out (so it escalates) and an order whose deadline runs out (so it is overdue).
        var soon = DateTimeOffset.UtcNow.AddSeconds(3);
        var escalating = (await (await office.PostAsJsonAsync("/api/projects/2026-012/problems", new
        {
            title = $"调度会测试：逾期未认领 {series}", description = "", category = "Land", leadDepartmentId = "xzsp",
            claimDeadline = soon, resolutionDeadline = DateTimeOffset.UtcNow.AddDays(20),
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetGuid();
        using (var issued = await office.PostAsJsonAsync("/api/directives", new { kind = "SupervisionOrder", projectCode = "2026-012", departmentId = "fgw", text = $"调度会测试督办 {series}", deadline = soon }))
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        await Eventually.Get(() => office.GetFromJsonAsync<JsonElement>($"/api/problems/{escalating}"),
            p => p.GetProperty("summary").GetProperty("escalationLevel").GetInt32() >= 1, "the unclaimed problem escalates");
        await Eventually.Get(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > soon.AddSeconds(1), "the order's deadline passes");

        // Prepared: the agenda starts from the escalated and red problems and the overdue orders of the city.
        var meeting = await Ok(await office.PostAsJsonAsync("/api/meetings", new
        {
            kind = "WeeklyDispatch", series, scheduledAt = at, place = "指挥中心大屏室", chair = "李明",
            attendeeDepartmentIds = new[] { "zrzy", "fgw" }, attendeeLeaders = new[] { "李明" },
        }, CommandCentre.Json));
        var id = meeting.Summary.Id;
        Assert.Equal(MeetingStatus.Planned, meeting.Summary.Status);
        Assert.Contains(meeting.Agenda, i => i.Id == $"problem:{escalating}" && i.Source == AgendaSource.Escalated && i.DepartmentId == "xzsp");
        Assert.Contains(meeting.Agenda, i => i.Source == AgendaSource.OverdueOrder && i.Title.Contains(series));
        Assert.Equal(meeting.Agenda.Count, meeting.Agenda.Select(i => i.SubjectId ?? i.Id).Distinct().Count()); // each piece of work once
        Assert.StartsWith("重点项目周调度会", meeting.Summary.Title);

        // Who reads it: an attending department yes; a project reporter no.
        using (var read = await fgw.GetAsync($"/api/meetings/{id}")) Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await Refused(await reporter.GetAsync($"/api/meetings/{id}"), HttpStatusCode.Forbidden, "meeting.read_forbidden");
        await Refused(await reporter.GetAsync("/api/meetings"), HttpStatusCode.Forbidden, "meeting.list_forbidden");

        // The office reorders, adds and removes; bad input is named and changes nothing; a department may not edit.
        var added = await Ok(await office.PostAsJsonAsync($"/api/meetings/{id}/agenda", new { title = "征迁工作推进情况汇报", departmentId = "zrzy", projectCode = "2026-011" }));
        var item = added.Agenda[^1];
        Assert.Equal(AgendaSource.Added, item.Source);
        var moved = await Ok(await office.PostAsJsonAsync($"/api/meetings/{id}/agenda/{Uri.EscapeDataString(item.Id)}/move", new { position = 0 }));
        Assert.Equal(item.Id, moved.Agenda[0].Id);
        var removedId = moved.Agenda[^1].Id;
        var removed = await Ok(await office.PostAsync($"/api/meetings/{id}/agenda/{Uri.EscapeDataString(removedId)}/remove", null));
        Assert.DoesNotContain(removed.Agenda, i => i.Id == removedId);
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/agenda/{Uri.EscapeDataString(item.Id)}/move", new { position = 999 }), HttpStatusCode.BadRequest, "position");
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/agenda", new { title = "" }), HttpStatusCode.BadRequest, "title");
        await Refused(await fgw.PostAsJsonAsync($"/api/meetings/{id}/agenda", new { title = "部门自加" }), HttpStatusCode.Forbidden, "meeting.organise_forbidden");
        Assert.Equal(removed.Agenda.Select(i => i.Id), (await Detail(office, id)).Meeting.Agenda.Select(i => i.Id));

        // Live: the office starts and holds the floor; a second presenter is refused until it is handed over.
        var live = await Ok(await office.PostAsync($"/api/meetings/{id}/start", null));
        Assert.Equal((MeetingStatus.Live, item.Id, "office"), (live.Summary.Status, live.Summary.CurrentItemId, live.Summary.Presenter));
        var problemItem = live.Agenda.First(i => i.Kind == AgendaItemKind.Problem);
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/agenda", new { title = "会中加题" }), HttpStatusCode.Conflict, "meeting.not_planned");
        await Refused(await office.PostAsync($"/api/meetings/{id}/agenda/{Uri.EscapeDataString(item.Id)}/remove", null), HttpStatusCode.Conflict, "meeting.not_planned");
        await Refused(await vicemayor.PostAsync($"/api/meetings/{id}/floor", null), HttpStatusCode.Conflict, "meeting.floor_held");
        await Refused(await vicemayor.PostAsJsonAsync($"/api/meetings/{id}/current", new { itemId = problemItem.Id }), HttpStatusCode.Conflict, "meeting.floor_held");
        await Refused(await zrzy.PostAsJsonAsync($"/api/meetings/{id}/current", new { itemId = problemItem.Id }), HttpStatusCode.Forbidden, "meeting.present_forbidden");
        var atProblem = await Ok(await office.PostAsJsonAsync($"/api/meetings/{id}/current", new { itemId = problemItem.Id }));
        Assert.Equal(problemItem.Id, atProblem.Summary.CurrentItemId);
        var detail = await Detail(office, id);
        Assert.Equal(problemItem.SubjectId, detail.Current!.Problem!.Id.ToString());

        // Departments post status on the current item from their own devices; a reporter may not.
        var posted = await Ok(await zrzy.PostAsJsonAsync($"/api/meetings/{id}/status", new { text = "用地预审已受理，本周五前出具意见。" }));
        Assert.Contains(posted.Posts, p => p.ItemId == problemItem.Id && p.DepartmentId == "zrzy");
        await Refused(await reporter.PostAsJsonAsync($"/api/meetings/{id}/status", new { text = "业主汇报" }), HttpStatusCode.Forbidden, "meeting.post_forbidden");
        await Refused(await zrzy.PostAsJsonAsync($"/api/meetings/{id}/status", new { text = "" }), HttpStatusCode.BadRequest, "text");

        // Decisions become work: a problem routed to zrzy, an order to fgw. A retry with the same key records one decision.
        var deadline = DateTimeOffset.UtcNow.AddDays(10);
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/decisions", new { kind = "Problem", text = "限期完成", deadline }), HttpStatusCode.BadRequest, "departmentId");
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/decisions", new { kind = "Problem", text = "限期完成", departmentId = "zrzy", deadline = DateTimeOffset.UtcNow.AddDays(-1) }), HttpStatusCode.BadRequest, "deadline");
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/decisions", new { kind = "Problem", text = "限期完成", departmentId = "nope", deadline }), HttpStatusCode.BadRequest, "departmentId");
        await Refused(await vicemayor.PostAsJsonAsync($"/api/meetings/{id}/decisions", new { kind = "Problem", text = "限期完成", departmentId = "zrzy", deadline }), HttpStatusCode.Conflict, "meeting.floor_held");
        using var keyed = await centre.As("office", keyEveryCommand: false);
        var key = Guid.NewGuid().ToString("N");
        HttpRequestMessage Decision() => new(HttpMethod.Post, $"/api/meetings/{id}/decisions")
        {
            Headers = { { "Idempotency-Key", key } },
            Content = JsonContent.Create(new { kind = "Problem", text = "自然资源和规划局10个工作日内完成用地预审", departmentId = "zrzy", deadline, category = "Land" }),
        };
        var first = await Ok(await keyed.SendAsync(Decision()));
        var again = await Ok(await keyed.SendAsync(Decision()));
        Assert.Single(again.Decisions);
        Assert.Equal(first.Decisions[0].WorkId, again.Decisions[0].WorkId);
        // The same key with another body is refused (409) and records nothing.
        using (var changed = new HttpRequestMessage(HttpMethod.Post, $"/api/meetings/{id}/decisions")
               {
                   Headers = { { "Idempotency-Key", key } },
                   Content = JsonContent.Create(new { kind = "SupervisionOrder", text = "改过的文字", departmentId = "fgw", deadline }),
               })
            await Refused(await keyed.SendAsync(changed), HttpStatusCode.Conflict, "command.key_reused");
        Assert.Equal("自然资源和规划局10个工作日内完成用地预审", Assert.Single((await Detail(office, id)).Meeting.Decisions).Text);
        var problemWork = first.Decisions[0].WorkId;
        var order = await Ok(await office.PostAsJsonAsync($"/api/meetings/{id}/decisions", new { kind = "SupervisionOrder", text = "发改局督办资金缺口，一周内反馈", departmentId = "fgw", deadline }));
        var orderWork = order.Decisions[^1].WorkId;

        // The work is on the owning departments' desks at once.
        var zrzyDesk = await zrzy.GetFromJsonAsync<JsonElement>("/api/departments/zrzy/desk");
        Assert.Contains(zrzyDesk.GetProperty("lead").EnumerateArray(), p => p.GetProperty("id").GetGuid() == problemWork);
        var fgwDesk = await fgw.GetFromJsonAsync<JsonElement>("/api/departments/fgw/desk");
        Assert.Contains(fgwDesk.GetProperty("directives").EnumerateArray(), d => d.GetProperty("id").GetGuid() == orderWork);

        // The floor is handed to the vice-mayor, who moves on and closes; the office can no longer move.
        var handed = await Ok(await office.PostAsJsonAsync($"/api/meetings/{id}/floor/hand-over", new { userName = "vicemayor" }));
        Assert.Equal("vicemayor", handed.Summary.Presenter);
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/floor/hand-over", new { userName = "nobody-here" }), HttpStatusCode.BadRequest, "userName");
        await Ok(await vicemayor.PostAsJsonAsync($"/api/meetings/{id}/current", new { itemId = live.Agenda[^1].Id }));
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/current", new { itemId = item.Id }), HttpStatusCode.Conflict, "meeting.floor_held");
        var closed = await Ok(await vicemayor.PostAsync($"/api/meetings/{id}/close", null));
        Assert.Equal((MeetingStatus.Closed, MinutesStatus.Draft, null), (closed.Summary.Status, closed.Summary.Minutes, closed.Summary.Presenter));
        await Refused(await zrzy.PostAsJsonAsync($"/api/meetings/{id}/status", new { text = "会后补充" }), HttpStatusCode.Conflict, "meeting.not_live");

        // Minutes: the draft .docx holds every decision; approved, they are kept as they are.
        var draft = await Minutes(office, id);
        Assert.Contains("草稿", draft);
        Assert.Contains("自然资源和规划局10个工作日内完成用地预审", draft);
        Assert.Contains("发改局督办资金缺口，一周内反馈", draft);
        await Refused(await fgw.PostAsJsonAsync($"/api/meetings/{id}/minutes/approve", new { text = "部门审定" }), HttpStatusCode.Forbidden, "meeting.organise_forbidden");
        var approved = await Ok(await office.PostAsJsonAsync($"/api/meetings/{id}/minutes/approve", new { text = "会议纪要正文（审定稿）\n一、会议议定两项事项。" }));
        Assert.Equal(MinutesStatus.Approved, approved.Summary.Minutes);
        await Refused(await office.PostAsJsonAsync($"/api/meetings/{id}/minutes", new { text = "再改" }), HttpStatusCode.Conflict, "meeting.minutes_not_draft");
        var final = await Minutes(zrzy, id);
        Assert.Contains("会议纪要正文（审定稿）", final);
        Assert.Contains("已审定", final);
        Assert.Contains("自然资源和规划局10个工作日内完成用地预审", final);
        Assert.Contains("发展和改革局", final); // the order's owner by name in the decisions table (the approved text does not name it)

        // The next meeting of the series opens with the previous decisions and where they stand.
        var next = await Ok(await office.PostAsJsonAsync("/api/meetings", new { kind = "WeeklyDispatch", series, scheduledAt = at.AddDays(7), attendeeDepartmentIds = new[] { "zrzy" } }, CommandCentre.Json));
        Assert.Equal(id, next.Summary.PreviousMeetingId);
        Assert.Equal(new[] { $"decision:{problemWork}", $"decision:{orderWork}" }, next.Agenda.Take(2).Select(i => i.Id));
        Assert.All(next.Agenda.Take(2), i => Assert.Equal(AgendaSource.OpenDecision, i.Source));
        var nextDetail = await Detail(office, next.Summary.Id);
        Assert.Equal(2, nextDetail.Previous!.Decisions.Count);
        Assert.Equal("ProblemStatus.Routed", nextDetail.Work[problemWork].StatusKey);
        Assert.Equal("DirectiveStatus.Open", nextDetail.Work[orderWork].StatusKey);
        var listed = await zrzy.GetFromJsonAsync<List<MeetingSummary>>("/api/meetings", CommandCentre.Json);
        Assert.Contains(listed!, m => m.Id == next.Summary.Id);
    }

    private static async Task<MeetingDetail> Detail(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<MeetingDetail>($"/api/meetings/{id}", CommandCentre.Json))!;

    /// <summary>The minutes .docx, opened with the Open XML SDK: its whole text.</summary>
    private static async Task<string> Minutes(HttpClient client, Guid id)
    {
        using var response = await client.GetAsync($"/api/meetings/{id}/minutes.docx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType!.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var doc = WordprocessingDocument.Open(stream, false);
        return string.Join("\n", doc.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }
}
