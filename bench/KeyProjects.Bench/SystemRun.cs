using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using KeyProjects.Grains.Live;
using KeyProjects.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace KeyProjects.Bench;

public sealed record SystemResult(
    int Commands,
    int Acknowledged,
    TimeSpan Elapsed,
    Latency Command,
    Latency AckToReceipt,
    Latency SendToReceipt,
    long ReceivedBeforeAck,
    long Missed,
    long Duplicated,
    long EventsDelivered,
    double ServerBytesPerConnection,
    long ServerResidentBefore,
    long ServerResidentAfter,
    long ServerResidentAtEnd);

/// <summary>
/// The system under test: a standalone silo and a web host on PostgreSQL (production shape, demo city seeded),
/// N hub clients, and M "post input" commands a second through the HTTP API. Each command's event is matched on
/// every client: commands on one problem are sent one after another, so the k-th input event of a problem is its
/// k-th command.
/// </summary>
public sealed class SystemRun(string connectionString, int clients, int rate, TimeSpan duration, string protocol)
{
    private const int Problems = 40;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public Task<SystemResult> RunAsync() => BenchSystem.Run(connectionString, "bench", Measure);

    private async Task<SystemResult> Measure(Uri baseAddress, AppProcess web)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var office = await SignIn(http, "office");
        var department = await SignIn(http, "zrzy");
        var screen = await SignIn(http, "screen");

        // Forty problems led by 自然资源和规划局, each warmed up with one input.
        var problems = new List<Guid>();
        for (var p = 0; p < Problems; p++)
        {
            using var raised = await Send(http, office, HttpMethod.Post, $"/api/projects/2026-{p + 1:000}/problems",
                new { title = $"基准测试问题 {p + 1}", description = "benchmark", category = "Land", leadDepartmentId = "zrzy" });
            if (!raised.IsSuccessStatusCode)
                throw new InvalidOperationException($"Raising a problem failed: {(int)raised.StatusCode} {await raised.Content.ReadAsStringAsync()}");
            var view = await raised.Content.ReadFromJsonAsync<JsonElement>(Json);
            problems.Add(view.GetProperty("summary").GetProperty("id").GetGuid());
        }
        foreach (var id in problems) (await Input(http, department, id, "预热")).Dispose();
        var index = problems.Select((id, p) => (id.ToString(), p)).ToDictionary(x => x.Item1, x => x.p);

        var expectedCommands = (int)Math.Ceiling(rate * duration.TotalSeconds) + rate;
        var residentBefore = KeyProjects.Bench.Measure.ResidentBytes(web.ProcessId);
        var receivers = new Receiver[clients];
        await KeyProjects.Bench.Measure.InBatches(Enumerable.Range(0, clients).ToList(), 50, async c =>
        {
            var receiver = new Receiver(index, expectedCommands);
            receiver.Connection = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, "/hubs/warroom"), o =>
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(screen);
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                })
                .WithProtocol(protocol)
                .Build();
            receiver.Connection.On<List<LiveEvent>>("events", receiver.OnEvents);
            await receiver.Connection.StartAsync();
            receivers[c] = receiver;
        });
        await Task.Delay(TimeSpan.FromSeconds(3)); // let the host settle after the connection burst
        var residentAfter = KeyProjects.Bench.Measure.ResidentBytes(web.ProcessId);

        // The commands: problem g % 40, its (g / 40)-th; one problem's commands go one after another.
        var sentAt = new long[expectedCommands];
        var ackedAt = new long[expectedCommands];
        var commandLatencies = new List<double>();
        var tails = problems.Select(_ => Task.CompletedTask).ToArray();
        var gate = new Lock();
        var (started, elapsed) = await KeyProjects.Bench.Measure.Drive(rate, duration, g =>
        {
            if (g >= expectedCommands) return Task.CompletedTask;
            var p = g % Problems;
            Task next;
            lock (gate)
            {
                next = tails[p] = Run(tails[p], g, p);
            }
            return next;
        });

        async Task Run(Task previous, int g, int p)
        {
            await previous;
            sentAt[g] = Stopwatch.GetTimestamp();
            using var response = await Input(http, department, problems[p], $"基准 {g}");
            if (!response.IsSuccessStatusCode) return;
            ackedAt[g] = Stopwatch.GetTimestamp();
            lock (commandLatencies) commandLatencies.Add(KeyProjects.Bench.Measure.Milliseconds(sentAt[g], ackedAt[g]));
        }

        var commands = Math.Min(started, expectedCommands);
        var residentAtEnd = KeyProjects.Bench.Measure.ResidentBytes(web.ProcessId);
        var acknowledged = ackedAt.Take(commands).Count(a => a != 0);
        await Floors.WaitUntil(() => receivers.All(r => r.Matched >= acknowledged), TimeSpan.FromSeconds(60));

        var ackToReceipt = new List<double>(clients * commands);
        var sendToReceipt = new List<double>(clients * commands);
        long beforeAck = 0, missed = 0, duplicated = 0, delivered = 0;
        foreach (var r in receivers)
        {
            duplicated += r.Duplicated;
            missed += r.Gaps;
            delivered += r.Delivered;
            for (var g = 0; g < commands; g++)
            {
                if (ackedAt[g] == 0) continue;
                var at = r.ReceivedAt[g];
                if (at == 0)
                {
                    missed++;
                    continue;
                }
                var afterAck = KeyProjects.Bench.Measure.Milliseconds(ackedAt[g], at);
                if (afterAck < 0) beforeAck++;
                ackToReceipt.Add(Math.Max(0, afterAck));
                sendToReceipt.Add(KeyProjects.Bench.Measure.Milliseconds(sentAt[g], at));
            }
        }
        foreach (var r in receivers) await r.Connection!.DisposeAsync();

        return new SystemResult(commands, acknowledged, elapsed, Latency.Of(commandLatencies), Latency.Of(ackToReceipt), Latency.Of(sendToReceipt),
            beforeAck, missed, duplicated, delivered, (residentAfter - residentBefore) / (double)clients, residentBefore, residentAfter, residentAtEnd);
    }

    /// <summary>A demo account's bearer token, waiting (up to three minutes) while the demo city is seeded.</summary>
    internal static async Task<string> SignIn(HttpClient http, string userName)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await http.PostAsJsonAsync("/api/auth/token", new { userName, password = KeyProjects.Web.Demo.DemoCity.Password });
            if (response.IsSuccessStatusCode)
                return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
            if (attempt > 180) throw new InvalidOperationException($"Cannot sign in as {userName}: {(int)response.StatusCode}");
            await Task.Delay(1000); // the demo city is still being seeded
        }
    }

    private static Task<HttpResponseMessage> Input(HttpClient http, string token, Guid problem, string text) =>
        Send(http, token, HttpMethod.Post, $"/api/problems/{problem}/inputs", new { text });

    private static async Task<HttpResponseMessage> Send(HttpClient http, string token, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await http.SendAsync(request);
    }

    /// <summary>One hub client: checks the numbering (gaps, duplicates) and stamps the arrival of each command's event.</summary>
    private sealed class Receiver(Dictionary<string, int> problemIndex, int capacity)
    {
        private readonly int[] _perProblem = new int[Problems];
        private Guid _epoch;
        private long _last = -1;

        public HubConnection? Connection { get; set; }
        public long[] ReceivedAt { get; } = new long[capacity];
        public long Gaps { get; private set; }
        public long Duplicated { get; private set; }
        public long Delivered { get; private set; }
        private int _matched;

        public int Matched => Volatile.Read(ref _matched);

        // SignalR calls one connection's handlers one at a time.
        public void OnEvents(List<LiveEvent> batch)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var e in batch)
            {
                Delivered++;
                if (e.Epoch != _epoch)
                {
                    (_epoch, _last) = (e.Epoch, e.Sequence);
                }
                else if (e.Sequence <= _last)
                {
                    Duplicated++;
                    continue;
                }
                else
                {
                    Gaps += e.Sequence - _last - 1;
                    _last = e.Sequence;
                }
                if (e.Change.Kind != "problem.input-posted" || !problemIndex.TryGetValue(e.Change.SubjectId, out var p)) continue;
                // Clients connect after the warm-up inputs, so a problem's first input event here is its first command.
                var k = _perProblem[p]++;
                var g = k * Problems + p;
                if (g < ReceivedAt.Length)
                {
                    ReceivedAt[g] = now;
                    Interlocked.Increment(ref _matched);
                }
            }
        }
    }
}
