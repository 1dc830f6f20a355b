using System.Threading.Channels;
using KeyProjects.Grains.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace KeyProjects.Web.Live;

/// <summary>
/// The war-room hub (<c>/hubs/warroom</c>). Server → client message <c>events</c>: a batch of
/// <see cref="LiveEvent"/> (epoch, sequence number, server timestamp, change), in feed order.
/// </summary>
[Authorize]
public sealed class WarRoomHub : Hub
{
    public const string Path = "/hubs/warroom";
    public const string EventsMethod = "events";
}

/// <summary>Forwards this host's live events to its hub connections, in order, off the feed's thread.</summary>
public sealed class WarRoomForwarder(LiveUpdates updates, IHubContext<WarRoomHub> hub, ILogger<WarRoomForwarder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = Channel.CreateUnbounded<IReadOnlyList<LiveEvent>>(new UnboundedChannelOptions { SingleReader = true });
        using var subscription = updates.Subscribe(events => queue.Writer.TryWrite(events));
        try
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await hub.Clients.All.SendAsync(WarRoomHub.EventsMethod, batch, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Could not forward {Count} live events to hub clients", batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
