using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using Orleans.Runtime;

namespace KeyProjects.Grains.Office;

public sealed class CommandOfficeState
{
    public Dictionary<string, DepartmentProfile> Departments { get; set; } = [];
    public bool DemoSeeded { get; set; }
    public string? FirstAdministrator { get; set; }
}

public sealed class CommandOfficeGrain(
    [PersistentState("command-office")] IPersistentState<CommandOfficeState> state) : Grain, ICommandOfficeGrain
{
    public async Task TrackDepartment(DepartmentProfile department)
    {
        if (state.State.Departments.TryGetValue(department.Id, out var known) && known == department) return;
        state.State.Departments[department.Id] = department;
        await GrainState.Persist(this, state);
    }

    public Task<IReadOnlyList<DepartmentProfile>> GetDepartments() =>
        Task.FromResult<IReadOnlyList<DepartmentProfile>>(state.State.Departments.Values
            .OrderBy(d => d.Kind).ThenBy(d => d.Id, StringComparer.Ordinal).ToList());

    public Task<bool> IsDemoSeeded() => Task.FromResult(state.State.DemoSeeded);

    public async Task MarkDemoSeeded()
    {
        state.State.DemoSeeded = true;
        await GrainState.Persist(this, state);
    }

    public Task<string?> GetFirstAdministrator() => Task.FromResult(state.State.FirstAdministrator);

    public async Task<bool> RecordFirstAdministrator(string userName)
    {
        if (state.State.FirstAdministrator is not null) return state.State.FirstAdministrator == userName;
        state.State.FirstAdministrator = userName;
        await GrainState.Persist(this, state);
        return true;
    }
}
