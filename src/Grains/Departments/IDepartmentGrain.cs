using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;

namespace KeyProjects.Grains.Departments;

/// <summary>A department or town, keyed by its id: its desk (problems, directives) and its figures.</summary>
public interface IDepartmentGrain : IGrainWithStringKey
{
    Task<CommandOutcome> Register(Actor actor, DepartmentProfile profile);
    Task<DepartmentProfile?> GetProfile();

    /// <summary>The inbox by urgency: open first, red first, nearest deadline first.</summary>
    Task<IReadOnlyList<InboxItem>> GetInbox();

    /// <summary>Supervision orders and instructions addressed to the department, open first.</summary>
    Task<IReadOnlyList<DirectiveSummary>> GetDirectives();

    Task<DepartmentFigures> GetFigures();

    /// <summary>Called by a problem grain after each of its transitions is durable; the fact counts once per version.</summary>
    Task TrackProblem(ProblemSummary summary, Involvement involvement, DepartmentFact? fact);

    Task TrackDirective(DirectiveSummary directive);
}
