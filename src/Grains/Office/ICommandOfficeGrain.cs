using KeyProjects.Grains.Departments;

namespace KeyProjects.Grains.Office;

/// <summary>
/// The command office (领导小组办公室 / 项目办): keeps the roster of departments and towns (a few dozen, not growing
/// with the city's history) and whether the demo city was seeded. Lists of projects, problems and directives are
/// read-model queries. One per city.
/// </summary>
public interface ICommandOfficeGrain : IGrainWithStringKey
{
    const string City = "city";

    Task TrackDepartment(DepartmentProfile department);
    Task<IReadOnlyList<DepartmentProfile>> GetDepartments();

    /// <summary>Whether the demo city has been fully seeded (set once, at the end of seeding).</summary>
    Task<bool> IsDemoSeeded();
    Task MarkDemoSeeded();
}
