using KeyProjects.Grains.Accounts;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Identity;

/// <summary>
/// Identity's user store over the account grains: Identity hashes passwords, counts failures and locks out;
/// this class only loads and saves its records, with optimistic concurrency on the concurrency stamp.
/// </summary>
public sealed class GrainUserStore(IGrainFactory grains) :
    IUserPasswordStore<KeyProjectsUser>,
    IUserSecurityStampStore<KeyProjectsUser>,
    IUserLockoutStore<KeyProjectsUser>
{
    private IAccountGrain Account(string normalizedUserName) => grains.GetGrain<IAccountGrain>(normalizedUserName);

    public async Task<IdentityResult> CreateAsync(KeyProjectsUser user, CancellationToken ct)
    {
        user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        var result = await Account(user.NormalizedUserName).Create(user.ToRecord());
        if (result == AccountWriteResult.Ok) user.LoadedConcurrencyStamp = user.ConcurrencyStamp;
        return ToIdentityResult(result);
    }

    public async Task<IdentityResult> UpdateAsync(KeyProjectsUser user, CancellationToken ct)
    {
        var expected = user.LoadedConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        var result = await Account(user.NormalizedUserName).Update(user.ToRecord(), expected);
        if (result == AccountWriteResult.Ok) user.LoadedConcurrencyStamp = user.ConcurrencyStamp;
        return ToIdentityResult(result);
    }

    public async Task<IdentityResult> DeleteAsync(KeyProjectsUser user, CancellationToken ct) =>
        ToIdentityResult(await Account(user.NormalizedUserName).Delete(user.LoadedConcurrencyStamp));

    public Task<KeyProjectsUser?> FindByIdAsync(string userId, CancellationToken ct) => FindByNameAsync(userId, ct);

    public async Task<KeyProjectsUser?> FindByNameAsync(string normalizedUserName, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(normalizedUserName) || normalizedUserName.Length > 100) return null;
        var record = await Account(normalizedUserName).Get();
        return record is null ? null : KeyProjectsUser.FromRecord(record);
    }

    public Task<string> GetUserIdAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult(user.Id);
    public Task<string?> GetUserNameAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult<string?>(user.UserName);
    public Task SetUserNameAsync(KeyProjectsUser user, string? userName, CancellationToken ct) { user.UserName = userName ?? ""; return Task.CompletedTask; }
    public Task<string?> GetNormalizedUserNameAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult<string?>(user.NormalizedUserName);
    public Task SetNormalizedUserNameAsync(KeyProjectsUser user, string? normalizedName, CancellationToken ct) { user.NormalizedUserName = normalizedName ?? ""; return Task.CompletedTask; }

    public Task SetPasswordHashAsync(KeyProjectsUser user, string? passwordHash, CancellationToken ct) { user.PasswordHash = passwordHash; return Task.CompletedTask; }
    public Task<string?> GetPasswordHashAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult(user.PasswordHash is not null);

    public Task SetSecurityStampAsync(KeyProjectsUser user, string stamp, CancellationToken ct) { user.SecurityStamp = stamp; return Task.CompletedTask; }
    public Task<string?> GetSecurityStampAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult(user.LockoutEnd);
    public Task SetLockoutEndDateAsync(KeyProjectsUser user, DateTimeOffset? lockoutEnd, CancellationToken ct) { user.LockoutEnd = lockoutEnd; return Task.CompletedTask; }
    public Task<int> IncrementAccessFailedCountAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult(++user.AccessFailedCount);
    public Task ResetAccessFailedCountAsync(KeyProjectsUser user, CancellationToken ct) { user.AccessFailedCount = 0; return Task.CompletedTask; }
    public Task<int> GetAccessFailedCountAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult(user.AccessFailedCount);
    public Task<bool> GetLockoutEnabledAsync(KeyProjectsUser user, CancellationToken ct) => Task.FromResult(user.LockoutEnabled);
    public Task SetLockoutEnabledAsync(KeyProjectsUser user, bool enabled, CancellationToken ct) { user.LockoutEnabled = enabled; return Task.CompletedTask; }

    public void Dispose() { }

    private static IdentityResult ToIdentityResult(AccountWriteResult result) => result switch
    {
        AccountWriteResult.Ok => IdentityResult.Success,
        AccountWriteResult.AlreadyExists => IdentityResult.Failed(new IdentityError { Code = "DuplicateUserName", Description = "The user name is taken." }),
        AccountWriteResult.ConcurrencyFailure => IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure()),
        _ => IdentityResult.Failed(new IdentityError { Code = "NotFound", Description = "No such account." }),
    };
}
