using KeyProjects.Grains.Events;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace KeyProjects.Grains.Live;

public sealed class LiveFeedGrain : Grain, ILiveFeedGrain
{
    /// <summary>The most events one catch-up carries; a reader further behind takes a snapshot.</summary>
    public const int CatchUpLimit = 2000;
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<ILiveFeedObserver> _observers;
    private readonly IEventStore _log;
    private Guid? _epoch;

    public LiveFeedGrain(ILogger<LiveFeedGrain> logger, IEventStore log)
    {
        _log = log;
        _observers = new ObserverManager<ILiveFeedObserver>(SubscriptionLifetime, logger);
    }

    public Task Publish(IReadOnlyList<LiveEvent> events)
    {
        if (events.Count > 0) _observers.Notify(o => o.OnEvents(events));
        return Task.CompletedTask;
    }

    public Task Subscribe(ILiveFeedObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(ILiveFeedObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task<LiveCatchUp> GetSince(Guid epoch, long sequence)
    {
        var ours = _epoch ??= await _log.Epoch();
        var head = await _log.Head();
        if (epoch != ours || sequence < 0 || sequence > head) return new LiveCatchUp(ours, head, [], false);
        if (head - sequence > CatchUpLimit) return new LiveCatchUp(ours, head, [], false);
        var events = await _log.ReadAfter(sequence, CatchUpLimit);
        var live = events.Select(e => LiveFeed.ToLive(ours, e)).ToList();
        return new LiveCatchUp(ours, live.Count > 0 ? Math.Max(head, live[^1].Sequence) : head, live, true);
    }
}
