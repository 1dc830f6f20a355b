using KeyProjects.Grains.Live;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace KeyProjects.Grains.Events;

/// <summary>
/// Reentrant: appends are queued while a write runs and written together after it (one write at a time). Should a
/// batch fail, each caller's events are tried on their own, so one bad event fails its own caller only.
/// </summary>
[Reentrant]
public sealed class EventLogGrain(IEventStore store, ILogger<EventLogGrain> logger) : Grain, IEventLogGrain
{
    private List<(IReadOnlyList<DomainEvent> Events, TaskCompletionSource Done)> _queued = [];
    private bool _writing;
    private Guid? _epoch;

    public Task Append(IReadOnlyList<DomainEvent> events)
    {
        if (events.Count == 0) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queued.Add((events, done));
        if (!_writing) _ = WriteQueued();
        return done.Task;
    }

    private async Task WriteQueued()
    {
        _writing = true;
        try
        {
            while (_queued.Count > 0)
            {
                var batch = _queued;
                _queued = [];
                try
                {
                    var appended = await store.Append(batch.SelectMany(c => c.Events).ToList());
                    foreach (var caller in batch) caller.Done.SetResult();
                    Publish(appended);
                }
                catch (Exception e) when (batch.Count > 1)
                {
                    logger.LogWarning(e, "A batch of {Count} appends failed; appending each on its own", batch.Count);
                    foreach (var caller in batch) await AppendAlone(caller.Events, caller.Done);
                }
                catch (Exception e)
                {
                    batch[0].Done.SetException(e); // the caller keeps its events in its outbox and hands them on again
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private async Task AppendAlone(IReadOnlyList<DomainEvent> events, TaskCompletionSource done)
    {
        try
        {
            var appended = await store.Append(events);
            done.SetResult();
            Publish(appended);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Events of {Stream} up to {Sequence} were refused by the event log", events[^1].Stream, events[^1].Sequence);
            done.SetException(e);
        }
    }

    /// <summary>
    /// Tells the live feed, without holding up the next append (the feed's calls are one at a time); a feed that
    /// misses a batch is caught up from the log by its readers, who see the jump in positions.
    /// </summary>
    private void Publish(IReadOnlyList<LoggedEvent> appended)
    {
        if (appended.Count == 0) return;
        _ = PublishAsync(appended);
    }

    private async Task PublishAsync(IReadOnlyList<LoggedEvent> appended)
    {
        try
        {
            _epoch ??= await store.Epoch();
            var live = appended.Select(e => LiveFeed.ToLive(_epoch.Value, e)).ToList();
            await GrainFactory.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City).Publish(live);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Events up to position {Position} are in the log but the live feed was not told", appended[^1].Position);
        }
    }
}
