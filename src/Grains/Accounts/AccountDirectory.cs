using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Accounts;

/// <summary>One user in the city's account list (no secrets): what the administrators' user page shows.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountListing(string UserName, string DisplayName, Role Role, string? DepartmentId, bool Disabled, IReadOnlyList<string>? Projects = null)
{
    /// <summary>A disabled account is locked out for good (Identity refuses its sign-in).</summary>
    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd is { } end && end.Year >= 9999;

    public static AccountListing Of(AccountRecord a) => new(a.UserName, a.DisplayName, a.Role, a.DepartmentId, IsDisabled(a.LockoutEnd), a.Projects);
}

/// <summary>
/// The city's account list, kept by the account grains as they change. Bounded by the city's staff (hundreds of
/// officials, not its history); the accounts themselves stay one grain each.
/// </summary>
public interface IAccountDirectoryGrain : IGrainWithStringKey
{
    const string City = "city";

    Task Track(AccountListing account);

    /// <summary>
    /// An administrator's change of an account (created, disabled, enabled, password set, projects set), as an event in
    /// the log (stream accounts-city) with who and when; no secret is in it. Told by the web host after the change.
    /// </summary>
    Task Record(Actor actor, AccountChanged change);
    Task Forget(string userName);
    Task<IReadOnlyList<AccountListing>> List();
}

/// <summary>An administrator's change of an account: what was done ("created", "disabled", …), to whom, the account as it is now, a note.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountChanged(string Action, string UserName, AccountListing? Account, string Note);

public sealed class AccountDirectoryState
{
    public Dictionary<string, AccountListing> Accounts { get; set; } = [];
    public int Version { get; set; }
    public List<DomainEvent> Outbox { get; set; } = [];
}

public sealed class AccountDirectoryGrain(
    [PersistentState("account-directory")] IPersistentState<AccountDirectoryState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<AccountDirectoryGrain> logger) : Grain, IAccountDirectoryGrain
{
    public async Task Record(Actor actor, AccountChanged change)
    {
        state.State.Version++;
        state.State.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Accounts, IAccountDirectoryGrain.City), state.State.Version, "account." + change.Action, actor.UserName, actor.DisplayName,
            clock.GetUtcNow(), new EventConcerns(IAccountDirectoryGrain.City, null, change.Account?.DepartmentId, [], null, change.UserName, []),
            EventJson.Write(change)));
        await GrainState.Persist(this, state);
        await Delivery.HandOn();
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => state.State.Outbox, logger, "Account directory");

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Delivery.HandOnAtActivation();

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
