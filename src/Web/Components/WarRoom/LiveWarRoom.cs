using KeyProjects.Web.Components.Shared;
using KeyProjects.Web.WarRoom;
using Microsoft.AspNetCore.Components;

namespace KeyProjects.Web.Components.WarRoom;

/// <summary>
/// A war-room page: reads the snapshot, and reads it again whenever events reach this host (coalesced by
/// <see cref="LivePage"/>: one reload in flight, at most one waiting).
/// </summary>
public abstract class LiveWarRoom : LivePage
{
    [Inject] protected WarRoomService WarRoom { get; set; } = default!;

    protected WarRoomSnapshot? Snapshot { get; private set; }

    protected override async Task LoadAsync() => Snapshot = await WarRoom.GetSnapshot();
}
