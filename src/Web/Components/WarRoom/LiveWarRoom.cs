using KeyProjects.Web.Components.Shared;
using KeyProjects.Web.WarRoom;
using Microsoft.AspNetCore.Components;

namespace KeyProjects.Web.Components.WarRoom;

/// <summary>
/// A war-room page: shows this host's current war-room view, and takes it again whenever events reach the host
/// (coalesced by <see cref="LivePage"/>: one reload in flight, at most one waiting). However many screens are open,
/// the host computes the view once per change (<see cref="CurrentWarRoom"/>).
/// </summary>
public abstract class LiveWarRoom : LivePage
{
    [Inject] protected WarRoomService WarRoom { get; set; } = default!;
    [Inject] private CurrentWarRoom Current { get; set; } = default!;

    protected WarRoomSnapshot? Snapshot { get; private set; }

    protected override async Task LoadAsync() => Snapshot = await Current.Get();
}
