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
    /// A bare SignalR broadcast (no Orleans, no logic) of one feed-sized event to the same number of WebSocket
    /// clients, at the same rate: send → receipt on every client.
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
            connection.On<long, List<LiveEvent>>("events", (sentAt, _) =>
            {
                latencies.Add(Measure.Milliseconds(sentAt, Stopwatch.GetTimestamp()));
                Interlocked.Increment(ref received[c]);
            });
            await connection.StartAsync();
            connections[c] = connection;
        });

        var hub = app.Services.GetRequiredService<IHubContext<BareHub>>();
        var epoch = Guid.NewGuid();
        var (sent, _) = await Measure.Drive(rate, duration, i =>
        {
            List<LiveEvent> payload = [new LiveEvent(epoch, i + 1, DateTimeOffset.UtcNow, new LiveChange(
                "problem.input-posted", Guid.NewGuid().ToString(), "2026-001", "zrzy", "基准测试问题", "刘科长", DateTimeOffset.UtcNow))];
            return hub.Clients.All.SendAsync("events", Stopwatch.GetTimestamp(), payload);
        });
        await WaitUntil(() => received.All(r => Interlocked.Read(ref r) >= sent), TimeSpan.FromSeconds(30));

        foreach (var connection in connections) await connection.DisposeAsync();
        await app.StopAsync();
        var missed = received.Sum(r => Math.Max(0, sent - r));
        return (Latency.Of(latencies.ToList()), missed);
    }

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
