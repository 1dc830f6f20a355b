namespace KeyProjects.Grains.Domain;

/// <summary>The signed-in user on whose behalf a command runs. Grains judge every command by it.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor(string UserName, string DisplayName, Role Role, string? DepartmentId)
{
    /// <summary>The command centre itself (deadline warnings, breaches, escalations).</summary>
    public static readonly Actor System = new("system", "系统", Role.Admin, null);

    public bool IsMemberOf(string departmentId) =>
        Role == Role.Department && string.Equals(DepartmentId, departmentId, StringComparison.Ordinal);
}
