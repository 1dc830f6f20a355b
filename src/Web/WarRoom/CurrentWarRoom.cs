using KeyProjects.Web.Live;

namespace KeyProjects.Web.WarRoom;

/// <summary>
/// This host's one war-room view: the snapshot is computed once per change that reaches the host, and every open
/// screen and hub client of the host is served from it. A reader gets the current snapshot when it covers the latest
/// event the host has seen and is younger than <see cref="MaxAge"/> (figures such as overdue orders and 时序进度 move
/// with the clock, not with events); otherwise the next computation (one at a time, shared by all who ask). A
/// computation that started before the latest event is followed by another.
/// </summary>
public sealed class CurrentWarRoom(WarRoomService warRoom, LiveFeedSubscription feed, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private WarRoomSnapshot? _current;
    private long _computedAt;
    private Task<WarRoomSnapshot>? _computing;

    public Task<WarRoomSnapshot> Get()
    {
        lock (_gate)
        {
            if (_current is { } current && current.Sequence >= feed.LastPosition && clock.GetElapsedTime(_computedAt) < MaxAge)
                return Task.FromResult(current);
            return _computing ??= Task.Run(Compute);
        }
    }

    private async Task<WarRoomSnapshot> Compute()
    {
        try
        {
            while (true)
            {
                var target = feed.LastPosition;
                var snapshot = await warRoom.GetSnapshot();
                lock (_gate)
                {
                    (_current, _computedAt) = (snapshot, clock.GetTimestamp());
                    // An event that reached the host while this computation read the database: read again for it.
                    if (feed.LastPosition <= Math.Max(target, snapshot.Sequence)) return snapshot;
                }
            }
        }
        finally
        {
            lock (_gate) _computing = null;
        }
    }
}
