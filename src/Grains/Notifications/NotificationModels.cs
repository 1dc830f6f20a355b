namespace KeyProjects.Grains.Notifications;

/// <summary>
/// A message in the in-app bell. Its id is deterministic (the event that caused it), so posting it twice keeps one.
/// Link is an app path such as /problems/{id}.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Notification(string Id, string Kind, string Title, string Text, string? Link, DateTimeOffset At);

/// <summary>A notification in a mailbox, numbered by the log position of the event that caused it.</summary>
[GenerateSerializer, Immutable]
public sealed record MailboxEntry(string MailboxId, long Sequence, Notification Notification);

/// <summary>
/// Mailbox ids: one per user, per department, the command office and the leadership group. A user reads their own
/// mailbox and the mailboxes of the department and role they belong to.
/// </summary>
public static class Mailboxes
{
    public const string Office = "office";
    public const string Leadership = "leadership";

    public static string ForUser(string userName) => "user:" + userName;
    public static string ForDepartment(string departmentId) => "department:" + departmentId;
}

/// <summary>A message the outbound channel (SMS, government messaging) would send: to which mailbox, what.</summary>
[GenerateSerializer, Immutable]
public sealed record OutboundMessage(string MailboxId, string NotificationId, string Title, string Text, DateTimeOffset At);
