using KeyProjects.Grains.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Text.Json.Serialization;
using KeyProjects.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using KeyProjects.Grains.Events;
using KeyProjects.Silo.EventLog;
using KeyProjects.Grains.Problems;

namespace KeyProjects.Silo.Hosting;

/// <summary>
/// The one place that configures a KeyProjects silo, used by the standalone silo process (production) and by the
/// web host's embedded mode, and the matching Orleans client configuration for a web host that joins a cluster.
/// </summary>
public static class KeyProjectsOrleans
{
    /// <summary>
    /// Orleans runs placement through Polly pipelines that log every attempt at Information (hundreds of lines a
    /// minute): keep their warnings and errors only, so start-up shows the address and the accounts.
    /// </summary>
    public static ILoggingBuilder QuietResilienceLogs(this ILoggingBuilder logging) =>
        logging.AddFilter("Polly", LogLevel.Warning);

    /// <summary>
    /// In Production the console writes one JSON object a line (timestamp, level, category, event id, message, state),
    /// with Chinese kept readable, for a log collector; elsewhere the plain console a developer reads.
    /// </summary>
    public static ILoggingBuilder UseJsonConsoleInProduction(this ILoggingBuilder logging, IHostEnvironment environment)
    {
        if (!environment.IsProduction()) return logging;
        logging.ClearProviders();
        return logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffzzz ";
            o.UseUtcTimestamp = false;
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
    }

    public static ISiloBuilder UseKeyProjects(this ISiloBuilder silo, StorageSettings storage, OrleansSettings orleans)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans.ClusterId;
            o.ServiceId = OrleansSettings.ServiceId;
        });
        silo.AddKeyProjectsStorage(storage, orleans.DeadlineLongestWait);
        silo.AddActivityPropagation(); // a grain call carries its trace (OpenTelemetry) from caller to grain, across hosts
        silo.AddDashboard(); // the Orleans Dashboard's grains and call profiling; its pages are the web host's, for administrators
        if (orleans.ClockStartAt is { } startAt) silo.Services.AddSingleton<TimeProvider>(new StartedClock(startAt));

        if (storage.Provider == StorageProvider.PostgreSql)
        {
            silo.ConfigureEndpoints(orleans.AdvertisedAddress, orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = storage.AdoNetInvariant;
                o.ConnectionString = storage.ConnectionString;
            });
        }
        else
        {
            // Embedded: one silo inside the web process. Membership of a single silo needs no table.
            silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: OrleansSettings.ServiceId, clusterId: orleans.ClusterId);
        }
        return silo;
    }

    /// <summary>The grains' services and storage, without clustering (test clusters bring their own).</summary>
    public static ISiloBuilder AddKeyProjectsStorage(this ISiloBuilder silo, StorageSettings storage, TimeSpan? deadlineLongestWait = null)
    {
        silo.Services.AddSingleton(TimeProvider.System);
        // The city's clock is the host's clock unless a host names another (see CityClock).
        silo.Services.AddKeyedSingleton<TimeProvider>(CityClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());
        silo.Services.AddSingleton(storage);
        silo.Services.AddSingleton<IEventStore, SqlEventStore>();
        var longestWait = deadlineLongestWait ?? TimeSpan.FromDays(1);
        silo.Services.Configure<DeadlineWatchOptions>(o => o.LongestWait = longestWait);
        silo.Services.Configure<ReminderOptions>(o =>
        {
            if (longestWait < o.MinimumReminderPeriod) o.MinimumReminderPeriod = longestWait;
        });

        // Grain state is stored as System.Text.Json (enums by name): readable, and versionable by adding properties.
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o =>
        {
            o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // Chinese as Chinese in the stored state (an operator reading a row sees 自然资源和规划局, not \u81EA…).
            // Only the stored text changes: state written escaped before reads back the same.
            o.JsonSerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        silo.AddAdoNetGrainStorageAsDefault(o =>
        {
            o.Invariant = storage.AdoNetInvariant;
            o.ConnectionString = storage.ConnectionString;
        });

        // Durable deadlines: reminders in the same database as the grain state (PostgreSQL or the embedded file).
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = storage.AdoNetInvariant;
            o.ConnectionString = storage.ConnectionString;
        });
        return silo;
    }

    /// <summary>A web host that joins a PostgreSQL-backed cluster as a client.</summary>
    public static IClientBuilder UseKeyProjects(this IClientBuilder client, StorageSettings storage, OrleansSettings orleans)
    {
        if (storage.Provider != StorageProvider.PostgreSql)
            throw new InvalidOperationException("A web host joins a cluster as a client only in production mode (PostgreSQL).");
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans.ClusterId;
            o.ServiceId = OrleansSettings.ServiceId;
        });
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = storage.AdoNetInvariant;
            o.ConnectionString = storage.ConnectionString;
        });
        client.AddActivityPropagation();
        client.AddDashboard();
        return client;
    }
}
