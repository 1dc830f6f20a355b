namespace KeyProjects.Grains.Events;

/// <summary>
/// The event log's table (in the grains' database), as the log grain and the live feed use it. Appending numbers the
/// new events, chains their hashes and applies the read model in one transaction; events already in the log (the same
/// stream and sequence) are skipped, so handing an event on twice appends it once.
/// </summary>
public interface IEventStore
{
    /// <summary>Appends what is not in the log yet; returns those events with their positions, in order.</summary>
    Task<IReadOnlyList<LoggedEvent>> Append(IReadOnlyList<DomainEvent> events);

    /// <summary>The log's identity: positions are numbers of this epoch.</summary>
    Task<Guid> Epoch();

    /// <summary>The latest position (0 when the log is empty).</summary>
    Task<long> Head();

    /// <summary>Up to <paramref name="max"/> events after <paramref name="position"/>, in order.</summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAfter(long position, int max);
}
