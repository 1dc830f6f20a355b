using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

/// <summary>The problem's closed loop over HTTP. Every rule is the problem grain's; these only translate.</summary>
public static class ProblemEndpoints
{
    public static IEndpointRouteBuilder MapProblemEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.Officials).WithTags("Problems");

        api.MapPost("/projects/{code}/problems", (string code, RaiseProblemRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.Raise(user, code, request, key), view => TypedResults.Created($"/api/problems/{view.Summary.Id}", view)))
            .WithName("RaiseProblem").WithSummary("Raise a problem on a project (提报问题); without a lead department it waits for routing")
            .ProducesCommandResults<ProblemView>(StatusCodes.Status201Created);

        api.MapGet("/problems/export.xlsx", async (ProblemService problems, DepartmentService departments, ProblemStatus? status, WarningLight? light, string? lead,
                string? project, string? leader, ProblemCategory? category, bool? overdue, bool? open, string? q) =>
            {
                if (ApiResults.Known(("status", status), ("light", light), ("category", category)) is { } invalid) return invalid;
                var filter = new ProblemFilter
                {
                    Status = status, Light = light, LeadDepartmentId = lead, ProjectCode = project, LeaderId = leader, Category = category,
                    Overdue = overdue, Open = open, Text = q,
                };
                var names = (await departments.GetDepartments()).ToDictionary(d => d.Id, d => d.Name);
                return Results.File(KeyProjects.Web.Office.LedgerWorkbook.Problems(await problems.Ledger(filter), names), ProjectEndpoints.Xlsx, "协调事项台账.xlsx");
            })
            .RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.CityFigures)
            .WithName("ExportProblems")
            .WithSummary($"The problems (filtered like the list, most urgent first, at most {ProblemService.LedgerLimit}) as an .xlsx ledger (协调事项台账)")
            .Produces(200, contentType: ProjectEndpoints.Xlsx).ProducesProblem(400).ProducesProblem(403);

        api.MapGet("/problems", async (ProblemService problems, ClaimsPrincipal user, ProblemStatus? status, WarningLight? light, string? lead,
                string? project, string? leader, ProblemCategory? category, bool? overdue, bool? open, string? q, ProblemOrder? order,
                int? offset, int? limit) =>
            {
                if ((ApiResults.Paging(offset, limit) ?? ApiResults.Known(("status", status), ("light", light), ("category", category), ("order", order))) is { } invalid)
                    return invalid;
                var filter = new ProblemFilter
                {
                    Status = status, Light = light, LeadDepartmentId = lead, ProjectCode = project, LeaderId = leader, Category = category,
                    Overdue = overdue, Open = open, Text = q, Order = order ?? ProblemOrder.Urgency,
                };
                return Results.Ok(await problems.List(user, filter, offset ?? 0, limit ?? ApiResults.DefaultLimit));
            })
            .WithName("ListProblems")
            .WithSummary("Problems (a reporter: its own projects'), paged, filtered and sorted in the database: status, light, lead (department), project, leader, category, overdue, open, q (title), order (Urgency, LastChanged, Raised)")
            .Produces<Page<ProblemSummary>>().ProducesValidationProblem();

        api.MapGet("/problems/{id:guid}/history", async (Guid id, ClaimsPrincipal user, ProblemService problems) => ApiResults.Read(await problems.History(user, id)))
            .WithName("GetProblemHistory").WithSummary("The problem's history from the event log: who, when, from → to, with the hash chain (its parties, its project's reporters and the command)")
            .Produces<IReadOnlyList<LoggedHistoryEntry>>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/problems/{id:guid}", async (Guid id, ClaimsPrincipal user, ProblemService problems) => ApiResults.Read(await problems.Get(user, id)))
            .WithName("GetProblem").WithSummary("A problem with its history, returns, pause and light (its parties, its project's reporters and the command)")
            .Produces<ProblemView>().ProducesProblem(403).ProducesProblem(404);

        Command(api, "route", "RouteProblem", "Route or re-route to a lead department (分办/改派, office)",
            (Guid id, RouteRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.Route(user, id, request, key)));
        Command(api, "claim", "ClaimProblem", "Claim a problem for the lead department (认领)",
            (Guid id, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.Claim(user, id, key)));
        Command(api, "return", "ReturnProblem", "Return a problem that is not the department's own (退回), with a reason",
            (Guid id, ReturnRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.Return(user, id, request, key)));
        Command(api, "ruling", "RuleOnProblem", "Binding ruling on the owner after a second return (裁定, office)",
            (Guid id, RulingRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.Rule(user, id, request, key)));
        Command(api, "inputs", "PostProblemInput", "Post progress or an assisting department's input",
            (Guid id, InputRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.PostInput(user, id, request.Text, key)));
        Command(api, "pause-request", "RequestPause", "Ask the office to pause the deadlines, with a reason",
            (Guid id, PauseRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.RequestPause(user, id, request.Reason, key)));
        Command(api, "pause-decision", "DecidePause", "Approve or reject a pause request (office)",
            (Guid id, PauseDecisionRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.DecidePause(user, id, request, key)));
        Command(api, "resume", "ResumeDeadlines", "End a pause: deadlines move by the working days it lasted",
            (Guid id, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.Resume(user, id, key)));
        Command(api, "resolution", "SubmitResolution", "Submit the resolution (办结)",
            (Guid id, ResolutionRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.SubmitResolution(user, id, request.Resolution, key)));
        Command(api, "close", "CloseProblem", "Verify the resolution and close the problem (销号)",
            (Guid id, CloseRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.Close(user, id, request.Note, key)));
        Command(api, "send-back", "SendBackProblem", "Reject the resolution and send the problem back (重办)",
            (Guid id, SendBackRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                Run(http, key => problems.SendBack(user, id, request.Reason, key)));
        return app;
    }

    private static void Command(RouteGroupBuilder api, string action, string name, string summary, Delegate handler) =>
        api.MapPost($"/problems/{{id:guid}}/{action}", handler).WithName(name).WithSummary(summary).ProducesCommandResults<ProblemView>();

    private static Task<IResult> Run(HttpContext http, Func<string, Task<ProblemCommandResult>> run, Func<ProblemView, IResult>? onSuccess = null) =>
        ApiResults.Command<ProblemView>(http, async key => await run(key), onSuccess);
}
