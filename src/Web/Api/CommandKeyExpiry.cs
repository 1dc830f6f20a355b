using KeyProjects.Silo.Commands;

namespace KeyProjects.Web.Api;

/// <summary>Forgets command idempotency keys older than seven days, once an hour.</summary>
public sealed class CommandKeyExpiry(CommandKeyStore keys, TimeProvider clock, ILogger<CommandKeyExpiry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        try
        {
            do
            {
                try
                {
                    var expired = await keys.Expire(clock.GetUtcNow());
                    if (expired > 0) logger.LogInformation("Forgot {Count} command keys older than {Days} days", expired, CommandKeyStore.Retention.TotalDays);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Could not expire old command keys; trying again in an hour");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
