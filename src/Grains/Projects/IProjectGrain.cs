using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;

namespace KeyProjects.Grains.Projects;

/// <summary>One key project, keyed by its project code. Keeps its profile and its list of problems.</summary>
public interface IProjectGrain : IGrainWithStringKey
{
    /// <summary>Adds the project to the library or replaces its profile. Only the command office or admin.</summary>
    Task<CommandOutcome> Register(Actor actor, ProjectProfile profile);

    Task<ProjectProfile?> GetProfile();

    /// <summary>The project's problems, newest first.</summary>
    Task<IReadOnlyList<ProblemSummary>> GetProblems();

    /// <summary>The project's warning light from its open problems, with the reasons.</summary>
    Task<LightReading> GetLight();

    /// <summary>Called by a problem grain after each of its transitions is durable.</summary>
    Task TrackProblem(ProblemSummary summary);
}
