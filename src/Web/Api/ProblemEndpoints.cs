using System.Security.Claims;
using KeyProjects.Grains.Problems;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

public static class ProblemEndpoints
{
    public static IEndpointRouteBuilder MapProblemEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Problems");

        api.MapPost("/projects/{code}/problems", async (string code, RaiseProblemRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                await Command(http, key => problems.Raise(user, code, request, key),
                    view => TypedResults.Created($"/api/problems/{view.Summary.Id}", view)))
            .WithName("RaiseProblem").WithSummary("Raise a problem on a project (提报问题)")
            .ProducesCommandResults(StatusCodes.Status201Created);

        api.MapGet("/problems/{id:guid}", async (Guid id, ProblemService problems) =>
                await problems.Get(id) is { } view ? Results.Ok(view) : ApiResults.NotFound("problem.not_found", "No such problem."))
            .WithName("GetProblem").WithSummary("A problem with its history")
            .Produces<ProblemView>().ProducesProblem(404);

        api.MapPost("/problems/{id:guid}/claim", async (Guid id, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                await Command(http, key => problems.Claim(user, id, key)))
            .WithName("ClaimProblem").WithSummary("Claim a problem for the lead department (认领)")
            .ProducesCommandResults();

        api.MapPost("/problems/{id:guid}/resolution", async (Guid id, ResolutionRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                await Command(http, key => problems.SubmitResolution(user, id, request.Resolution, key)))
            .WithName("SubmitResolution").WithSummary("Submit the resolution (办结)")
            .ProducesCommandResults();

        api.MapPost("/problems/{id:guid}/close", async (Guid id, CloseRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                await Command(http, key => problems.Close(user, id, request.Note, key)))
            .WithName("CloseProblem").WithSummary("Verify the resolution and close the problem (销号)")
            .ProducesCommandResults();

        api.MapPost("/problems/{id:guid}/send-back", async (Guid id, SendBackRequest request, HttpContext http, ClaimsPrincipal user, ProblemService problems) =>
                await Command(http, key => problems.SendBack(user, id, request.Reason, key)))
            .WithName("SendBackProblem").WithSummary("Reject the resolution and send the problem back (重办)")
            .ProducesCommandResults();

        return app;
    }

    /// <summary>What every problem command can answer: the problem, or 400/403/404/409 ProblemDetails.</summary>
    private static RouteHandlerBuilder ProducesCommandResults(this RouteHandlerBuilder endpoint, int successStatus = StatusCodes.Status200OK) =>
        endpoint.Produces<ProblemView>(successStatus).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> Command(HttpContext http, Func<string, Task<ProblemCommandResult>> run, Func<ProblemView, IResult>? onSuccess = null)
    {
        if (!IdempotencyKey.TryRead(http, out var key, out var error)) return error!;
        var result = await run(key);
        if (!result.Outcome.Succeeded) return ApiResults.Rejected(result.Outcome);
        return onSuccess is null ? TypedResults.Ok(result.Problem!) : onSuccess(result.Problem!);
    }
}
