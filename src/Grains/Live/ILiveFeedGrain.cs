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

    /// <summary>
    /// The retained events after <paramref name="sequence"/> of <paramref name="epoch"/>. Not complete when the epoch
    /// is another one (the feed restarted) or the events asked for are no longer retained: the reader then needs a
    /// fresh snapshot.
    /// </summary>
    Task<LiveCatchUp> GetSince(Guid epoch, long sequence);
}
