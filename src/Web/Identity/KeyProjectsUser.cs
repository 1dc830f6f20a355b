using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Domain;

namespace KeyProjects.Web.Identity;

/// <summary>The ASP.NET Core Identity user, mapped to and from the account grain's record.</summary>
public sealed class KeyProjectsUser
{
    /// <summary>The longest name shown for a user (in headers, histories, minutes).</summary>
    public const int DisplayNameMaxLength = 64;

    public string UserName { get; set; } = "";
    public string NormalizedUserName { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public Role Role { get; set; }
    public string? DepartmentId { get; set; }
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
    public DateTimeOffset? LockoutEnd { get; set; }
    public int AccessFailedCount { get; set; }
    public bool LockoutEnabled { get; set; } = true;
    /// <summary>A project reporter's projects (<see cref="AccountRecord.Projects"/>).</summary>
    public IReadOnlyList<string> Projects { get; set; } = [];

    /// <summary>The stamp the record had when it was read, checked on update.</summary>
    internal string LoadedConcurrencyStamp { get; set; } = "";

    /// <summary>Identity's user id is the normalized user name, which is also the account grain's key.</summary>
    public string Id => NormalizedUserName;

    public AccountRecord ToRecord() => new(UserName, NormalizedUserName, DisplayName, Role, DepartmentId, PasswordHash,
        SecurityStamp, ConcurrencyStamp, LockoutEnd, AccessFailedCount, LockoutEnabled, Projects.Count == 0 ? null : Projects);

    public static KeyProjectsUser FromRecord(AccountRecord r) => new()
    {
        UserName = r.UserName,
        NormalizedUserName = r.NormalizedUserName,
        DisplayName = r.DisplayName,
        Role = r.Role,
        DepartmentId = r.DepartmentId,
        PasswordHash = r.PasswordHash,
        SecurityStamp = r.SecurityStamp,
        ConcurrencyStamp = r.ConcurrencyStamp,
        LoadedConcurrencyStamp = r.ConcurrencyStamp,
        LockoutEnd = r.LockoutEnd,
        AccessFailedCount = r.AccessFailedCount,
        LockoutEnabled = r.LockoutEnabled,
        Projects = r.Projects ?? [],
    };
}
