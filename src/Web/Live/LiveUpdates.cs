using System.Collections.Immutable;
using KeyProjects.Grains.Live;

namespace KeyProjects.Web.Live;

/// <summary>
/// The in-memory fan-out of one web host: the host's single feed subscription hands events here, and every open
/// page (Blazor circuit) and the hub forwarder receive them. Handlers must return quickly (they schedule work).
/// </summary>
public sealed class LiveUpdates(ILogger<LiveUpdates> logger)
{
    private ImmutableList<Action<IReadOnlyList<LiveEvent>>> _handlers = [];
    private ImmutableList<Action<IReadOnlyList<LiveEvent>>> _caches = [];

    public IDisposable Subscribe(Action<IReadOnlyList<LiveEvent>> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, h => h.Add(handler));
        return new Subscription(this, handler);
    }

    /// <summary>
    /// For a cache the pages read (the figures): told of every batch before any page is, so a page reloading on an
    /// event never reads what the event made stale. A cache's handler only marks itself stale: it must not block.
    /// </summary>
    public IDisposable SubscribeCache(Action<IReadOnlyList<LiveEvent>> handler)
    {
        ImmutableInterlocked.Update(ref _caches, h => h.Add(handler));
        return new Subscription(this, handler);
    }

    /// <summary>Every cache reads again (the feed lost events this host will never see: a gap, a new epoch).</summary>
    public void InvalidateCaches()
    {
        foreach (var cache in _caches) cache([]);
    }

    public void Publish(IReadOnlyList<LiveEvent> events)
    {
        foreach (var handler in _caches.Concat(_handlers))
        {
            try
            {
                handler(events);
            }
            catch (Exception e)
            {
                // One broken page must not stop the others; the failure is logged, not hidden.
                logger.LogError(e, "A live-update handler failed");
            }
        }
    }

    private sealed class Subscription(LiveUpdates owner, Action<IReadOnlyList<LiveEvent>> handler) : IDisposable
    {
        public void Dispose()
        {
            ImmutableInterlocked.Update(ref owner._handlers, h => h.Remove(handler));
            ImmutableInterlocked.Update(ref owner._caches, h => h.Remove(handler));
        }
    }
}
