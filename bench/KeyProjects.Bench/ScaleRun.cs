using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Dapper;
using KeyProjects.Grains.Live;
using KeyProjects.Silo.Hosting;
using KeyProjects.Silo.Storage;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.WarRoom;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KeyProjects.Bench;

/// <summary>What one city measured: latencies by name, the largest grain-state row of each grain type, memory.</summary>
public sealed record CityResult(
    string City,
    long Events,
    IReadOnlyDictionary<string, Latency> Latencies,
    IReadOnlyList<(string GrainType, long Rows, long LargestBytes)> StateRows,
    long WebResident,
    long SiloResident);

/// <summary>
/// The scale run: the same measurements on the demo city and on the city-scale data set (the generator's projects,
/// problems and directives on top of the demo city), each in production shape (standalone silo + web host on
/// PostgreSQL, started fresh on its database): a claim's acknowledgement, the first page of each list, the war-room
/// figures, a command's event on a hub client, the largest grain-state row, and the processes' memory.
/// </summary>
public sealed class ScaleRun(int projects, int problems, int directives, int samples)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static readonly string[] Lists =
    [
        "/api/problems", "/api/problems?open=true&light=Red", "/api/problems?lead=zrzy&status=InProgress", "/api/projects",
        "/api/projects?stage=UnderConstruction", "/api/console", "/api/cockpit", "/api/departments/zrzy/desk", "/api/figures/departments",
        "/api/me/notifications", "/api/warroom", "/api/projects?light=Red", "/api/projects?town=南湖镇&light=Yellow", "/api/figures",
        "/api/figures?by=Town", "/api/figures?by=Department", "/api/figures?by=Leader",
    ];

    public async Task<CityResult> MeasureCity(string name, string connectionString, bool generate, Action<string> report)
    {
        var environment = Environment(connectionString, name);
        var (silo, web, baseAddress) = await Start(environment);
        try
        {
            if (generate)
            {
                await Generate(connectionString, environment["KeyProjects__Orleans__ClusterId"], report);
                // Measured as the city would be met after a restart: fresh processes on the full database.
                await web.DisposeAsync();
                await silo.DisposeAsync();
                (silo, web, baseAddress) = await Start(environment);
            }
            return await Measure(name, baseAddress, connectionString, silo, web);
        }
        finally
        {
            await web.DisposeAsync();
            await silo.DisposeAsync();
            if (Directory.Exists(environment["KeyProjects__DataDirectory"])) Directory.Delete(environment["KeyProjects__DataDirectory"], recursive: true);
        }
    }

    private static Dictionary<string, string> Environment(string connectionString, string name) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Staging", // the production shape; demo accounts are refused in Production
        ["DOTNET_ENVIRONMENT"] = "Staging",
        ["ConnectionStrings__KeyProjects"] = connectionString,
        ["KeyProjects__Demo"] = "true",
        // Every bench client signs in from this machine: sign-in limits are per address.
        ["KeyProjects__SignIn__AttemptsPerMinute"] = "100000",
        ["KeyProjects__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"kp-scale-{Guid.NewGuid():N}"),
        ["KeyProjects__Orleans__ClusterId"] = "bench-" + name,
        ["KeyProjects__Orleans__SiloPort"] = Floors.FreePort().ToString(),
        ["KeyProjects__Orleans__GatewayPort"] = Floors.FreePort().ToString(),
    };

    private static async Task<(AppProcess Silo, AppProcess Web, Uri BaseAddress)> Start(Dictionary<string, string> environment)
    {
        var port = Floors.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var silo = AppProcess.StartSilo(environment);
        var web = AppProcess.StartWeb(environment, port);
        await web.WaitUntilReady(baseAddress, TimeSpan.FromMinutes(5));
        using var http = new HttpClient { BaseAddress = baseAddress };
        await SystemRun.SignIn(http, "office"); // waits for the demo city's accounts
        return (silo, web, baseAddress);
    }

    /// <summary>Generates the city-scale data set through the grains, as an Orleans client of the running silo.</summary>
    private async Task Generate(string connectionString, string clusterId, Action<string> report)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseKeyProjects(
            new StorageSettings(StorageProvider.PostgreSql, connectionString), new OrleansSettings(clusterId, 0, 0, IPAddress.Loopback)));
        using var host = builder.Build();
        await host.StartAsync();
        await new CityGenerator(host.Services.GetRequiredService<IGrainFactory>(), projects, problems, directives).RunAsync(report);
        await host.StopAsync();
    }

    private async Task<CityResult> Measure(string name, Uri baseAddress, string connectionString, AppProcess silo, AppProcess web)
    {
        // Both cities are measured as a database in service would be: statistics up to date, the visibility map set.
        await using (var maintenance = new Npgsql.NpgsqlConnection(connectionString))
        {
            await maintenance.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 600);
            await maintenance.ExecuteAsync("CHECKPOINT", commandTimeout: 600, commandType: System.Data.CommandType.Text); // what the generation and the vacuum wrote is on disk, not in the way
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var tokens = new Dictionary<string, string>();
        foreach (var user in new[] { "office", "zrzy", "mayor", "screen" }) tokens[user] = await SystemRun.SignIn(http, user);
        var latencies = new Dictionary<string, Latency>();

        // Claims: problems raised first (not timed), then each claimed, one after another.
        var raised = new List<Guid>();
        for (var i = 0; i < samples; i++)
        {
            using var response = await Send(http, tokens["office"], $"/api/projects/2026-{i % 120 + 1:000}/problems",
                new { title = $"规模基准 {i}", description = "scale", category = "Land", leadDepartmentId = "zrzy" });
            raised.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("summary").GetProperty("id").GetGuid());
        }
        var claims = new List<double>();
        foreach (var id in raised)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await Send(http, tokens["zrzy"], $"/api/problems/{id}/claim", null);
            claims.Add(KeyProjects.Bench.Measure.Milliseconds(start, Stopwatch.GetTimestamp()));
        }
        latencies["command: claim, send → acknowledgement"] = Latency.Of(claims);

        // The first page of each list, as the user who reads it.
        foreach (var path in Lists)
        {
            var user = path switch { "/api/cockpit" => "mayor", "/api/departments/zrzy/desk" => "zrzy", _ => "office" };
            var times = new List<double>();
            for (var i = 0; i < samples / 2 + 1; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[user]);
                var start = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
                if (i > 0) times.Add(KeyProjects.Bench.Measure.Milliseconds(start, Stopwatch.GetTimestamp())); // the first warms up
            }
            latencies["GET " + path] = Latency.Of(times);
        }

        // A hub client: the war-room figures it is served, and each command's event on it.
        var received = Channel.CreateUnbounded<(long At, LiveEvent Event)>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/warroom"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(tokens["screen"]))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        hub.On<List<LiveEvent>>("events", batch => batch.ForEach(e => received.Writer.TryWrite((Stopwatch.GetTimestamp(), e))));
        await hub.StartAsync();
        var figures = new List<double>();
        for (var i = 0; i < samples / 2 + 1; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await hub.InvokeAsync<WarRoomSnapshot>("GetSnapshot");
            if (i > 0) figures.Add(KeyProjects.Bench.Measure.Milliseconds(start, Stopwatch.GetTimestamp()));
        }
        latencies["war-room figures (hub GetSnapshot, the host's view)"] = Latency.Of(figures);

        var sendToHub = new List<double>();
        var ackToHub = new List<double>();
        foreach (var id in raised.Take(samples))
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await Send(http, tokens["zrzy"], $"/api/problems/{id}/inputs", new { text = "规模基准进展" });
            var acked = Stopwatch.GetTimestamp();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var (at, e) = await received.Reader.ReadAsync(limit.Token);
                if (e.Change.SubjectId != id.ToString() || e.Change.Kind != "problem.input-posted") continue;
                sendToHub.Add(KeyProjects.Bench.Measure.Milliseconds(sent, at));
                ackToHub.Add(Math.Max(0, KeyProjects.Bench.Measure.Milliseconds(acked, at)));
                break;
            }
        }
        latencies["event: command sent → hub client"] = Latency.Of(sendToHub);
        latencies["event: acknowledgement → hub client"] = Latency.Of(ackToHub);

        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        var rows = (await connection.QueryAsync<(string GrainType, long Rows, long LargestBytes)>(
            "SELECT graintypestring, COUNT(*)::bigint, COALESCE(MAX(octet_length(payloadbinary)), 0)::bigint FROM orleansstorage GROUP BY graintypestring ORDER BY 3 DESC")).ToList();
        var events = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM kp_events");
        return new CityResult(name, events, latencies, rows,
            KeyProjects.Bench.Measure.ResidentBytes(web.ProcessId), KeyProjects.Bench.Measure.ResidentBytes(silo.ProcessId));
    }


    private static async Task<HttpResponseMessage> Send(HttpClient http, string token, string path, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
