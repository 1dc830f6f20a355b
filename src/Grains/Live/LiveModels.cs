using KeyProjects.Grains.Events;

namespace KeyProjects.Grains.Live;

/// <summary>
/// A change shown live (kind such as "problem.claimed"), and whom it concerns: the project, the lead department,
/// every department involved, the responsible leader, the mailboxes it notified.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveChange(
    string Kind,
    string SubjectId,
    string? ProjectCode,
    string? DepartmentId,
    string Title,
    string ActorName,
    DateTimeOffset At,
    IReadOnlyList<string>? Departments = null,
    string? LeaderId = null,
    IReadOnlyList<string>? Mailboxes = null)
{
    /// <summary>Whether the change concerns this department (lead, assisting or former lead).</summary>
    public bool Concerns(string departmentId) =>
        DepartmentId == departmentId || (Departments?.Contains(departmentId) ?? false);
}

/// <summary>
/// A change as the event log numbered it: the sequence number is the event's position in the log, gapless and kept
/// for good, so a reader resumes from it after any restart. The epoch names the log (a new database, a new epoch).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveEvent(Guid Epoch, long Sequence, DateTimeOffset PublishedAt, LiveChange Change);

/// <summary>
/// What a reader missed: the events after the sequence number it asked for, in order, up to <paramref name="Head"/>
/// (the log's latest position). When not <paramref name="Complete"/> the reader asked for another epoch or fell
/// further behind than one catch-up carries, and must take a fresh snapshot.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveCatchUp(Guid Epoch, long Head, IReadOnlyList<LiveEvent> Events, bool Complete);

/// <summary>One per web host: receives every event and fans it out in memory to that host's pages and hubs.</summary>
public interface ILiveFeedObserver : IGrainObserver
{
    Task OnEvents(IReadOnlyList<LiveEvent> events);
}

public static class LiveFeed
{
    /// <summary>The live form of a logged event.</summary>
    public static LiveEvent ToLive(Guid epoch, LoggedEvent logged)
    {
        var e = logged.Event;
        var c = e.Concerns;
        return new LiveEvent(epoch, logged.Position, e.At, new LiveChange(
            e.Kind, c.Subject, c.ProjectCode, c.DepartmentId, c.Title, e.ActorName, e.At, c.Departments, c.LeaderId, c.Mailboxes));
    }
}
