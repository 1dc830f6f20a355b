using Orleans.Concurrency;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Projects;
using Orleans.Runtime;

namespace KeyProjects.Grains.Office;

public sealed class CommandOfficeState
{
    public Dictionary<string, ProjectSummary> Projects { get; set; } = [];
    public Dictionary<string, DepartmentProfile> Departments { get; set; } = [];
    public Dictionary<Guid, ProblemSummary> Problems { get; set; } = [];
    public Dictionary<Guid, DirectiveSummary> Directives { get; set; } = [];
    public bool DemoSeeded { get; set; }
}

/// <summary>Reentrant: every method changes state before its first await, and writes go through one group commit.</summary>
[Reentrant]
public sealed class CommandOfficeGrain(
    [PersistentState("command-office")] IPersistentState<CommandOfficeState> state) : Grain, ICommandOfficeGrain
{
    private GroupCommit<CommandOfficeState>? _groupCommit;
    private GroupCommit<CommandOfficeState> Writes => _groupCommit ??= new(this, state);

    public async Task TrackProject(ProjectSummary project)
    {
        if (state.State.Projects.TryGetValue(project.Code, out var known) && known == project) return;
        await Writes.Change(() => state.State.Projects[project.Code] = project);
    }

    public Task<IReadOnlyList<ProjectSummary>> GetProjectLibrary() =>
        Task.FromResult<IReadOnlyList<ProjectSummary>>(state.State.Projects.Values.OrderBy(p => p.Code, StringComparer.Ordinal).ToList());

    public async Task TrackDepartment(DepartmentProfile department)
    {
        if (state.State.Departments.TryGetValue(department.Id, out var known) && known == department) return;
        await Writes.Change(() => state.State.Departments[department.Id] = department);
    }

    public Task<IReadOnlyList<DepartmentProfile>> GetDepartments() =>
        Task.FromResult<IReadOnlyList<DepartmentProfile>>(state.State.Departments.Values
            .OrderBy(d => d.Kind).ThenBy(d => d.Id, StringComparer.Ordinal).ToList());

    public async Task TrackProblem(ProblemSummary problem)
    {
        if (IsKnown(state.State.Problems, problem.Id, problem.Version, p => p.Version)) return;
        await Writes.Change(() =>
        {
            if (!IsKnown(state.State.Problems, problem.Id, problem.Version, p => p.Version)) state.State.Problems[problem.Id] = problem;
        });
    }

    public Task<IReadOnlyList<ProblemSummary>> GetProblems() =>
        Task.FromResult<IReadOnlyList<ProblemSummary>>(state.State.Problems.Values.OrderByDescending(p => p.LastChangedAt).ToList());

    public async Task TrackDirective(DirectiveSummary directive)
    {
        if (IsKnown(state.State.Directives, directive.Id, directive.Version, d => d.Version)) return;
        await Writes.Change(() =>
        {
            if (!IsKnown(state.State.Directives, directive.Id, directive.Version, d => d.Version)) state.State.Directives[directive.Id] = directive;
        });
    }

    public Task<IReadOnlyList<DirectiveSummary>> GetDirectives() =>
        Task.FromResult<IReadOnlyList<DirectiveSummary>>(state.State.Directives.Values.OrderBy(d => d.Status).ThenBy(d => d.Deadline).ToList());

    public Task<bool> IsDemoSeeded() => Task.FromResult(state.State.DemoSeeded);

    public async Task MarkDemoSeeded()
    {
        await Writes.Change(() => state.State.DemoSeeded = true);
    }

    /// <summary>Whether this version (or a later one) is already kept: summaries never go back.</summary>
    private static bool IsKnown<TKey, TValue>(Dictionary<TKey, TValue> kept, TKey id, int version, Func<TValue, int> versionOf) where TKey : notnull =>
        kept.TryGetValue(id, out var known) && versionOf(known) >= version;

    public Task<int> CountProjects() => Task.FromResult(state.State.Projects.Count);
}
