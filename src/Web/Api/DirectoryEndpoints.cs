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

/// <summary>Reads: the signed-in user, the project library, one project, departments, inboxes, the leadership group.</summary>
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
            .WithTags("Account").WithName("GetMe").WithSummary("The signed-in user");

        api.MapGet("/projects", async (ProjectService projects, ProjectStage? stage, ProjectCategory? category, string? town,
                string? leader, string? department, string? q, int? offset, int? limit) =>
            {
                if ((ApiResults.Paging(offset, limit) ?? ApiResults.Known(("stage", stage), ("category", category))) is { } invalid) return invalid;
                var filter = new ProjectFilter { Stage = stage, Category = category, Town = town, LeaderId = leader, DepartmentId = department, Text = q };
                return Results.Ok(await projects.GetPage(filter, offset ?? 0, limit ?? ApiResults.DefaultLimit));
            })
            .WithTags("Projects").WithName("GetProjectLibrary")
            .WithSummary("The project library (项目库), paged and filtered in the database: stage, category, town, leader, department, q (name or code)")
            .Produces<Page<ProjectSummary>>().ProducesProblem(400);

        api.MapGet("/projects/{code}", async (string code, ProjectService projects) =>
                await projects.GetDetail(code) is { } detail ? Results.Ok(detail) : ApiResults.NotFound("project.not_found", $"Project '{code}' does not exist."))
            .WithTags("Projects").WithName("GetProject").WithSummary("A project with its problems")
            .Produces<ProjectDetail>().ProducesProblem(404);

        api.MapGet("/departments", async (DepartmentService departments) => TypedResults.Ok(await departments.GetDepartments()))
            .WithTags("Departments").WithName("GetDepartments").WithSummary("Departments and towns")
            .Produces<IReadOnlyList<DepartmentProfile>>();

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
