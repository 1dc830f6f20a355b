using KeyProjects.Web.Live;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Meetings;

/// <summary>
/// This host's view of the meeting running now, for the big screens: computed once per change that reaches the host
/// (and at most every <see cref="MaxAge"/>, for presence and deadlines), shared by every screen of the host, like
/// <see cref="WarRoom.CurrentWarRoom"/>.
/// </summary>
public sealed class CurrentMeeting(MeetingService meetings, LiveFeedSubscription feed, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private (MeetingDetail? Detail, long Position, long At)? _current;
    private Task<MeetingDetail?>? _computing;

    public Task<MeetingDetail?> Get()
    {
        lock (_gate)
        {
            if (_current is { } c && c.Position >= feed.LastPosition && clock.GetElapsedTime(c.At) < MaxAge) return Task.FromResult(c.Detail);
            return _computing ??= Task.Run(Compute);
        }
    }

    private async Task<MeetingDetail?> Compute()
    {
        try
        {
            while (true)
            {
                var target = feed.LastPosition;
                var detail = await meetings.Live();
                lock (_gate)
                {
                    _current = (detail, target, clock.GetTimestamp());
                    if (feed.LastPosition <= target) return detail;
                }
            }
        }
        finally
        {
            lock (_gate) _computing = null;
        }
    }
}
