using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Projects;

/// <summary>One key project, keyed by its project code: its profile. Its problems are in the read model.</summary>
public interface IProjectGrain : IGrainWithStringKey
{
    /// <summary>Adds the project to the library or replaces its profile. Only the command office or admin.</summary>
    Task<CommandOutcome> Register(Actor actor, ProjectProfile profile);

    Task<ProjectProfile?> GetProfile();
}
