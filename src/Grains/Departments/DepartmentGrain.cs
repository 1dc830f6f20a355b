using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Office;
using Orleans.Runtime;

namespace KeyProjects.Grains.Departments;

public sealed class DepartmentState
{
    public DepartmentProfile? Profile { get; set; }
}

/// <summary>
/// A department or town: its profile and who may register it. Its desk (inbox, orders) and figures are read from the
/// read model, which follows the problems' and directives' events; the grain keeps nothing that grows with the city.
/// </summary>
public sealed class DepartmentGrain(
    [PersistentState("department")] IPersistentState<DepartmentState> state) : Grain, IDepartmentGrain
{
    public async Task<CommandOutcome> Register(Actor actor, DepartmentProfile profile)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("department.register_forbidden", "Only the command office registers departments.");
        if (!string.Equals(profile.Id, this.GetPrimaryKeyString(), StringComparison.Ordinal))
            return CommandOutcome.Invalid("id", "department.id_mismatch", "The profile's id does not match the department.");
        if (state.State.Profile != profile)
        {
            state.State.Profile = profile;
            await GrainState.Persist(this, state);
        }
        await GrainFactory.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).TrackDepartment(profile);
        return CommandOutcome.Ok;
    }

    public Task<DepartmentProfile?> GetProfile() => Task.FromResult(state.State.Profile);
}
