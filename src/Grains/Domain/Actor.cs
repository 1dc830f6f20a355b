namespace KeyProjects.Grains.Domain;

/// <summary>The signed-in user on whose behalf a command runs. Grains judge every command by it.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor(string UserName, string DisplayName, Role Role, string? DepartmentId)
{
    public bool IsMemberOf(string departmentId) =>
        Role == Role.Department && string.Equals(DepartmentId, departmentId, StringComparison.Ordinal);
}
