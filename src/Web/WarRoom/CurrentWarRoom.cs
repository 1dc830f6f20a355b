using KeyProjects.Web.Live;

namespace KeyProjects.Web.WarRoom;

/// <summary>
/// This host's one war-room view: the snapshot is computed once per change that reaches the host, and every open
/// screen and hub client of the host is served from it. A reader gets the current snapshot when it already covers
/// the latest event the host has seen; otherwise the next computation (one at a time, shared by all who ask).
/// </summary>
public sealed class CurrentWarRoom(WarRoomService warRoom, LiveFeedSubscription feed)
{
    private readonly Lock _gate = new();
    private WarRoomSnapshot? _current;
    private Task<WarRoomSnapshot>? _computing;

    public Task<WarRoomSnapshot> Get()
    {
        lock (_gate)
        {
            if (_current is { } current && current.Sequence >= feed.LastPosition) return Task.FromResult(current);
            return _computing ??= Task.Run(Compute);
        }
    }

    private async Task<WarRoomSnapshot> Compute()
    {
        try
        {
            var snapshot = await warRoom.GetSnapshot();
            lock (_gate)
            {
                if (_current is null || snapshot.Sequence >= _current.Sequence) _current = snapshot;
            }
            return snapshot;
        }
        finally
        {
            lock (_gate) _computing = null;
        }
    }
}
