using System.Security.Claims;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Office;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

public enum InboxAccess
{
    Allowed,
    NotFound,
    Forbidden,
}

/// <summary>The roster of departments and towns, a department's inbox, and the leadership group.</summary>
public sealed class DepartmentService(IGrainFactory grains)
{
    public Task<IReadOnlyList<DepartmentProfile>> GetDepartments() =>
        grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).GetDepartments();

    public Task<IReadOnlyList<LeaderAssignment>> GetLeadership() =>
        grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City).GetMembers();

    /// <summary>A department's users read their own inbox; the office, the leadership and admins read any.</summary>
    public async Task<(InboxAccess Access, DepartmentProfile? Department, IReadOnlyList<InboxItem> Items)> GetInbox(ClaimsPrincipal user, string departmentId)
    {
        if (string.IsNullOrWhiteSpace(departmentId) || departmentId.Length > 64) return (InboxAccess.NotFound, null, []);
        var department = grains.GetGrain<IDepartmentGrain>(departmentId);
        var profile = await department.GetProfile();
        if (profile is null) return (InboxAccess.NotFound, null, []);
        var actor = user.ToActor();
        var allowed = actor.Role is Role.Office or Role.Leadership or Role.Admin || actor.IsMemberOf(departmentId);
        return allowed ? (InboxAccess.Allowed, profile, await department.GetInbox()) : (InboxAccess.Forbidden, profile, []);
    }
}
