using KeyProjects.Grains.Office;
using KeyProjects.Silo.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyProjects.Web.Health;

/// <summary>Whether this host seeds and serves the demo city.</summary>
public sealed record DemoMode(bool On);

/// <summary>
/// Ready only when the cluster answers a grain call and the database answers a query, and, in demo mode, once the
/// demo city has been seeded (its month of history takes a little while on the first start).
/// </summary>
public sealed class ReadinessCheck(IGrainFactory grains, StorageSettings storage, DemoMode demo) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var seeded = await grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).IsDemoSeeded().WaitAsync(TimeSpan.FromSeconds(5), ct);
            if (demo.On && !seeded) return HealthCheckResult.Unhealthy("The demo city is being seeded.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The Orleans cluster did not answer.", e);
        }
        try
        {
            await using var connection = SchemaMigrator.Open(storage);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(ct);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database did not answer.", e);
        }
        return HealthCheckResult.Healthy();
    }
}
