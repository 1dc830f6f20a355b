using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.ReadModel;

namespace KeyProjects.Web.Services;

public sealed record ProjectDetail(ProjectProfile Profile, IReadOnlyList<ProblemSummary> Problems, LightReading Light);

/// <summary>Reads of the project library (the read model) and of one project with its problems.</summary>
public sealed class ProjectService(IGrainFactory grains, ReadModelQueries readModel)
{
    public Task<Page<ProjectSummary>> GetPage(ProjectFilter filter, int offset, int limit) => readModel.Projects(filter, offset, limit);

    public async Task<ProjectDetail?> GetDetail(string code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64) return null;
        var profile = await grains.GetGrain<IProjectGrain>(code).GetProfile();
        if (profile is null) return null;
        var problems = await readModel.ProblemList(new ProblemFilter { ProjectCode = code, Order = ProblemOrder.Raised }, ReadModelQueries.MaxLimit);
        return new ProjectDetail(profile, problems, await LightOf(problems));
    }

    /// <summary>A project's light from its open problems, by the current light rules.</summary>
    public async Task<LightReading> LightOf(IEnumerable<ProblemSummary> problems) => LightOf(problems, await LightRules());

    public static LightReading LightOf(IEnumerable<ProblemSummary> problems, ProblemSettings settings) =>
        ProblemLights.ForProject(problems.Where(p => p.IsOpen), settings.Lights, settings.Version);

    public Task<ProblemSettings> LightRules() => grains.GetGrain<ISettingsGrain>(ISettingsGrain.City).GetProblemSettings();
}
