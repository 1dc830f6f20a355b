using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using KeyProjects.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace KeyProjects.Tests.Api;

/// <summary>
/// A silo and a web host on PostgreSQL export OpenTelemetry traces and metrics over OTLP to the collector their
/// settings name (here a collector run by the test on loopback): the web host's HTTP requests, grain calls and
/// SignalR, the silo's grain calls and database commands, metrics of both.
/// </summary>
public sealed class TelemetryTests(TelemetryTests.Centre centre) : IClassFixture<TelemetryTests.Centre>
{
    [Fact]
    public async Task Requests_grain_calls_and_database_commands_reach_the_collector_as_traces_and_metrics()
    {
        using var mayor = await centre.As("mayor");
        (await mayor.GetAsync("/api/projects/2026-001")).EnsureSuccessStatusCode();
        using var office = await centre.As("office");
        (await office.PostAsJsonAsync("/api/projects/2026-001/problems", new { title = "遥测测试", description = "", category = "Land", leadDepartmentId = "zrzy" }))
            .EnsureSuccessStatusCode();

        // The web host: the request by its route, the grain calls it made.
        await centre.Collector.Received("/v1/traces", "keyprojects-web", "/api/projects/{code}", "IProjectGrain", "IProblemGrain");
        // The silo: the grain calls it served and the database commands it ran (the same traces, carried across).
        await centre.Collector.Received("/v1/traces", "keyprojects-silo", "IProblemGrain", "postgresql");
        // Metrics of both: HTTP request durations on the web host, Orleans' meters on the silo.
        await centre.Collector.Received("/v1/metrics", "keyprojects-web", "http.server.request.duration");
        await centre.Collector.Received("/v1/metrics", "keyprojects-silo", "Microsoft.Orleans");
    }

    /// <summary>The cluster with its hosts exporting to a collector the test runs (OTLP over HTTP, protobuf).</summary>
    public sealed class Centre : ClusterCommandCentre
    {
        public OtlpCollector Collector { get; } = new();

        public override async Task InitializeAsync()
        {
            await Collector.StartAsync();
            Extra["KeyProjects__Telemetry__OtlpEndpoint"] = Collector.Address;
            // Export soon rather than every few seconds (the standard OpenTelemetry settings).
            Extra["OTEL_BSP_SCHEDULE_DELAY"] = "200";
            Extra["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Collector.DisposeAsync();
        }
    }

    /// <summary>
    /// An OTLP/HTTP endpoint that keeps every export it is sent. Exports are protobuf: their strings (service names,
    /// span names, attribute values, meter names) are in them as UTF-8, which is what the test looks for.
    /// </summary>
    public sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly int _port = ProcessRunner.FreeTcpPort();
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
        private WebApplication? _app;

        public string Address => $"http://127.0.0.1:{_port}";

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(Address);
            _app = builder.Build();
            _app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                _received.Enqueue(("/v1/" + signal, body.ToArray()));
                return Results.Ok();
            });
            await _app.StartAsync();
        }

        /// <summary>
        /// Waits until, among the exports to the path from a service (each export names its service), each of the texts
        /// has come (spans of one request may come in different batches).
        /// </summary>
        public async Task Received(string path, string service, params string[] texts)
        {
            List<string> Exports() => _received.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)).Where(b => b.Contains(service, StringComparison.Ordinal)).ToList();
            try
            {
                await Eventually.Get(() => Task.FromResult(Exports()), bodies => texts.All(t => bodies.Any(b => b.Contains(t, StringComparison.Ordinal))),
                    $"exports to {path} from {service} with {string.Join(", ", texts)}", TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException e)
            {
                var bodies = Exports();
                throw new TimeoutException($"{e.Message}: {bodies.Count} exports; missing {string.Join(", ", texts.Where(t => !bodies.Any(b => b.Contains(t, StringComparison.Ordinal))))}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null) await _app.DisposeAsync();
        }
    }
}
