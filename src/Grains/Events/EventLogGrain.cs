using KeyProjects.Grains.Live;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace KeyProjects.Grains.Events;

/// <summary>Reentrant: appends are queued while a write runs and written together after it (one write at a time).</summary>
[Reentrant]
public sealed class EventLogGrain(IEventStore store, ILogger<EventLogGrain> logger) : Grain, IEventLogGrain
{
    private List<DomainEvent> _queued = [];
    private TaskCompletionSource? _queuedDone;
    private bool _writing;
    private Guid? _epoch;

    public Task Append(IReadOnlyList<DomainEvent> events)
    {
        if (events.Count == 0) return Task.CompletedTask;
        _queued.AddRange(events);
        var done = _queuedDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writing) _ = WriteQueued();
        return done.Task;
    }

    private async Task WriteQueued()
    {
        _writing = true;
        try
        {
            while (_queuedDone is { } done)
            {
                var batch = _queued;
                (_queued, _queuedDone) = ([], null);
                IReadOnlyList<LoggedEvent> appended;
                try
                {
                    appended = await store.Append(batch);
                }
                catch (Exception e)
                {
                    done.SetException(e); // the callers keep their events in their outbox and hand them on again
                    continue;
                }
                done.SetResult();
                if (appended.Count > 0) await Publish(appended);
            }
        }
        finally
        {
            _writing = false;
        }
    }

    /// <summary>Tells the live feed; a feed that misses it is caught up from the log by its readers.</summary>
    private async Task Publish(IReadOnlyList<LoggedEvent> appended)
    {
        try
        {
            _epoch ??= await store.Epoch();
            var live = appended.Select(e => LiveFeed.ToLive(_epoch.Value, e)).ToList();
            await GrainFactory.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City).Publish(live);
        }
        catch (Exception e)
        {
            // The events are in the log: subscribers see the jump in positions and read what they missed from it.
            logger.LogWarning(e, "Events up to position {Position} are in the log but the live feed was not told", appended[^1].Position);
        }
    }
}
