using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;

namespace KeyProjects.Grains.Office;

/// <summary>
/// The command office (领导小组办公室 / 项目办): keeps the project library and the roster of departments and towns,
/// so lists come from a grain, not from scanning storage. One per city.
/// </summary>
public interface ICommandOfficeGrain : IGrainWithStringKey
{
    const string City = "city";

    Task TrackProject(ProjectSummary project);
    Task<IReadOnlyList<ProjectSummary>> GetProjectLibrary();

    Task TrackDepartment(DepartmentProfile department);
    Task<IReadOnlyList<DepartmentProfile>> GetDepartments();

    /// <summary>Every problem of the city as its latest summary (the office console, the leadership's views).</summary>
    Task TrackProblem(ProblemSummary problem);
    Task<IReadOnlyList<ProblemSummary>> GetProblems();

    /// <summary>Every supervision order and instruction of the city.</summary>
    Task TrackDirective(DirectiveSummary directive);
    Task<IReadOnlyList<DirectiveSummary>> GetDirectives();

    /// <summary>Whether the demo city has been fully seeded (set once, at the end of seeding).</summary>
    Task<bool> IsDemoSeeded();
    Task MarkDemoSeeded();

    /// <summary>A cheap call used by readiness checks: it activates the grain, so it reads storage once.</summary>
    Task<int> CountProjects();
}
