using System.Security.Claims;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

public sealed record Me(string UserName, string DisplayName, Role Role, string? DepartmentId);

/// <summary>Reads: the signed-in user, departments, inboxes, the leadership group.</summary>
public static class DirectoryEndpoints
{
    public static IEndpointRouteBuilder MapDirectoryEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();

        api.MapGet("/me", (ClaimsPrincipal user) =>
            {
                var actor = user.ToActor();
                return TypedResults.Ok(new Me(actor.UserName, actor.DisplayName, actor.Role, actor.DepartmentId));
            })
            .WithTags("Account").WithName("GetMe").WithSummary("The signed-in user (wall screens too)");

        // Everything else here is for the city's officials (ReadAccess): not wall screens.
        api = app.MapGroup("/api").RequireAuthorization(ReadPolicies.Officials);

        api.MapGet("/departments", async (DepartmentService departments) => TypedResults.Ok(await departments.GetDepartments()))
            .WithTags("Departments").WithName("GetDepartments").WithSummary("Departments and towns")
            .Produces<IReadOnlyList<DepartmentProfile>>();

        api.MapGet("/departments/lead-proposals", async (string? title, string? description, ProblemCategory? category, DepartmentService departments) =>
                (title?.Length ?? 0) + (description?.Length ?? 0) > 4200 ? ApiResults.Invalid("description", "At most 4,200 characters of title and description.", "text.too_long")
                : Results.Ok(await departments.ProposeLead(title, description, category)))
            .WithTags("Departments").WithName("ProposeLeadDepartment")
            .WithSummary("The units whose duty lists (职责清单) best match a problem's title, description and category, best first, with the duty words that matched (a proposal; retired units never)")
            .Produces<IReadOnlyList<LeadProposal>>().ProducesProblem(400);

        api.MapGet("/departments/{id}/inbox", async (string id, ClaimsPrincipal user, DepartmentService departments) =>
            {
                var (access, _, items) = await departments.GetInbox(user, id);
                return access switch
                {
                    InboxAccess.NotFound => ApiResults.NotFound("department.not_found", $"Department '{id}' does not exist."),
                    InboxAccess.Forbidden => ApiResults.Forbidden("department.inbox_forbidden", "Only the department itself, the office and the leadership read this inbox."),
                    _ => Results.Ok(items),
                };
            })
            .WithTags("Departments").WithName("GetDepartmentInbox").WithSummary("A department's inbox")
            .Produces<IReadOnlyList<InboxItem>>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/leadership", async (DepartmentService departments) => TypedResults.Ok(await departments.GetLeadership()))
            .WithTags("Leadership").WithName("GetLeadershipGroup").WithSummary("The leadership group and the projects each leader answers for")
            .Produces<IReadOnlyList<LeaderAssignment>>();

        return app;
    }
}
