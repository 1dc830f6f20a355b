using System.Security.Claims;
using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Domain;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

/// <summary>Administration (admin): the city's users. Refusals are ProblemDetails naming the field (400), 403, 404, 409.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin/users").RequireAuthorization().WithTags("Admin");

        api.MapGet("", async (ClaimsPrincipal user, UserAdminService users) =>
                await users.List(user) is { } list ? Results.Ok(list) : ApiResults.Forbidden("admin.forbidden", "Administrators only."))
            .WithName("ListUsers").WithSummary("The city's users, without secrets (admin)")
            .Produces<IReadOnlyList<AccountListing>>().ProducesProblem(403);

        api.MapPost("", async (CreateUserRequest request, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.Create(user, request), () => Results.Created($"/api/admin/users/{request.UserName!.Trim()}", null)))
            .WithName("CreateUser").WithSummary("Create a user with a role (and a department for department users) and a first password (admin)")
            .Produces(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        api.MapPost("/{userName}/disable", async (string userName, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.Disable(user, userName)))
            .WithName("DisableUser").WithSummary("Disable a user: no more sign-in; open sessions end at their next check (admin)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        api.MapPost("/{userName}/enable", async (string userName, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.Enable(user, userName)))
            .WithName("EnableUser").WithSummary("Enable a disabled (or locked-out) user again (admin)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/{userName}/password", async (string userName, PasswordRequest request, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.SetPassword(user, userName, request.Password)))
            .WithName("SetUserPassword").WithSummary("Set a new password for a user; their open sessions end (admin)")
            .Produces(204).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    private static IResult Answer(CommandOutcome outcome, Func<IResult>? onSuccess = null) =>
        outcome.Succeeded ? onSuccess?.Invoke() ?? Results.NoContent() : ApiResults.Rejected(outcome);
}
