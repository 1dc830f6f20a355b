using KeyProjects.Grains.Domain;
using Orleans.Runtime;

namespace KeyProjects.Grains.Notifications;

public sealed class MailboxState
{
    /// <summary>Per reader, the log position read up to (bounded by the mailbox's readers).</summary>
    public Dictionary<string, long> ReadUpTo { get; set; } = [];
}

public sealed class MailboxGrain([PersistentState("mailbox")] IPersistentState<MailboxState> state) : Grain, IMailboxGrain
{
    public Task<long> GetReadMark(string readerUserName) => Task.FromResult(state.State.ReadUpTo.GetValueOrDefault(readerUserName));

    public async Task MarkRead(string readerUserName, long upToPosition)
    {
        if (state.State.ReadUpTo.GetValueOrDefault(readerUserName) >= upToPosition) return;
        state.State.ReadUpTo[readerUserName] = upToPosition;
        await GrainState.Persist(this, state);
    }
}
