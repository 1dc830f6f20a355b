using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KeyProjects.Grains.Live;
using KeyProjects.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace KeyProjects.Bench;

/// <summary>
/// The meeting benchmark: "the presenter moves to the next item → every screen shows it". A standalone silo and a web
/// host on PostgreSQL; a live meeting; N screens connected to the hub; the presenter moves through the agenda through
/// the HTTP API, one move after another. Each move's event is matched on every screen (the k-th move event a screen
/// receives is the k-th move). Floors measured in the same run: bare Orleans write, bare SignalR broadcast to N.
/// Usage: dotnet run -c Release --project bench/KeyProjects.Bench -- --meeting [--screens 200] [--moves 300]
///        [--pause-ms 50] [--floor-seconds 10] [--postgres "…"] [--report bench/report-meeting.md]
/// </summary>
public static class MeetingRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int screens = 200, moves = 300, pauseMs = 50, floorSeconds = 10;
        string? postgresOption = null;
        var reportPath = Path.Combine(AppProcess.RepositoryRoot, "bench", "report-meeting.md");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--screens": screens = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--moves": moves = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--pause-ms": pauseMs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--floor-seconds": floorSeconds = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--postgres": postgresOption = Value(); break;
                case "--report": reportPath = Value(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }
        Console.WriteLine($"KeyProjects meeting benchmark: {screens} screens, {moves} moves ({pauseMs} ms apart).");
        if (postgresOption is { } server) Environment.SetEnvironmentVariable(PostgresServer.EnvironmentVariable, server);
        var postgres = await PostgresServer.Instance;
        var rate = Math.Max(1, 1000 / Math.Max(1, pauseMs));

        Console.WriteLine("Floor 1/2: bare Orleans WriteStateAsync on the same PostgreSQL …");
        var floorWrite = await Floors.Write(await postgres.CreateDatabaseAsync("meetfloor"), rate, TimeSpan.FromSeconds(floorSeconds));
        Console.WriteLine($"  {floorWrite}");
        Console.WriteLine($"Floor 2/2: bare SignalR broadcast to {screens} clients …");
        var (floorBroadcast, floorMissed) = await Floors.Broadcast(screens, rate, TimeSpan.FromSeconds(floorSeconds), "json");
        Console.WriteLine($"  {floorBroadcast}; missed {floorMissed}");

        Console.WriteLine("The system: silo + web host on PostgreSQL, a live meeting, screens on the hub, moves through the HTTP API …");
        var (command, sendToReceipt, ackToReceipt, missed) = await Run(await postgres.CreateDatabaseAsync("meeting"), screens, moves, pauseMs);

        var floorSum = floorWrite.P99 + floorBroadcast.P99;
        var report = new StringBuilder()
            .AppendLine("# KeyProjects meeting benchmark: presenter moves → every screen shows it")
            .AppendLine()
            .AppendLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {screens} screens on the hub · {moves} moves, {pauseMs} ms apart · floors {floorSeconds} s")
            .AppendLine()
            .AppendLine("| measure | p50 ms | p95 ms | p99 ms | max ms | n |")
            .AppendLine("|---|---|---|---|---|---|")
            .AppendLine(Row("floor: bare Orleans WriteStateAsync (same PostgreSQL)", floorWrite))
            .AppendLine(Row($"floor: bare SignalR broadcast to {screens} clients", floorBroadcast))
            .AppendLine(Row("move: HTTP send → acknowledgement", command))
            .AppendLine(Row("**move sent → shown on every screen (hub receipt)**", sendToReceipt))
            .AppendLine(Row("move acknowledged → every screen", ackToReceipt))
            .AppendLine()
            .AppendLine($"- p99 move → every screen: {sendToReceipt.P99:0.0} ms; ratio to (write floor + broadcast floor) p99 = {sendToReceipt.P99:0.0} / ({floorWrite.P99:0.0} + {floorBroadcast.P99:0.0}) = **{sendToReceipt.P99 / floorSum:0.00}**.")
            .AppendLine($"- Moves whose event a screen never received: **{missed}**; floor broadcast missed: {floorMissed}.")
            .AppendLine("- A screen here is a hub client (what an external wall display uses). The Blazor big screen (`/screen`) is fed by the same")
            .AppendLine("  host subscription and re-renders from the host's one shared meeting view (`CurrentMeeting`).")
            .ToString();
        Console.WriteLine();
        Console.WriteLine(report);
        await File.WriteAllTextAsync(reportPath, report);
        Console.WriteLine($"Report written to {Path.GetFullPath(reportPath)}");
        return missed == 0 ? 0 : 1;
    }

    private static string Row(string name, Latency l) => $"| {name} | {l.P50:0.0} | {l.P95:0.0} | {l.P99:0.0} | {l.Max:0.0} | {l.Count:N0} |";

    private static Task<(Latency Command, Latency SendToReceipt, Latency AckToReceipt, long Missed)> Run(string connectionString, int screens, int moves, int pauseMs) =>
        BenchSystem.Run(connectionString, "bench-meeting", (baseAddress, _) => Measure(baseAddress, screens, moves, pauseMs));

    private static async Task<(Latency, Latency, Latency, long)> Measure(Uri baseAddress, int screens, int moves, int pauseMs)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var office = await SystemRun.SignIn(http, "office");
        var screen = await SystemRun.SignIn(http, "screen");

        using var scheduled = await Send(http, office, "/api/meetings",
            new { kind = "WeeklyDispatch", series = "bench", scheduledAt = DateTimeOffset.UtcNow, attendeeDepartmentIds = new[] { "zrzy", "fgw" } });
        var meeting = (await scheduled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("id").GetGuid();
        var items = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var added = await Send(http, office, $"/api/meetings/{meeting}/agenda", new { title = $"基准议题 {i + 1}", departmentId = "zrzy" });
            items.Add((await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agenda").EnumerateArray().Last().GetProperty("id").GetString()!);
        }
        (await Send(http, office, $"/api/meetings/{meeting}/start", new { })).EnsureSuccessStatusCode();

        var id = meeting.ToString();
        var receivedAt = new long[screens][];
        var counts = new int[screens];
        var connections = new HubConnection[screens];
        await KeyProjects.Bench.Measure.InBatches(Enumerable.Range(0, screens).ToList(), 50, async c =>
        {
            receivedAt[c] = new long[moves];
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, "/hubs/warroom"), o =>
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(screen);
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                })
                .Build();
            connection.On<List<LiveEvent>>("events", batch =>
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var e in batch)
                    if (e.Change.Kind == "meeting.moved" && e.Change.SubjectId == id && counts[c] < moves)
                        receivedAt[c][counts[c]++] = now;
            });
            await connection.StartAsync();
            connections[c] = connection;
        });
        await Task.Delay(TimeSpan.FromSeconds(3)); // let the host settle after the connection burst

        var sentAt = new long[moves];
        var ackedAt = new long[moves];
        var command = new List<double>();
        for (var k = 0; k < moves; k++)
        {
            sentAt[k] = Stopwatch.GetTimestamp();
            using var moved = await Send(http, office, $"/api/meetings/{meeting}/current", new { itemId = items[(k + 1) % items.Count] });
            moved.EnsureSuccessStatusCode();
            ackedAt[k] = Stopwatch.GetTimestamp();
            command.Add(KeyProjects.Bench.Measure.Milliseconds(sentAt[k], ackedAt[k]));
            await Task.Delay(pauseMs);
        }
        await Floors.WaitUntil(() => counts.All(n => n >= moves), TimeSpan.FromSeconds(60));

        var sendToReceipt = new List<double>();
        var ackToReceipt = new List<double>();
        long missed = 0;
        for (var c = 0; c < screens; c++)
            for (var k = 0; k < moves; k++)
            {
                if (receivedAt[c][k] == 0)
                {
                    missed++;
                    continue;
                }
                sendToReceipt.Add(KeyProjects.Bench.Measure.Milliseconds(sentAt[k], receivedAt[c][k]));
                ackToReceipt.Add(Math.Max(0, KeyProjects.Bench.Measure.Milliseconds(ackedAt[k], receivedAt[c][k])));
            }
        foreach (var connection in connections) await connection.DisposeAsync();
        return (Latency.Of(command), Latency.Of(sendToReceipt), Latency.Of(ackToReceipt), missed);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, string token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
