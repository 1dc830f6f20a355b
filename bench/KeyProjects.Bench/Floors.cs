using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KeyProjects.Grains.Live;
using KeyProjects.Silo.Hosting;
using KeyProjects.Silo.Storage;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace KeyProjects.Bench;

/// <summary>A grain that does nothing but write its state: the floor for a durable write.</summary>
public interface IFloorGrain : IGrainWithIntegerKey
{
    Task Write(int value);
}

public sealed class FloorState
{
    public int Value { get; set; }
    public string Text { get; set; } = "";
}

public sealed class FloorGrain([PersistentState("bench-floor")] IPersistentState<FloorState> state) : Grain, IFloorGrain
{
    public async Task Write(int value)
    {
        state.State.Value = value;
        state.State.Text = "配合意见：已按要求提供用地预审材料";
        await state.WriteStateAsync();
    }
}

/// <summary>A hub with no logic: the floor for a broadcast.</summary>
public sealed class BareHub : Hub;

public static class Floors
{
    /// <summary>
    /// Bare <c>WriteStateAsync</c> against the same PostgreSQL, with the system's own storage configuration
    /// (ADO.NET, Npgsql, System.Text.Json), at the same rate as the commands.
    /// </summary>
    public static async Task<Latency> Write(string connectionString, int rate, TimeSpan duration)
    {
        var storage = new StorageSettings(StorageProvider.PostgreSql, connectionString);
        await SchemaMigrator.ApplyAsync(storage);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: "bench-floor", clusterId: "bench-floor");
            silo.AddKeyProjectsStorage(storage);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        const int Grains = 40;
        for (var g = 0; g < Grains; g++) await grains.GetGrain<IFloorGrain>(g).Write(-1); // activate and warm up

        var latencies = new ConcurrentBag<double>();
        await Measure.Drive(rate, duration, async i =>
        {
            var start = Stopwatch.GetTimestamp();
            await grains.GetGrain<IFloorGrain>(i % Grains).Write(i);
            latencies.Add(Measure.Milliseconds(start, Stopwatch.GetTimestamp()));
        });
        await host.StopAsync();
        return Latency.Of(latencies.ToList());
    }

    /// <summary>
    /// A bare SignalR broadcast (no Orleans, no logic) of what the system sends: feed-sized events at the same rate,
    /// coalesced as the system coalesces them (what is waiting goes at once as one batch, then at most one batch per
    /// window), to the same number of WebSocket clients: each event's send → receipt on every client.
    /// </summary>
    public static async Task<(Latency Latency, long Missed)> Broadcast(int clients, int rate, TimeSpan duration, string protocol)
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR().AddMessagePackProtocol();
        var app = builder.Build();
        app.MapHub<BareHub>("/bare");
        await app.StartAsync();

        var received = new long[clients];
        var latencies = new ConcurrentBag<double>();
        var connections = new HubConnection[clients];
        await Measure.InBatches(Enumerable.Range(0, clients).ToList(), 50, async c =>
        {
            var connection = new HubConnectionBuilder()
                .WithUrl($"http://127.0.0.1:{port}/bare", o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                })
                .WithProtocol(protocol)
                .Build();
            connection.On<List<long>, List<LiveEvent>>("events", (sentAt, _) =>
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var at in sentAt) latencies.Add(Measure.Milliseconds(at, now));
                Interlocked.Add(ref received[c], sentAt.Count);
            });
            await connection.StartAsync();
            connections[c] = connection;
        });

        var hub = app.Services.GetRequiredService<IHubContext<BareHub>>();
        var epoch = Guid.NewGuid();
        var stamps = new ConcurrentDictionary<long, long>();
        var sender = new KeyProjects.Web.Live.CoalescingSender(KeyProjects.Web.Live.CoalescingSender.MaxWindow, TimeProvider.System,
            (batch, ct) => hub.Clients.All.SendAsync("events", batch.Select(e => stamps[e.Sequence]).ToList(), batch, ct));
        using var stop = new CancellationTokenSource();
        var sending = sender.RunAsync(stop.Token);
        var (sent, _) = await Measure.Drive(rate, duration, i =>
        {
            stamps[i + 1] = Stopwatch.GetTimestamp();
            sender.Post([new LiveEvent(epoch, i + 1, DateTimeOffset.UtcNow, new LiveChange(
                "problem.input-posted", Guid.NewGuid().ToString(), "2026-001", "zrzy", "基准测试问题", "刘科长", DateTimeOffset.UtcNow, ["zrzy"], "L01"))]);
            return Task.CompletedTask;
        });
        await WaitUntil(() => received.All(r => Interlocked.Read(ref r) >= sent), TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        try
        {
            await sending;
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var connection in connections) await connection.DisposeAsync();
        await app.StopAsync();
        var missed = received.Sum(r => Math.Max(0, sent - r));
        return (Latency.Of(latencies.ToList()), missed);
    }

    /// <summary>
    /// A bare authenticated HTTP POST (a bearer token, a small JSON body, a small JSON answer; no Orleans, no storage)
    /// at the same rate: send → answer.
    /// </summary>
    public static async Task<Latency> Post(int rate, TimeSpan duration)
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddAuthentication(Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenDefaults.AuthenticationScheme).AddBearerToken();
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/token", () => Results.SignIn(
            new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("name", "zrzy")], "bench")),
            authenticationScheme: Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenDefaults.AuthenticationScheme));
        app.MapPost("/inputs", (FloorInput input) => Results.Ok(new { accepted = input.Text.Length })).RequireAuthorization();
        await app.StartAsync();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var tokenResponse = await http.PostAsync("/token", null);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        for (var i = 0; i < 20; i++) (await http.PostAsJsonAsync("/inputs", new FloorInput("预热"))).Dispose();

        var latencies = new ConcurrentBag<double>();
        await Measure.Drive(rate, duration, async i =>
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync("/inputs", new FloorInput("配合意见：已按要求提供用地预审材料"));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            latencies.Add(Measure.Milliseconds(start, Stopwatch.GetTimestamp()));
        });
        await app.StopAsync();
        return Latency.Of(latencies.ToList());
    }

    public sealed record FloorInput(string Text);

    /// <summary>The hub protocol the clients speak: "json" (as browsers) or "messagepack".</summary>
    public static IHubConnectionBuilder WithProtocol(this IHubConnectionBuilder builder, string protocol) => protocol switch
    {
        "json" => builder.AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter())),
        "messagepack" => builder.AddMessagePackProtocol(),
        _ => throw new ArgumentException($"Unknown protocol {protocol}: json or messagepack."),
    };

    public static async Task WaitUntil(Func<bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < limit) await Task.Delay(50);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
