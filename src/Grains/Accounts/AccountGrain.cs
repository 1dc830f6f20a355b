using KeyProjects.Grains.Domain;
using Orleans.Runtime;

namespace KeyProjects.Grains.Accounts;

public sealed class AccountState
{
    public AccountRecord? Account { get; set; }
}

public sealed class AccountGrain(
    [PersistentState("account")] IPersistentState<AccountState> state) : Grain, IAccountGrain
{
    /// <summary>The city's account list, told of every change after it is written (the account is the record).</summary>
    private IAccountDirectoryGrain Directory => GrainFactory.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.City);

    public Task<AccountRecord?> Get() => Task.FromResult(state.State.Account);

    public async Task<AccountWriteResult> Create(AccountRecord account)
    {
        if (state.State.Account is not null) return AccountWriteResult.AlreadyExists;
        state.State.Account = account;
        await GrainState.Persist(this, state);
        await Directory.Track(AccountListing.Of(account));
        return AccountWriteResult.Ok;
    }

    public async Task<AccountWriteResult> Update(AccountRecord account, string expectedConcurrencyStamp)
    {
        if (state.State.Account is null) return AccountWriteResult.NotFound;
        if (state.State.Account.ConcurrencyStamp != expectedConcurrencyStamp) return AccountWriteResult.ConcurrencyFailure;
        state.State.Account = account;
        await GrainState.Persist(this, state);
        await Directory.Track(AccountListing.Of(account));
        return AccountWriteResult.Ok;
    }

    public async Task<AccountWriteResult> Delete(string expectedConcurrencyStamp)
    {
        if (state.State.Account is null) return AccountWriteResult.NotFound;
        if (state.State.Account.ConcurrencyStamp != expectedConcurrencyStamp) return AccountWriteResult.ConcurrencyFailure;
        var userName = state.State.Account.UserName;
        state.State.Account = null;
        await GrainState.Persist(this, state);
        await Directory.Forget(userName);
        return AccountWriteResult.Ok;
    }
}
