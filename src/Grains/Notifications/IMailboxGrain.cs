namespace KeyProjects.Grains.Notifications;

/// <summary>
/// One recipient's bell (see <see cref="Mailboxes"/>): how far each reader has read it. The notifications themselves
/// are read-model rows numbered by the log position of the event that caused them.
/// </summary>
public interface IMailboxGrain : IGrainWithStringKey
{
    /// <summary>The log position up to which this reader has read the mailbox (0: nothing read).</summary>
    Task<long> GetReadMark(string readerUserName);

    /// <summary>Marks everything up to the position as read for this reader (a mark never goes back).</summary>
    Task MarkRead(string readerUserName, long upToPosition);
}
