using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Live;
using Orleans.Runtime;

namespace KeyProjects.Grains.Notifications;

public sealed class MailboxState
{
    public long LastSequence { get; set; }
    public List<MailboxEntry> Entries { get; set; } = [];
    public Dictionary<string, long> ReadUpTo { get; set; } = [];
}

public sealed class MailboxGrain(
    [PersistentState("mailbox")] IPersistentState<MailboxState> state,
    IOutboundChannel outbound) : Grain, IMailboxGrain
{
    public const int Retained = 300;
    private MailboxState S => state.State;

    public async Task Post(Notification notification)
    {
        if (S.Entries.Exists(e => e.Notification.Id == notification.Id)) return;
        var mailbox = this.GetPrimaryKeyString();
        S.Entries.Add(new MailboxEntry(mailbox, ++S.LastSequence, notification));
        if (S.Entries.Count > Retained) S.Entries.RemoveAt(0);
        await GrainState.Persist(this, state);

        await outbound.Send(new OutboundMessage(mailbox, notification.Id, notification.Title, notification.Text, notification.At));
        await GrainFactory.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City).Publish(new LiveChange(
            "notification.posted", mailbox, null, null, notification.Title, "", notification.At));
    }

    public Task<MailboxPage> Read(string readerUserName, int take)
    {
        var readUpTo = S.ReadUpTo.GetValueOrDefault(readerUserName);
        var unread = S.Entries.Count(e => e.Sequence > readUpTo);
        var newest = S.Entries.AsEnumerable().Reverse().Take(Math.Clamp(take, 0, Retained)).ToList();
        return Task.FromResult(new MailboxPage(newest, unread, S.LastSequence));
    }

    public async Task MarkRead(string readerUserName, long upToSequence)
    {
        var mark = Math.Min(upToSequence, S.LastSequence);
        if (S.ReadUpTo.GetValueOrDefault(readerUserName) >= mark) return;
        S.ReadUpTo[readerUserName] = mark;
        await GrainState.Persist(this, state);
    }
}

public sealed class OutboxState
{
    public List<OutboundMessage> Messages { get; set; } = [];
}

public sealed class OutboxGrain([PersistentState("outbox")] IPersistentState<OutboxState> state) : Grain, IOutboxGrain
{
    public const int Retained = 2000;

    public async Task Record(OutboundMessage message)
    {
        if (state.State.Messages.Exists(m => m.MailboxId == message.MailboxId && m.NotificationId == message.NotificationId)) return;
        state.State.Messages.Add(message);
        if (state.State.Messages.Count > Retained) state.State.Messages.RemoveAt(0);
        await GrainState.Persist(this, state);
    }

    public Task<IReadOnlyList<OutboundMessage>> GetRecent(int take) =>
        Task.FromResult<IReadOnlyList<OutboundMessage>>(state.State.Messages.AsEnumerable().Reverse().Take(Math.Clamp(take, 0, Retained)).ToList());
}

/// <summary>The shipped outbound channel: sends nothing, records what it would send in the city's outbox.</summary>
public sealed class RecordingOutboundChannel(IGrainFactory grains) : IOutboundChannel
{
    public Task Send(OutboundMessage message) => grains.GetGrain<IOutboxGrain>(IOutboxGrain.City).Record(message);
}
