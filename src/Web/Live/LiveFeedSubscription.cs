using KeyProjects.Grains.Live;

namespace KeyProjects.Web.Live;

/// <summary>
/// This web host's one subscription to the city's live feed grain (a grain observer). It renews the subscription
/// well inside its lifetime, so it comes back by itself after a silo restart, and releases it on shutdown.
/// It hands on events in feed order, once each: duplicates are dropped, and a gap (a lost notification, a lapsed
/// subscription, a feed restarted under a new epoch) is filled from the events the feed retains.
/// </summary>
public sealed class LiveFeedSubscription(IGrainFactory grains, LiveUpdates updates, ILogger<LiveFeedSubscription> logger)
    : BackgroundService, ILiveFeedObserver
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private ILiveFeedObserver? _reference;
    private Guid _epoch;
    private long _last;

    private ILiveFeedGrain Feed => grains.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City);

    /// <summary>The log position of the latest event this host has handed on.</summary>
    public long LastPosition => Interlocked.Read(ref _last);

    public async Task OnEvents(IReadOnlyList<LiveEvent> events)
    {
        await _gate.WaitAsync();
        try
        {
            var accepted = new List<LiveEvent>(events.Count);
            foreach (var e in events)
            {
                if (e.Epoch != _epoch || e.Sequence > _last + 1) await FillGap(e.Epoch, accepted);
                if (e.Epoch != _epoch || e.Sequence <= _last) continue;
                accepted.Add(e);
                _last = e.Sequence;
            }
            if (accepted.Count > 0) updates.Publish(accepted);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Takes what the feed retains after the last event handed on (from the start of a new epoch).</summary>
    private async Task FillGap(Guid epoch, List<LiveEvent> into)
    {
        var known = epoch == _epoch;
        var catchUp = await Feed.GetSince(epoch, known ? _last : 0);
        if (!catchUp.Complete)
        {
            // Older than the feed keeps: readers resync from a snapshot when they see the jump in numbers.
            logger.LogWarning("Live events of epoch {Epoch} after {Last} are no longer retained; moving on to {Head}", epoch, _last, catchUp.Head);
            (_epoch, _last) = (catchUp.Epoch, catchUp.Head);
            updates.InvalidateCaches(); // what was lost may have moved anything this host serves from memory
            return;
        }
        _epoch = catchUp.Epoch;
        if (!known) _last = 0;
        foreach (var e in catchUp.Events.Where(e => e.Sequence > _last))
        {
            into.Add(e);
            _last = e.Sequence;
        }
    }

    /// <summary>After (re)subscribing: hand on whatever was published while this host was not listening.</summary>
    private async Task CatchUp()
    {
        await _gate.WaitAsync();
        try
        {
            if (_epoch == Guid.Empty)
            {
                // First subscription: start from the feed's head; pages read their state from the grains.
                var head = await Feed.GetSince(Guid.Empty, 0);
                (_epoch, _last) = (head.Epoch, head.Head);
                return;
            }
            var latest = await Feed.GetSince(_epoch, _last);
            var accepted = new List<LiveEvent>();
            if (latest.Complete)
            {
                accepted.AddRange(latest.Events);
                if (accepted.Count > 0) _last = accepted[^1].Sequence;
            }
            else
            {
                await FillGap(latest.Epoch, accepted); // the feed restarted, or this host fell too far behind
            }
            if (accepted.Count > 0) updates.Publish(accepted);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<ILiveFeedObserver>(this);
        using var timer = new PeriodicTimer(RenewEvery);
        do
        {
            try
            {
                await Feed.Subscribe(_reference);
                await CatchUp();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not (re)subscribe to the live feed; retrying in {Interval}", RenewEvery);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_reference is null) return;
        try
        {
            await Feed.Unsubscribe(_reference).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogInformation(e, "Live feed subscription not released at shutdown; it expires on its own");
        }
        grains.DeleteObjectReference<ILiveFeedObserver>(_reference);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
