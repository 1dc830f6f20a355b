using System.Security.Claims;
using KeyProjects.Grains.Departments;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

/// <summary>The working views: a department's desk, a leader's cockpit, the office console, department figures, the bell.</summary>
public static class DeskEndpoints
{
    public static IEndpointRouteBuilder MapDeskEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.Officials).WithTags("Desks");

        api.MapGet("/departments/{id}/desk", async (string id, ClaimsPrincipal user, DepartmentService departments) =>
            {
                var (access, desk) = await departments.GetDesk(user, id);
                return access switch
                {
                    InboxAccess.NotFound => ApiResults.NotFound("department.not_found", $"Department '{id}' does not exist."),
                    InboxAccess.Forbidden => ApiResults.Forbidden("department.desk_forbidden", "Only the department itself, the office and the leadership read this desk."),
                    _ => Results.Ok(desk),
                };
            })
            .WithName("GetDepartmentDesk").WithSummary("A department's desk: problems by urgency, overdue, orders and instructions, figures")
            .Produces<DeskView>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/departments/{id}/figures", async (string id, DepartmentService departments) =>
                await departments.GetFigures(id) is { } figures ? Results.Ok(figures) : ApiResults.NotFound("department.not_found", $"Department '{id}' does not exist."))
            .RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.CityFigures)
            .WithName("GetDepartmentFigures").WithSummary("A department's problem-handling figures")
            .Produces<DepartmentFigures>().ProducesProblem(404);

        api.MapGet("/figures/departments", async (DepartmentService departments) => TypedResults.Ok(await departments.GetAllFigures()))
            .RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.CityFigures)
            .WithName("GetAllDepartmentFigures").WithSummary("Every department's figures, best on-time close rate first")
            .Produces<IReadOnlyList<DepartmentFigures>>();

        api.MapGet("/cockpit", async (ClaimsPrincipal user, CommandViewsService views) =>
                await views.GetCockpit(user) is { } cockpit ? Results.Ok(cockpit) : ApiResults.Forbidden("cockpit.forbidden", "The cockpit is for members of the leadership group."))
            .WithName("GetCockpit").WithSummary("The signed-in leader's cockpit").Produces<CockpitView>().ProducesProblem(403);

        api.MapGet("/console", async (ClaimsPrincipal user, CommandViewsService views) =>
                await views.GetConsole(user) is { } console ? Results.Ok(console) : ApiResults.Forbidden("console.forbidden", "The console is the command office's."))
            .WithName("GetOfficeConsole").WithSummary("What waits for the command office").Produces<ConsoleView>().ProducesProblem(403);

        api.MapGet("/me/notifications", async (ClaimsPrincipal user, BellService bell) => TypedResults.Ok(await bell.Read(user)))
            .WithTags("Notifications").WithName("GetMyNotifications").WithSummary("The bell: newest notifications and the unread count")
            .Produces<BellView>();

        api.MapPost("/me/notifications/read", async (ClaimsPrincipal user, BellService bell) =>
            {
                await bell.MarkAllRead(user);
                return TypedResults.Ok(await bell.Read(user));
            })
            .WithTags("Notifications").WithName("MarkMyNotificationsRead").WithSummary("Mark everything in my bell read")
            .Produces<BellView>();
        return app;
    }
}
