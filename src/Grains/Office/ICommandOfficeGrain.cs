using KeyProjects.Grains.Departments;

namespace KeyProjects.Grains.Office;

/// <summary>
/// The command office (领导小组办公室 / 项目办): keeps the roster of departments and towns (a few dozen, not growing
/// with the city's history) and whether the demo city was seeded. Lists of projects, problems and directives are
/// read-model queries. One per city. It also remembers who the first administrator was, so the one-time set-up page
/// closes for good once the city has one.
/// </summary>
public interface ICommandOfficeGrain : IGrainWithStringKey
{
    const string City = "city";

    Task TrackDepartment(DepartmentProfile department);
    Task<IReadOnlyList<DepartmentProfile>> GetDepartments();

    /// <summary>Whether the demo city has been fully seeded (set once, at the end of seeding).</summary>
    Task<bool> IsDemoSeeded();
    Task MarkDemoSeeded();

    /// <summary>The user name of the city's first administrator, once one was created (first start or demo).</summary>
    Task<string?> GetFirstAdministrator();

    /// <summary>Records the first administrator; false (and nothing changes) when one is already recorded.</summary>
    Task<bool> RecordFirstAdministrator(string userName);
}
