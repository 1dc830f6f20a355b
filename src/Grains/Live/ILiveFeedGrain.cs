namespace KeyProjects.Grains.Live;

/// <summary>
/// The city's live feed: the event log's appender hands it each batch of new events and it notifies the subscribed
/// web hosts; readers that missed something catch up from the log. Subscriptions expire unless renewed, so a host
/// that died is dropped on its own.
/// </summary>
public interface ILiveFeedGrain : IGrainWithStringKey
{
    const string City = "city";

    Task Publish(IReadOnlyList<LiveEvent> events);
    Task Subscribe(ILiveFeedObserver observer);
    Task Unsubscribe(ILiveFeedObserver observer);

    /// <summary>
    /// The events after <paramref name="sequence"/> (a log position) of <paramref name="epoch"/>, read from the log.
    /// Not complete when the epoch is another one or more than <see cref="LiveFeedGrain.CatchUpLimit"/> were missed:
    /// the reader then needs a fresh snapshot.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave] // reads of the log; publishing never waits behind them
    Task<LiveCatchUp> GetSince(Guid epoch, long sequence);
}
