namespace KeyProjects.Grains.Live;

/// <summary>A change a grain made durable, to be shown live (kind such as "problem.claimed").</summary>
[GenerateSerializer, Immutable]
public sealed record LiveChange(
    string Kind,
    string SubjectId,
    string? ProjectCode,
    string? DepartmentId,
    string Title,
    string ActorName,
    DateTimeOffset At);

/// <summary>A change as the feed numbered it. Sequence numbers are gapless within one feed epoch.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveEvent(Guid Epoch, long Sequence, DateTimeOffset PublishedAt, LiveChange Change);

/// <summary>
/// What a reader missed: the events after the sequence number it asked for, in order, up to <paramref name="Head"/>
/// (the feed's latest number). When not <paramref name="Complete"/> the events are gone (another epoch, or older than
/// the feed retains) and the reader must take a fresh snapshot.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveCatchUp(Guid Epoch, long Head, IReadOnlyList<LiveEvent> Events, bool Complete);

/// <summary>One per web host: receives every event and fans it out in memory to that host's pages and hubs.</summary>
public interface ILiveFeedObserver : IGrainObserver
{
    Task OnEvents(IReadOnlyList<LiveEvent> events);
}
