using Orleans.Concurrency;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Settings;
using Orleans.Runtime;

namespace KeyProjects.Grains.Projects;

public sealed class ProjectState
{
    public ProjectProfile? Profile { get; set; }
    public Dictionary<Guid, ProblemSummary> Problems { get; set; } = [];
}

/// <summary>Reentrant: every method changes state before its first await, and writes go through one group commit.</summary>
[Reentrant]
public sealed class ProjectGrain(
    [PersistentState("project")] IPersistentState<ProjectState> state) : Grain, IProjectGrain
{
    private GroupCommit<ProjectState>? _groupCommit;
    private GroupCommit<ProjectState> Writes => _groupCommit ??= new(this, state);

    public async Task<CommandOutcome> Register(Actor actor, ProjectProfile profile)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("project.register_forbidden", "Only the command office registers projects.");
        if (!string.Equals(profile.Code, this.GetPrimaryKeyString(), StringComparison.Ordinal))
            return CommandOutcome.Invalid("code", "project.code_mismatch", "The profile's code does not match the project.");

        await Writes.Change(() => state.State.Profile = profile);
        await GrainFactory.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).TrackProject(ProjectSummary.From(profile));
        return CommandOutcome.Ok;
    }

    public Task<ProjectProfile?> GetProfile() => Task.FromResult(state.State.Profile);

    public Task<IReadOnlyList<ProblemSummary>> GetProblems() =>
        Task.FromResult<IReadOnlyList<ProblemSummary>>(
            state.State.Problems.Values.OrderByDescending(p => p.RaisedAt).ToList());

    public async Task<LightReading> GetLight()
    {
        var settings = await GrainFactory.GetGrain<ISettingsGrain>(ISettingsGrain.City).GetProblemSettings();
        return ProblemLights.ForProject(state.State.Problems.Values, settings.Lights, settings.Version);
    }

    public async Task TrackProblem(ProblemSummary summary)
    {
        if (IsKnown(summary)) return;
        await Writes.Change(() =>
        {
            if (!IsKnown(summary)) state.State.Problems[summary.Id] = summary;
        });
    }

    private bool IsKnown(ProblemSummary summary) =>
        state.State.Problems.TryGetValue(summary.Id, out var known) && known.Version >= summary.Version;
}
