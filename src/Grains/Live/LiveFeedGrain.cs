using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace KeyProjects.Grains.Live;

public sealed class LiveFeedGrain : Grain, ILiveFeedGrain
{
    public const int Retained = 1000;
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<ILiveFeedObserver> _observers;
    private readonly LinkedList<LiveEvent> _recent = new();
    private readonly TimeProvider _clock;
    private readonly Guid _epoch = Guid.NewGuid();
    private long _sequence;

    public LiveFeedGrain(ILogger<LiveFeedGrain> logger, TimeProvider clock)
    {
        _clock = clock;
        _observers = new ObserverManager<ILiveFeedObserver>(SubscriptionLifetime, logger);
    }

    public Task Publish(LiveChange change)
    {
        var evt = new LiveEvent(_epoch, ++_sequence, _clock.GetUtcNow(), change);
        _recent.AddLast(evt);
        if (_recent.Count > Retained) _recent.RemoveFirst();
        IReadOnlyList<LiveEvent> batch = [evt];
        _observers.Notify(o => o.OnEvents(batch));
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

    public Task<LiveCatchUp> GetSince(Guid epoch, long sequence)
    {
        var oldestRetained = _sequence - _recent.Count + 1;
        var complete = epoch == _epoch && sequence >= oldestRetained - 1 && sequence <= _sequence;
        IReadOnlyList<LiveEvent> events = complete ? _recent.Where(e => e.Sequence > sequence).ToList() : [];
        return Task.FromResult(new LiveCatchUp(_epoch, _sequence, events, complete));
    }
}
