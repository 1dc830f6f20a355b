using KeyProjects.Grains.Office;
using KeyProjects.Silo.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyProjects.Web.Health;

/// <summary>Ready only when the cluster answers a grain call and the database answers a query.</summary>
public sealed class ReadinessCheck(IGrainFactory grains, StorageSettings storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).IsDemoSeeded().WaitAsync(TimeSpan.FromSeconds(5), ct);
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
