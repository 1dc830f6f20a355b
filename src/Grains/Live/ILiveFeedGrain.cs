namespace KeyProjects.Grains.Live;

/// <summary>
/// The city's live feed: numbers every published change, keeps the latest ones for catch-up, and notifies the
/// subscribed web hosts. Subscriptions expire unless renewed, so a host that died is dropped on its own.
/// </summary>
public interface ILiveFeedGrain : IGrainWithStringKey
{
    const string City = "city";

    Task Publish(LiveChange change);
    Task Subscribe(ILiveFeedObserver observer);
    Task Unsubscribe(ILiveFeedObserver observer);

    /// <summary>The retained events after the given sequence number of the given epoch (all retained ones if the epoch differs).</summary>
    Task<IReadOnlyList<LiveEvent>> GetSince(Guid epoch, long sequence);
}
