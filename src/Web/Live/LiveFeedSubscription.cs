using KeyProjects.Grains.Live;

namespace KeyProjects.Web.Live;

/// <summary>
/// This web host's one subscription to the city's live feed grain (a grain observer). It renews the subscription
/// well inside its lifetime, so it comes back by itself after a silo restart, and releases it on shutdown.
/// </summary>
public sealed class LiveFeedSubscription(IGrainFactory grains, LiveUpdates updates, ILogger<LiveFeedSubscription> logger)
    : BackgroundService, ILiveFeedObserver
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    private ILiveFeedObserver? _reference;

    public Task OnEvents(IReadOnlyList<LiveEvent> events)
    {
        updates.Publish(events);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<ILiveFeedObserver>(this);
        var feed = grains.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City);
        using var timer = new PeriodicTimer(RenewEvery);
        do
        {
            try
            {
                await feed.Subscribe(_reference);
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
            await grains.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City).Unsubscribe(_reference).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
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
