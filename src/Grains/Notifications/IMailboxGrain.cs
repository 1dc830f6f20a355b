namespace KeyProjects.Grains.Notifications;

/// <summary>One recipient's in-app notifications (bell), keyed by a mailbox id (see <see cref="Mailboxes"/>).</summary>
public interface IMailboxGrain : IGrainWithStringKey
{
    /// <summary>Adds a notification unless one with its id is already here; hands it to the outbound channel once.</summary>
    Task Post(Notification notification);

    /// <summary>The newest entries and the reader's unread count (each reader keeps their own read mark).</summary>
    Task<MailboxPage> Read(string readerUserName, int take);

    /// <summary>Marks everything up to the sequence as read for this reader.</summary>
    Task MarkRead(string readerUserName, long upToSequence);
}

/// <summary>The record of outbound messages the recording channel kept (what would have been sent), newest last.</summary>
public interface IOutboxGrain : IGrainWithStringKey
{
    const string City = "city";

    Task Record(OutboundMessage message);
    Task<IReadOnlyList<OutboundMessage>> GetRecent(int take);
}
