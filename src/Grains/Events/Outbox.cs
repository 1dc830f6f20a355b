using Microsoft.Extensions.Logging;

namespace KeyProjects.Grains.Events;

/// <summary>
/// The outbox of an aggregate grain: the events written in its state with the change, handed to the event log after
/// the write, on a retried command, on activation and on each deadline check, until the log has them. The log skips
/// what it already has, so handing on twice is harmless; the outbox is emptied in memory and written empty with the
/// next change. When handing on fails, a grain timer tries again (every 30 s, while the grain is active), so a change
/// nobody retries still reaches the log.
/// </summary>
public sealed class OutboxDelivery(Grain grain, IGrainFactory grains, Func<List<DomainEvent>> outbox, ILogger logger, string aggregate)
{
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(30);

    private IGrainTimer? _retry;

    /// <summary>Hands the events on; a failure propagates to the caller and leaves a retry running.</summary>
    public async Task HandOn()
    {
        try
        {
            await Send();
        }
        catch
        {
            RetryLater();
            throw;
        }
    }

    /// <summary>On activation: a failure is logged and retried by the timer.</summary>
    public async Task HandOnAtActivation()
    {
        try
        {
            await Send();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Aggregate}: {Count} events are not yet in the event log; retrying every {Interval}", aggregate, outbox().Count, RetryEvery);
            RetryLater();
        }
    }

    private async Task Send()
    {
        var pending = outbox();
        if (pending.Count == 0) return;
        var events = pending.ToList();
        await grains.GetGrain<IEventLogGrain>(IEventLogGrain.City).Append(events);
        pending.RemoveAll(e => e.Sequence <= events[^1].Sequence);
    }

    private void RetryLater() => _retry ??= grain.RegisterGrainTimer(async _ =>
    {
        try
        {
            await Send();
            _retry?.Dispose();
            _retry = null;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Aggregate}: {Count} events still not in the event log; trying again in {Interval}", aggregate, outbox().Count, RetryEvery);
        }
    }, RetryEvery, RetryEvery);
}
