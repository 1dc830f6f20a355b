using KeyProjects.Silo.Hosting;
using KeyProjects.Silo.Storage;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Runtime;

namespace KeyProjects.Web.Hosting;

public static class OrleansHosting
{
    /// <summary>
    /// Embedded (no PostgreSQL configured, or KeyProjects:Orleans:CoHostSilo=true): the web process co-hosts the silo.
    /// Production: the web host joins the silos as an Orleans client.
    /// </summary>
    public static WebApplicationBuilder AddKeyProjectsOrleans(this WebApplicationBuilder builder, StorageSettings storage, bool demoMode = false)
    {
        builder.Logging.QuietResilienceLogs().UseJsonConsoleInProduction(builder.Environment);
        // HTTP requests and SignalR hub calls besides what every host traces (grain calls, the database).
        builder.Services.AddKeyProjectsTelemetry(builder.Configuration, "keyprojects-web",
            tracing => tracing.AddAspNetCoreInstrumentation().AddSource("Microsoft.AspNetCore.SignalR.Server"),
            metrics => metrics.AddAspNetCoreInstrumentation().AddMeter("Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.SignalR"));
        var orleans = OrleansSettings.FromConfiguration(builder.Configuration, builder.Environment.IsDevelopment());
        var coHost = storage.Provider == StorageProvider.Sqlite || builder.Configuration.GetValue("KeyProjects:Orleans:CoHostSilo", false);
        if (coHost)
        {
            builder.UseOrleans(silo => silo.UseKeyProjects(storage, orleans));
            if (demoMode)
            {
                // The demo seeder replays the city's last month on this clock; the grains judge by it (CityClock).
                builder.Services.AddSingleton(sp => new Demo.DemoHistoryClock(sp.GetRequiredService<TimeProvider>()));
                builder.Services.AddKeyedSingleton<TimeProvider>(KeyProjects.Grains.Domain.CityClock.Key, (sp, _) => sp.GetRequiredService<Demo.DemoHistoryClock>());
            }
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                client.UseKeyProjects(storage, orleans);
                client.UseConnectionRetryFilter(new RetryForAWhile());
            });
        }
        return builder;
    }

    /// <summary>A web host may start before its silos: keep trying to connect for two minutes.</summary>
    private sealed class RetryForAWhile : IClientConnectionRetryFilter
    {
        private readonly DateTime _giveUpAt = DateTime.UtcNow.AddMinutes(2);

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (DateTime.UtcNow > _giveUpAt) return false;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
    }
}
