using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Departments;

/// <summary>A department or town, keyed by its id. Its desk and figures are read-model queries.</summary>
public interface IDepartmentGrain : IGrainWithStringKey
{
    Task<CommandOutcome> Register(Actor actor, DepartmentProfile profile);
    Task<DepartmentProfile?> GetProfile();
}
