using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;

namespace KeyProjects.Grains.Departments;

/// <summary>A department or town, keyed by its id. Keeps its inbox of problems it leads or assists on.</summary>
public interface IDepartmentGrain : IGrainWithStringKey
{
    Task<CommandOutcome> Register(Actor actor, DepartmentProfile profile);
    Task<DepartmentProfile?> GetProfile();

    /// <summary>The inbox: open problems first, then by claim deadline.</summary>
    Task<IReadOnlyList<InboxItem>> GetInbox();

    /// <summary>Called by a problem grain after each of its transitions is durable.</summary>
    Task TrackProblem(ProblemSummary summary, Involvement involvement);
}
