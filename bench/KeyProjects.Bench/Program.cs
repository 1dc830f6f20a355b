using System.Globalization;
using System.Text;
using KeyProjects.Bench;
using KeyProjects.Tests.Infrastructure;

// The real-time benchmark. Usage:
//   dotnet run -c Release --project bench/KeyProjects.Bench -- [--clients 1000] [--rate 200] [--seconds 30]
//       [--protocol json|messagepack] [--floor-seconds 10] [--postgres "<connection string>"] [--report <path>, default bench/report.md]
// PostgreSQL: --postgres (databases are created on it), else KEYPROJECTS_TEST_POSTGRES, else Testcontainers, else a
// throwaway cluster from the local PostgreSQL binaries.
//   dotnet run -c Release --project bench/KeyProjects.Bench -- --scale [--projects 10000] [--problems 50000] [--directives 2000]
//       [--samples 200] [--postgres "<connection string>"] [--report <path>, default bench/report-scale.md]
//   dotnet run -c Release --project bench/KeyProjects.Bench -- --meeting [--screens 200] [--moves 300] [--pause-ms 50]
//       [--postgres "<connection string>"] [--report <path>, default bench/report-meeting.md]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--scale")) return await Scale.RunAsync(args.Where(a => a != "--scale").ToArray());
if (args.Contains("--meeting")) return await MeetingRun.RunAsync(args.Where(a => a != "--meeting").ToArray());
var options = Options.Parse(args);
Console.WriteLine($"KeyProjects benchmark: {options.Clients} hub clients, {options.Rate} commands/s for {options.Seconds} s; floors for {options.FloorSeconds} s.");
if (options.Postgres is { } server) Environment.SetEnvironmentVariable(PostgresServer.EnvironmentVariable, server);
var postgres = await PostgresServer.Instance;

Console.WriteLine("Floor 1/3: bare Orleans WriteStateAsync on the same PostgreSQL …");
var floorWrite = await Floors.Write(await postgres.CreateDatabaseAsync("benchfloor"), options.Rate, TimeSpan.FromSeconds(options.FloorSeconds));
Console.WriteLine($"  {floorWrite}");

Console.WriteLine($"Floor 2/3: bare SignalR broadcast to {options.Clients} clients, coalesced as the system does …");
var (floorBroadcast, floorMissed) = await Floors.Broadcast(options.Clients, options.Rate, TimeSpan.FromSeconds(options.FloorSeconds), options.Protocol);
Console.WriteLine($"  {floorBroadcast}; missed {floorMissed}");

Console.WriteLine("Floor 3/3: bare authenticated HTTP POST at the same rate …");
var floorPost = await Floors.Post(options.Rate, TimeSpan.FromSeconds(options.FloorSeconds));
Console.WriteLine($"  {floorPost}");

Console.WriteLine("The system: silo + web host on PostgreSQL, demo city, hub clients, commands through the HTTP API …");
var result = await new SystemRun(await postgres.CreateDatabaseAsync("bench"), options.Clients, options.Rate, TimeSpan.FromSeconds(options.Seconds), options.Protocol).RunAsync();

var floorSum = floorWrite.P99 + floorBroadcast.P99;
var bound = Math.Min(1.5 * floorSum, 250);
var throughput = result.Acknowledged / result.Elapsed.TotalSeconds;
bool Pass(double p99) => p99 <= 1.5 * floorSum && p99 <= 250;
var report = new StringBuilder()
    .AppendLine("# KeyProjects real-time benchmark")
    .AppendLine()
    .AppendLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {options.Clients} hub clients ({options.Protocol}) · {options.Rate} commands/s for {options.Seconds} s (floors {options.FloorSeconds} s) · PostgreSQL: {postgres.AdminConnectionString.Split(';').FirstOrDefault(p => p.StartsWith("Host", StringComparison.OrdinalIgnoreCase))}")
    .AppendLine()
    .AppendLine("| measure | p50 ms | p95 ms | p99 ms | max ms | n |")
    .AppendLine("|---|---|---|---|---|---|")
    .AppendLine(Row("floor: bare Orleans WriteStateAsync (same PostgreSQL)", floorWrite))
    .AppendLine(Row($"floor: bare SignalR broadcast to {options.Clients} clients, coalesced as the system does", floorBroadcast))
    .AppendLine(Row("floor: bare authenticated HTTP POST", floorPost))
    .AppendLine(Row("command: HTTP send → acknowledgement", result.Command))
    .AppendLine(Row("**end to end: acknowledgement → receipt, every client**", result.AckToReceipt))
    .AppendLine(Row("end to end: command sent → receipt, every client", result.SendToReceipt))
    .AppendLine()
    .AppendLine($"- Target: end-to-end p99 ≤ 1.5 × (floor write p99 + floor broadcast p99) = 1.5 × ({floorWrite.P99:0.0} + {floorBroadcast.P99:0.0}) = {1.5 * floorSum:0.0} ms, and ≤ 250 ms → bound {bound:0.0} ms.")
    .AppendLine($"- acknowledgement → receipt p99 {result.AckToReceipt.P99:0.0} ms: ratio to the floors {result.AckToReceipt.P99 / floorSum:0.00} → **{(Pass(result.AckToReceipt.P99) ? "PASS" : "FAIL")}** ({result.ReceivedBeforeAck:N0} receipts arrived before the acknowledgement and count as 0).")
    .AppendLine($"- command sent → receipt p99 {result.SendToReceipt.P99:0.0} ms: ratio to (HTTP floor + write floor + broadcast floor) p99 = {result.SendToReceipt.P99:0.0} / ({floorPost.P99:0.0} + {floorWrite.P99:0.0} + {floorBroadcast.P99:0.0}) = **{result.SendToReceipt.P99 / (floorPost.P99 + floorSum):0.00}**.")
    .AppendLine($"- Missed events: **{result.Missed}** (gaps in numbering plus commands whose event never arrived); duplicated: {result.Duplicated}; floor broadcast missed: {floorMissed}. → **{(result.Missed == 0 ? "PASS" : "FAIL")}**")
    .AppendLine($"- Throughput: {result.Acknowledged:N0} of {result.Commands:N0} commands acknowledged in {result.Elapsed.TotalSeconds:0.0} s = {throughput:0.0}/s (asked {options.Rate}/s); {result.EventsDelivered:N0} events delivered to clients = {result.EventsDelivered / result.Elapsed.TotalSeconds:N0}/s.")
    .AppendLine($"- Web host memory: {result.ServerResidentBefore / 1048576.0:0} MiB before the clients, {result.ServerResidentAfter / 1048576.0:0} MiB with them → {result.ServerBytesPerConnection / 1024:0.0} KiB resident per connection; {result.ServerResidentAtEnd / 1048576.0:0} MiB after the commands.")
    .ToString();
Console.WriteLine();
Console.WriteLine(report);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Report))!);
await File.WriteAllTextAsync(options.Report, report);
Console.WriteLine($"Report written to {Path.GetFullPath(options.Report)}");
return result.Missed == 0 && Pass(result.AckToReceipt.P99) ? 0 : 1;

static string Row(string name, Latency l) => $"| {name} | {l.P50:0.0} | {l.P95:0.0} | {l.P99:0.0} | {l.Max:0.0} | {l.Count:N0} |";

internal sealed record Options(int Clients, int Rate, int Seconds, int FloorSeconds, string? Postgres, string Report, string Protocol = "json")
{
    public static Options Parse(string[] args)
    {
        var o = new Options(1000, 200, 30, 10, null, Path.Combine(AppProcess.RepositoryRoot, "bench", "report.md"));
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--clients" => o with { Clients = int.Parse(Value()) },
                "--rate" => o with { Rate = int.Parse(Value()) },
                "--seconds" => o with { Seconds = int.Parse(Value()) },
                "--floor-seconds" => o with { FloorSeconds = int.Parse(Value()) },
                "--postgres" => o with { Postgres = Value() },
                "--report" => o with { Report = Value() },
                "--protocol" => o with { Protocol = Value() },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }
        if (o.Clients < 1 || o.Rate < 1 || o.Seconds < 1 || o.FloorSeconds < 1) throw new ArgumentException("Counts must be positive.");
        return o;
    }
}
