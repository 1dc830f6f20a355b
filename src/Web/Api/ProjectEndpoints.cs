using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

/// <summary>The project library (项目库), one project, and its lifecycle.</summary>
public static class ProjectEndpoints
{
    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();

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
            .WithTags("Projects").WithName("GetProject").WithSummary("A project with its problems, its stage history and the stages it may move to")
            .Produces<ProjectDetail>().ProducesProblem(404);

        api.MapPost("/projects/{code}/stage", (string code, ChangeStageRequest request, HttpContext http, ClaimsPrincipal user, ProjectService projects) =>
                ApiResults.Command<ProjectView>(http, async key => await projects.ChangeStage(user, code, request, key)))
            .WithTags("Projects").WithName("ChangeProjectStage")
            .WithSummary("Move the project to another stage on a day (office): 储备→在谈→签约→前期→在建→竣工→投产, 停缓建 with a reason and back; another move is a 409 naming the allowed ones")
            .ProducesCommandResults<ProjectView>();
        return app;
    }
}
