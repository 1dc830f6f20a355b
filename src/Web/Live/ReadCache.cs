using System.Collections.Concurrent;

namespace KeyProjects.Web.Live;

/// <summary>
/// A read served from memory between the changes that move it: every event batch reaching this host (each host
/// receives every event) with a kind <paramref name="moves"/> accepts makes the next read of every key go to the
/// database again; reads in between share one answer. Caches are told of events before pages are
/// (<see cref="LiveUpdates.SubscribeCache"/>), so a page reloading on an event never reads what it made stale.
/// An answer is also read again after <paramref name="maxAge"/> (what no event announces: a renamed unit, the date).
/// </summary>
public sealed class ReadCache<TKey, TValue> : IDisposable where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (long Version, DateTimeOffset At, Task<TValue> Value)> _answers = new();
    private readonly IDisposable _subscription;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _clock;
    private readonly int _maxEntries;
    private long _version;

    public ReadCache(LiveUpdates live, Func<string, bool> moves, TimeSpan maxAge, TimeProvider clock, int maxEntries = 256)
    {
        (_maxAge, _clock, _maxEntries) = (maxAge, clock, maxEntries);
        _subscription = live.SubscribeCache(events =>
        {
            // An empty batch is LiveUpdates.InvalidateCaches: events were lost, anything may have moved.
            if (events.Count == 0 || events.Any(e => moves(e.Change.Kind))) Interlocked.Increment(ref _version);
        });
    }

    public Task<TValue> Get(TKey key, Func<Task<TValue>> read)
    {
        var version = Interlocked.Read(ref _version);
        var now = _clock.GetUtcNow();
        if (_answers.TryGetValue(key, out var cached) && cached.Version == version && now - cached.At < _maxAge && !cached.Value.IsFaulted && !cached.Value.IsCanceled)
            return cached.Value;
        if (_answers.Count >= _maxEntries) _answers.Clear(); // many distinct filters: start again rather than grow
        var value = read();
        _answers[key] = (version, now, value);
        return value;
    }

    public void Dispose() => _subscription.Dispose();
}
