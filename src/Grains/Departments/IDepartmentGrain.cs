using KeyProjects.Grains.Domain;
using Orleans.Concurrency;

namespace KeyProjects.Grains.Departments;

/// <summary>
/// A department or town, keyed by its id: its profile and duty list, renamed, retired and reinstated by
/// administrators, each change an event. Its desk and figures are read-model queries.
/// </summary>
public interface IDepartmentGrain : IGrainWithStringKey
{
    /// <summary>Registers the unit or updates its name and kind (the city's file, the demo); a retired unit stays retired.</summary>
    Task<CommandOutcome> Register(Actor actor, DepartmentProfile profile);

    [AlwaysInterleave]
    Task<DepartmentProfile?> GetProfile();

    Task<DepartmentView?> Get();

    /// <summary>Creates the unit with its duty list (administrators); a unit that exists already is a 409, a retry of this command its answer.</summary>
    Task<DepartmentCommandResult> Create(string commandId, Actor actor, DepartmentProfile profile, IReadOnlyList<string> duties);

    Task<DepartmentCommandResult> Rename(string commandId, Actor actor, string name);
    Task<DepartmentCommandResult> SetDuties(string commandId, Actor actor, IReadOnlyList<string> duties);
    Task<DepartmentCommandResult> Retire(string commandId, Actor actor, string reason);
    Task<DepartmentCommandResult> Reinstate(string commandId, Actor actor);
}
