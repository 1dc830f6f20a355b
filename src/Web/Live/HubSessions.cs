using System.Collections.Concurrent;
using KeyProjects.Web.Identity;
using Microsoft.AspNetCore.SignalR;

namespace KeyProjects.Web.Live;

/// <summary>
/// The open war-room hub connections of this host, checked again every revalidation interval like live pages: a
/// connection whose kiosk token was revoked, or whose account was disabled or re-keyed, is closed (within the
/// interval, 60 s by default), not left streaming until the client goes away.
/// </summary>
public sealed class HubSessions(SessionCheck sessions, ILogger<HubSessions> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _open = new();

    public void Opened(HubCallerContext context) => _open[context.ConnectionId] = context;

    public void Closed(HubCallerContext context) => _open.TryRemove(context.ConnectionId, out _);

    public int Count => _open.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(sessions.RevalidationInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (id, context) in _open)
            {
                try
                {
                    if (context.User is { } user && await sessions.MayContinue(user)) continue;
                    logger.LogInformation("Closing hub connection {ConnectionId} of {User}: its session has ended", id, context.User?.Identity?.Name);
                    _open.TryRemove(id, out _);
                    context.Abort();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The check itself failed (the cluster is restarting, say): the connection stays and is checked next time.
                    logger.LogWarning(e, "Could not check hub connection {ConnectionId}; checking again in {Interval}", id, sessions.RevalidationInterval);
                }
            }
        }
    }
}
