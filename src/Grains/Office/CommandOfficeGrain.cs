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

public sealed class CommandOfficeGrain(
    [PersistentState("command-office")] IPersistentState<CommandOfficeState> state) : Grain, ICommandOfficeGrain
{
    public async Task TrackProject(ProjectSummary project)
    {
        if (state.State.Projects.TryGetValue(project.Code, out var known) && known == project) return;
        state.State.Projects[project.Code] = project;
        await GrainState.Persist(this, state);
    }

    public Task<IReadOnlyList<ProjectSummary>> GetProjectLibrary() =>
        Task.FromResult<IReadOnlyList<ProjectSummary>>(state.State.Projects.Values.OrderBy(p => p.Code, StringComparer.Ordinal).ToList());

    public async Task TrackDepartment(DepartmentProfile department)
    {
        if (state.State.Departments.TryGetValue(department.Id, out var known) && known == department) return;
        state.State.Departments[department.Id] = department;
        await GrainState.Persist(this, state);
    }

    public Task<IReadOnlyList<DepartmentProfile>> GetDepartments() =>
        Task.FromResult<IReadOnlyList<DepartmentProfile>>(state.State.Departments.Values
            .OrderBy(d => d.Kind).ThenBy(d => d.Id, StringComparer.Ordinal).ToList());

    public async Task TrackProblem(ProblemSummary problem)
    {
        if (state.State.Problems.TryGetValue(problem.Id, out var known) && known.Version >= problem.Version) return;
        state.State.Problems[problem.Id] = problem;
        await GrainState.Persist(this, state);
    }

    public Task<IReadOnlyList<ProblemSummary>> GetProblems() =>
        Task.FromResult<IReadOnlyList<ProblemSummary>>(state.State.Problems.Values.OrderByDescending(p => p.LastChangedAt).ToList());

    public async Task TrackDirective(DirectiveSummary directive)
    {
        if (state.State.Directives.TryGetValue(directive.Id, out var known) && known.Version >= directive.Version) return;
        state.State.Directives[directive.Id] = directive;
        await GrainState.Persist(this, state);
    }

    public Task<IReadOnlyList<DirectiveSummary>> GetDirectives() =>
        Task.FromResult<IReadOnlyList<DirectiveSummary>>(state.State.Directives.Values.OrderBy(d => d.Status).ThenBy(d => d.Deadline).ToList());

    public Task<bool> IsDemoSeeded() => Task.FromResult(state.State.DemoSeeded);

    public async Task MarkDemoSeeded()
    {
        state.State.DemoSeeded = true;
        await GrainState.Persist(this, state);
    }

    public Task<int> CountProjects() => Task.FromResult(state.State.Projects.Count);
}
