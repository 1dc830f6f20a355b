using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Accounts;

/// <summary>
/// A user account as ASP.NET Core Identity stores it (the hash, never the password). Identity does the hashing,
/// lockout and token work; this grain is only its durable store, keyed by the normalized user name.
/// <see cref="Projects"/>: the projects a project reporter (项目业主 / 镇街) answers for — what it reads and reports on.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccountRecord(
    string UserName,
    string NormalizedUserName,
    string DisplayName,
    Role Role,
    string? DepartmentId,
    string? PasswordHash,
    string SecurityStamp,
    string ConcurrencyStamp,
    DateTimeOffset? LockoutEnd,
    int AccessFailedCount,
    bool LockoutEnabled,
    IReadOnlyList<string>? Projects = null)
{
    /// <summary>The most projects one reporter's account answers for (a city-owned group's list, a town's).</summary>
    public const int MaxProjects = 200;
}

public enum AccountWriteResult
{
    Ok,
    AlreadyExists,
    NotFound,
    ConcurrencyFailure,
}

public interface IAccountGrain : IGrainWithStringKey
{
    Task<AccountRecord?> Get();
    Task<AccountWriteResult> Create(AccountRecord account);

    /// <summary>Replaces the record if <paramref name="expectedConcurrencyStamp"/> matches the stored one.</summary>
    Task<AccountWriteResult> Update(AccountRecord account, string expectedConcurrencyStamp);
    Task<AccountWriteResult> Delete(string expectedConcurrencyStamp);
}
