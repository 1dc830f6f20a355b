using System.Threading.Channels;
using KeyProjects.Grains.Live;
using KeyProjects.Web.WarRoom;
using Microsoft.AspNetCore.SignalR;

namespace KeyProjects.Web.Live;

/// <summary>
/// Coalesces live events for sending: what is waiting goes out at once as one batch, then nothing more is sent until
/// the window has passed, so under load there is at most one message per window; order is kept and nothing dropped.
/// </summary>
public sealed class CoalescingSender(TimeSpan window, TimeProvider clock, Func<IReadOnlyList<LiveEvent>, CancellationToken, Task> send)
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromMilliseconds(50);

    private readonly Channel<IReadOnlyList<LiveEvent>> _queue =
        Channel.CreateUnbounded<IReadOnlyList<LiveEvent>>(new UnboundedChannelOptions { SingleReader = true });

    public TimeSpan Window { get; } = window > MaxWindow || window < TimeSpan.Zero
        ? throw new ArgumentOutOfRangeException(nameof(window), $"The window is at most {MaxWindow.TotalMilliseconds} ms.")
        : window;

    public void Post(IReadOnlyList<LiveEvent> events) => _queue.Writer.TryWrite(events);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            var batch = new List<LiveEvent>();
            while (reader.TryRead(out var events)) batch.AddRange(events);
            var sentAt = clock.GetTimestamp();
            await send(batch, stoppingToken);
            var rest = Window - clock.GetElapsedTime(sentAt);
            if (rest > TimeSpan.Zero) await Task.Delay(rest, clock, stoppingToken);
        }
    }
}

/// <summary>
/// Forwards this host's live events (from its one feed subscription) to all of its hub connections, coalesced in
/// windows of <c>KeyProjects:WarRoom:CoalesceMilliseconds</c> (default 50, at most 50).
/// </summary>
public sealed class WarRoomForwarder(LiveUpdates updates, IHubContext<WarRoomHub> hub, IConfiguration configuration,
    TimeProvider clock, ILogger<WarRoomForwarder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var window = TimeSpan.FromMilliseconds(configuration.GetValue("KeyProjects:WarRoom:CoalesceMilliseconds", 50));
        var sender = new CoalescingSender(window, clock, Send);
        using var subscription = updates.Subscribe(events => sender.Post(WarRoomService.ForTheWarRoom(events)));
        try
        {
            await sender.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task Send(IReadOnlyList<LiveEvent> batch, CancellationToken stoppingToken)
    {
        try
        {
            await hub.Clients.All.SendAsync(WarRoomHub.EventsMethod, batch, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Clients that miss a batch see the jump in sequence numbers and resume; the failure is logged.
            logger.LogError(e, "Could not forward {Count} live events to hub clients", batch.Count);
        }
    }
}
