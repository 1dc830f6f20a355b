using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KeyProjects.Silo.Hosting;

/// <summary>
/// Where traces and metrics go: <c>KeyProjects:Telemetry:OtlpEndpoint</c> (an OTLP collector, e.g.
/// <c>http://otel-collector:4318</c>; nothing is exported without one) and <c>KeyProjects:Telemetry:Protocol</c>
/// (<c>HttpProtobuf</c>, the default, or <c>Grpc</c>). The standard <c>OTEL_*</c> variables (batch delay, export
/// interval, headers) apply too.
/// </summary>
public sealed record TelemetrySettings(Uri? OtlpEndpoint, OtlpExportProtocol Protocol)
{
    public static TelemetrySettings From(IConfiguration configuration)
    {
        var endpoint = configuration["KeyProjects:Telemetry:OtlpEndpoint"];
        var protocol = configuration["KeyProjects:Telemetry:Protocol"];
        Uri? uri = null;
        if (!string.IsNullOrWhiteSpace(endpoint) && (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
            throw new InvalidOperationException($"KeyProjects:Telemetry:OtlpEndpoint must be an http(s) address of an OTLP collector, not '{endpoint}'.");
        var parsed = OtlpExportProtocol.HttpProtobuf;
        if (!string.IsNullOrWhiteSpace(protocol) && !Enum.TryParse(protocol, ignoreCase: true, out parsed))
            throw new InvalidOperationException($"KeyProjects:Telemetry:Protocol must be HttpProtobuf or Grpc, not '{protocol}'.");
        return new TelemetrySettings(uri, parsed);
    }
}

/// <summary>
/// OpenTelemetry for a silo or a web host: traces of grain calls (Orleans' activity sources; calls carry their trace
/// across hosts), database commands (Npgsql) and, in the web host, HTTP requests and SignalR hub calls; metrics of
/// Orleans, the database and, in the web host, HTTP and SignalR; exported over OTLP when an endpoint is set.
/// </summary>
public static class Telemetry
{
    /// <summary>Orleans' activity sources: the runtime's and the application's grain calls.</summary>
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static IServiceCollection AddKeyProjectsTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName,
        Action<TracerProviderBuilder>? tracing = null, Action<MeterProviderBuilder>? metrics = null)
    {
        var settings = TelemetrySettings.From(configuration);
        if (settings.OtlpEndpoint is not { } endpoint) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(t =>
            {
                t.AddSource(OrleansSources).AddNpgsql();
                tracing?.Invoke(t);
            })
            .WithMetrics(m =>
            {
                m.AddMeter("Microsoft.Orleans").AddNpgsqlInstrumentation();
                metrics?.Invoke(m);
            })
            .UseOtlpExporter(settings.Protocol, endpoint);
        return services;
    }
}
