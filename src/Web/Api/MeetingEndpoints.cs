using System.Globalization;
using System.Security.Claims;
using KeyProjects.Grains.Meetings;
using KeyProjects.Web.Meetings;
using KeyProjects.Web.Services;
using Microsoft.Extensions.Localization;

namespace KeyProjects.Web.Api;

/// <summary>Coordination meetings (调度会): prepare, run live, decide, close, minutes.</summary>
public static class MeetingEndpoints
{
    public static IEndpointRouteBuilder MapMeetingEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/meetings").RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.Officials).WithTags("Meetings");

        api.MapGet("", async (ClaimsPrincipal user, MeetingService meetings) =>
                await meetings.List(user) is { } list ? Results.Ok(list) : ApiResults.Forbidden("meeting.list_forbidden", "Project reporters do not attend meetings."))
            .WithName("GetMeetings").WithSummary("The meetings a user may see, the latest first")
            .Produces<IReadOnlyList<MeetingSummary>>().ProducesProblem(403);

        api.MapPost("", (ScheduleMeetingRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.Schedule(user, request, key), view => TypedResults.Created($"/api/meetings/{view.Summary.Id}", view)))
            .WithName("ScheduleMeeting")
            .WithSummary("Prepare a meeting (office); its agenda starts from the series' open decisions, escalated and red problems, overdue orders")
            .ProducesCommandResults<MeetingView>(StatusCodes.Status201Created);

        api.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, MeetingService meetings) =>
                await meetings.GetFor(user, id) switch
                {
                    (InboxAccess.Allowed, { } detail) => Results.Ok(detail),
                    (InboxAccess.Forbidden, _) => Forbidden(),
                    _ => NotFound(),
                })
            .WithName("GetMeeting").WithSummary("A meeting with its agenda, posts, decisions (and where their work stands), the current item's facts")
            .Produces<MeetingDetail>().ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/{id:guid}/agenda", (Guid id, AgendaItemRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.AddItem(user, id, request, key)))
            .WithName("AddAgendaItem").WithSummary("Add an item to the agenda (office)").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/agenda/{itemId}/remove", (Guid id, string itemId, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.RemoveItem(user, id, itemId, key)))
            .WithName("RemoveAgendaItem").WithSummary("Take an item off the agenda (office)").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/agenda/{itemId}/move", (Guid id, string itemId, AgendaMoveRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.MoveItem(user, id, itemId, request.Position, key)))
            .WithName("MoveAgendaItem").WithSummary("Move an item to a position of the agenda, from 0 (office)").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/start", (Guid id, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.Start(user, id, key)))
            .WithName("StartMeeting").WithSummary("The meeting goes live; whoever starts it holds the floor").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/floor", (Guid id, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.TakeFloor(user, id, key)))
            .WithName("TakeFloor").WithSummary("Take the floor when nobody holds it (409 while another presenter does)").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/floor/hand-over", (Guid id, HandOverRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.HandOver(user, id, request.UserName, key)))
            .WithName("HandOverFloor").WithSummary("The presenter (or a leader) hands the floor to another").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/current", (Guid id, MoveToRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.MoveTo(user, id, request.ItemId, key)))
            .WithName("MoveToItem").WithSummary("The presenter moves to an agenda item; every screen follows").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/status", (Guid id, StatusPostRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.PostStatus(user, id, request.Text, key)))
            .WithName("PostItemStatus").WithSummary("An attending department posts its status on the current item").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/decisions", (Guid id, DecisionRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.Decide(user, id, request, key)))
            .WithName("RecordDecision").WithSummary("The presenter records a decision; it becomes a problem or a directive with a deadline")
            .ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/close", (Guid id, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.Close(user, id, key)))
            .WithName("CloseMeeting").WithSummary("End the meeting; the minutes are drafted").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/minutes", (Guid id, MinutesRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.SaveMinutes(user, id, request.Text, key)))
            .WithName("SaveMinutes").WithSummary("Save the edited minutes (office)").ProducesCommandResults<MeetingView>();

        api.MapPost("/{id:guid}/minutes/approve", (Guid id, MinutesRequest request, HttpContext http, ClaimsPrincipal user, MeetingService meetings) =>
                Run(http, key => meetings.ApproveMinutes(user, id, request.Text, key)))
            .WithName("ApproveMinutes").WithSummary("Approve the minutes as given (office); they are kept as they are").ProducesCommandResults<MeetingView>();

        api.MapGet("/{id:guid}/minutes.docx", async (Guid id, ClaimsPrincipal user, MeetingService meetings, DepartmentService departments,
                IStringLocalizer<SharedResource> text) =>
            {
                var (access, detail) = await meetings.GetFor(user, id);
                if (access == InboxAccess.Forbidden) return Forbidden();
                if (detail is null) return NotFound();
                if (detail.Meeting.Summary.Minutes == MinutesStatus.NotYet)
                    return ApiResults.Conflict("meeting.minutes_not_yet", "The minutes are drafted when the meeting closes.");
                var names = (await departments.GetDepartments()).ToDictionary(d => d.Id, d => d.Name);
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN"); // an official document: Chinese
                var bytes = MeetingMinutes.Document(detail, d => names.GetValueOrDefault(d, d), w => w is null ? "" : text[w.StatusKey]);
                return Results.File(bytes, KeyProjects.Web.Office.WordDocument.ContentType,
                    $"meeting-minutes-{detail.Meeting.Summary.ScheduledAt.ToOffset(Grains.Settings.WorkingCalendar.ChinaOffset):yyyyMMdd}.docx");
            })
            .WithName("GetMinutesDocument").WithSummary("The minutes as a Word document (.docx), with every decision and where it stands")
            .Produces(200, contentType: KeyProjects.Web.Office.WordDocument.ContentType).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    private static IResult Forbidden() => ApiResults.Forbidden("meeting.read_forbidden", "A department reads the meetings it attends or has items on.");

    private static IResult NotFound() => ApiResults.NotFound("meeting.not_found", "No such meeting.");

    private static Task<IResult> Run(HttpContext http, Func<string, Task<MeetingCommandResult>> run, Func<MeetingView, IResult>? onSuccess = null) =>
        ApiResults.Command<MeetingView>(http, async key => await run(key), onSuccess);
}
