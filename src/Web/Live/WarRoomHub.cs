using KeyProjects.Web.Identity;
using KeyProjects.Web.WarRoom;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace KeyProjects.Web.Live;

/// <summary>
/// The war-room hub (<c>/hubs/warroom</c>); its event contract is in <c>docs/warroom-hub.md</c>.
/// Server → client <c>events</c>: a batch of <see cref="Grains.Live.LiveEvent"/> (epoch, gapless sequence number,
/// server timestamp, change) in feed order. Client → server (read-only): <c>Resume(epoch, lastSequence)</c> returns
/// what the client missed or a fresh snapshot, and <c>GetSnapshot()</c>. The war room's readers (<see cref="ReadPolicies.WarRoom"/>)
/// and kiosk tokens connect; a connection whose session ends is closed (<see cref="HubSessions"/>).
/// </summary>
[Authorize(Policy = ReadPolicies.WarRoom)]
public sealed class WarRoomHub(WarRoomService warRoom, CurrentWarRoom current, HubSessions sessions) : Hub
{
    public override Task OnConnectedAsync()
    {
        sessions.Opened(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Closed(Context);
        return base.OnDisconnectedAsync(exception);
    }

    public const string Path = "/hubs/warroom";
    public const string EventsMethod = "events";

    public Task<WarRoomResume> Resume(Guid epoch, long lastSequence) => warRoom.Resume(epoch, lastSequence, current);

    public Task<WarRoomSnapshot> GetSnapshot() => current.Get();
}
