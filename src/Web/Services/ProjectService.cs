using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;

namespace KeyProjects.Web.Services;

public sealed record ProjectDetail(ProjectProfile Profile, IReadOnlyList<ProblemSummary> Problems, LightReading Light);

/// <summary>Reads of the project library and of one project with its problems.</summary>
public sealed class ProjectService(IGrainFactory grains)
{
    public Task<IReadOnlyList<ProjectSummary>> GetLibrary() =>
        grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).GetProjectLibrary();

    public async Task<ProjectDetail?> GetDetail(string code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64) return null;
        var project = grains.GetGrain<IProjectGrain>(code);
        var profile = await project.GetProfile();
        return profile is null ? null : new ProjectDetail(profile, await project.GetProblems(), await project.GetLight());
    }
}
