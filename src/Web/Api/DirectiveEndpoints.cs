using System.Security.Claims;
using KeyProjects.Grains.Directives;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

/// <summary>Supervision orders (督办单) and leaders' instructions (批示).</summary>
public static class DirectiveEndpoints
{
    public static IEndpointRouteBuilder MapDirectiveEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/directives").RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.Officials).WithTags("Directives");

        api.MapPost("", (IssueDirectiveRequest request, HttpContext http, ClaimsPrincipal user, DirectiveService directives) =>
                Run(http, key => directives.Issue(user, request, key), view => TypedResults.Created($"/api/directives/{view.Summary.Id}", view)))
            .WithName("IssueDirective").WithSummary("Issue a supervision order (leadership, office) or an instruction (leader) to a department")
            .ProducesCommandResults<DirectiveView>(StatusCodes.Status201Created);

        api.MapGet("", async (ClaimsPrincipal user, DirectiveService directives) =>
                await directives.GetAll(user) is { } all ? Results.Ok(all) : ApiResults.Forbidden("directive.list_forbidden", "The leadership and the office see all directives."))
            .WithName("GetDirectives").WithSummary("Every order and instruction, open first (leadership, office)")
            .Produces<IReadOnlyList<DirectiveSummary>>().ProducesProblem(403);

        api.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, DirectiveService directives) =>
                await directives.GetFor(user, id) switch
                {
                    (InboxAccess.Allowed, { } view) => Results.Ok(view),
                    (InboxAccess.Forbidden, _) => ApiResults.Forbidden("directive.read_forbidden", "A department reads the directives addressed to it."),
                    _ => ApiResults.NotFound("directive.not_found", "No such directive."),
                })
            .WithName("GetDirective").WithSummary("A directive with its history (leadership, office, the addressed department)")
            .Produces<DirectiveView>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/{id:guid}/history", async (Guid id, ClaimsPrincipal user, DirectiveService directives) =>
                await directives.GetFor(user, id) switch
                {
                    (InboxAccess.Allowed, _) => Results.Ok(await directives.History(id)),
                    (InboxAccess.Forbidden, _) => ApiResults.Forbidden("directive.read_forbidden", "A department reads the directives addressed to it."),
                    _ => ApiResults.NotFound("directive.not_found", "No such directive."),
                })
            .WithName("GetDirectiveHistory").WithSummary("The directive's history from the event log, with the hash chain")
            .Produces<IReadOnlyList<LoggedHistoryEntry>>().ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/{id:guid}/response", (Guid id, DirectiveResponseRequest request, HttpContext http, ClaimsPrincipal user, DirectiveService directives) =>
                Run(http, key => directives.Respond(user, id, request.Feedback, key)))
            .WithName("RespondToDirective").WithSummary("The department's feedback").ProducesCommandResults<DirectiveView>();

        api.MapPost("/{id:guid}/accept", (Guid id, DirectiveAcceptRequest request, HttpContext http, ClaimsPrincipal user, DirectiveService directives) =>
                Run(http, key => directives.Accept(user, id, request.Note, key)))
            .WithName("AcceptDirective").WithSummary("The issuer accepts the feedback").ProducesCommandResults<DirectiveView>();

        api.MapPost("/{id:guid}/send-back", (Guid id, DirectiveSendBackRequest request, HttpContext http, ClaimsPrincipal user, DirectiveService directives) =>
                Run(http, key => directives.SendBack(user, id, request.Reason, key)))
            .WithName("SendBackDirective").WithSummary("The issuer sends the feedback back").ProducesCommandResults<DirectiveView>();
        return app;
    }

    private static Task<IResult> Run(HttpContext http, Func<string, Task<DirectiveCommandResult>> run, Func<DirectiveView, IResult>? onSuccess = null) =>
        ApiResults.Command<DirectiveView>(http, async key => await run(key), onSuccess);
}
