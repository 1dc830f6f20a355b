using Microsoft.Extensions.Logging;

namespace KeyProjects.Grains.Events;

/// <summary>
/// The outbox of an aggregate grain: the events written in its state with the change, handed to the event log after
/// the write, on a retried command and on activation, until the log has them. The log skips what it already has, so
/// handing on twice is harmless; the outbox is emptied in memory and written empty with the next change.
/// </summary>
public static class Outbox
{
    public static async Task HandOn(IGrainFactory grains, List<DomainEvent> outbox)
    {
        if (outbox.Count == 0) return;
        var events = outbox.ToList();
        await grains.GetGrain<IEventLogGrain>(IEventLogGrain.City).Append(events);
        outbox.RemoveAll(e => e.Sequence <= events[^1].Sequence);
    }

    /// <summary>On activation: a failure is logged and the events stay for the next command or activation.</summary>
    public static async Task HandOnAtActivation(IGrainFactory grains, List<DomainEvent> outbox, ILogger logger, string aggregate)
    {
        try
        {
            await HandOn(grains, outbox);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Aggregate}: {Count} events are not yet in the event log; the next command or activation hands them on", aggregate, outbox.Count);
        }
    }
}
