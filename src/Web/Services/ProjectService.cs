using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

public sealed record ProjectDetail(
    ProjectProfile Profile, IReadOnlyList<ProblemSummary> Problems, LightReading Light, IReadOnlyList<StageChange> Stages, IReadOnlyList<ProjectStage> NextStages);

/// <summary>A stage move: to which stage, on which day (today when not given), why (required for 停缓建).</summary>
public sealed record ChangeStageRequest(ProjectStage? Stage, DateOnly? On, string? Reason);

/// <summary>Reads of the project library (the read model) and of one project with its problems.</summary>
public sealed class ProjectService(IGrainFactory grains, ReadModelQueries readModel, TimeProvider clock)
{
    public Task<Page<ProjectSummary>> GetPage(ProjectFilter filter, int offset, int limit) => readModel.Projects(filter, offset, limit);

    public async Task<ProjectDetail?> GetDetail(string code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64) return null;
        var project = await grains.GetGrain<IProjectGrain>(code).Get();
        if (project is null) return null;
        var problems = await readModel.ProblemList(new ProblemFilter { ProjectCode = code, Order = ProblemOrder.Raised }, ReadModelQueries.MaxLimit);
        return new ProjectDetail(project.Profile, problems, await LightOf(problems), project.Stages, project.NextStages);
    }

    public Task<ProjectCommandResult> ChangeStage(ClaimsPrincipal user, string code, ChangeStageRequest request, string key)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64)
            return Task.FromResult(ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", $"Project '{code}' does not exist.")));
        if (request.Stage is not { } stage)
            return Task.FromResult(ProjectCommandResult.Rejected(CommandOutcome.Invalid("stage", "field.required", "The stage the project moves to.")));
        var on = request.On ?? WorkingCalendar.LocalDate(clock.GetUtcNow());
        return grains.GetGrain<IProjectGrain>(code).ChangeStage(key, user.ToActor(), stage, on, request.Reason);
    }

    /// <summary>A project's light from its open problems, by the current light rules.</summary>
    public async Task<LightReading> LightOf(IEnumerable<ProblemSummary> problems) => LightOf(problems, await LightRules());

    public static LightReading LightOf(IEnumerable<ProblemSummary> problems, ProblemSettings settings) =>
        ProblemLights.ForProject(problems.Where(p => p.IsOpen), settings.Lights, settings.Version);

    public Task<ProblemSettings> LightRules() => grains.GetGrain<ISettingsGrain>(ISettingsGrain.City).GetProblemSettings();
}
