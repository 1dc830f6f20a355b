using KeyProjects.Grains.Domain;
using Orleans.Runtime;

namespace KeyProjects.Grains.Accounts;

/// <summary>One user in the city's account list (no secrets): what the administrators' user page shows.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountListing(string UserName, string DisplayName, Role Role, string? DepartmentId, bool Disabled)
{
    /// <summary>A disabled account is locked out for good (Identity refuses its sign-in).</summary>
    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd is { } end && end.Year >= 9999;

    public static AccountListing Of(AccountRecord a) => new(a.UserName, a.DisplayName, a.Role, a.DepartmentId, IsDisabled(a.LockoutEnd));
}

/// <summary>
/// The city's account list, kept by the account grains as they change. Bounded by the city's staff (hundreds of
/// officials, not its history); the accounts themselves stay one grain each.
/// </summary>
public interface IAccountDirectoryGrain : IGrainWithStringKey
{
    const string City = "city";

    Task Track(AccountListing account);
    Task Forget(string userName);
    Task<IReadOnlyList<AccountListing>> List();
}

public sealed class AccountDirectoryState
{
    public Dictionary<string, AccountListing> Accounts { get; set; } = [];
}

public sealed class AccountDirectoryGrain(
    [PersistentState("account-directory")] IPersistentState<AccountDirectoryState> state) : Grain, IAccountDirectoryGrain
{
    public async Task Track(AccountListing account)
    {
        if (state.State.Accounts.TryGetValue(account.UserName, out var known) && known == account) return;
        state.State.Accounts[account.UserName] = account;
        await GrainState.Persist(this, state);
    }

    public async Task Forget(string userName)
    {
        if (state.State.Accounts.Remove(userName)) await GrainState.Persist(this, state);
    }

    public Task<IReadOnlyList<AccountListing>> List() => Task.FromResult<IReadOnlyList<AccountListing>>(
        state.State.Accounts.Values.OrderBy(a => a.Role).ThenBy(a => a.DepartmentId).ThenBy(a => a.UserName, StringComparer.Ordinal).ToList());
}
