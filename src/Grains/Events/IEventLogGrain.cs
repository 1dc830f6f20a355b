namespace KeyProjects.Grains.Events;

/// <summary>
/// The one appender of the city's event log: it gives every event its global position, so a reader that follows
/// positions never skips an event committed late. Appends that arrive while one is written go together in the next
/// write (group commit). After each write the new events go to the live feed.
/// </summary>
public interface IEventLogGrain : IGrainWithStringKey
{
    const string City = "city";

    /// <summary>Completes when every event given is in the log (appended now, or before).</summary>
    Task Append(IReadOnlyList<DomainEvent> events);
}
