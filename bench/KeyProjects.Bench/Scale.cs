using System.Globalization;
using System.Text;
using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Bench;

/// <summary>The scale benchmark's command line and report: the demo city against the city-scale data set.</summary>
public static class Scale
{
    /// <summary>Targets: a claim costs at most this much more on the large city; lists and figures within these p99s.</summary>
    public const double ClaimRatio = 1.2, ListP99 = 50, FiguresP99 = 20;

    /// <summary>
    /// A grain-state row "does not grow with the city" when the large city's largest row of each type is within this
    /// share of the demo city's (the rows hold texts of different lengths: a few bytes either way are content, not size).
    /// </summary>
    public const double RowNoise = 1.05;

    public static async Task<int> RunAsync(string[] args)
    {
        int projects = 10_000, problems = 50_000, directives = 2_000, samples = 200;
        string? postgres = null;
        var reportPath = Path.Combine(AppProcess.RepositoryRoot, "bench", "report-scale.md");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--projects": projects = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--problems": problems = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--directives": directives = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--samples": samples = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--postgres": postgres = Value(); break;
                case "--report": reportPath = Value(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }
        if (postgres is not null) Environment.SetEnvironmentVariable(PostgresServer.EnvironmentVariable, postgres);
        var server = await PostgresServer.Instance;
        var run = new ScaleRun(projects, problems, directives, samples);
        void Say(string line) => Console.WriteLine($"  {DateTime.Now:HH:mm:ss} {line}");

        Console.WriteLine($"Scale benchmark: the demo city, then {projects:N0} projects, {problems:N0} problems, {directives:N0} directives; {samples} samples a measure.");
        Console.WriteLine("City 1/2: the demo city …");
        var demo = await run.MeasureCity("demo", await server.CreateDatabaseAsync("scaledemo"), generate: false, Say);
        Console.WriteLine("City 2/2: generating the city-scale data set, then measuring …");
        var large = await run.MeasureCity("scale", await server.CreateDatabaseAsync("scalecity"), generate: true, Say);

        var claim = "command: claim, send → acknowledgement";
        var claimRatio = large.Latencies[claim].P50 / demo.Latencies[claim].P50;
        var claimRatio99 = large.Latencies[claim].P99 / demo.Latencies[claim].P99;
        var lists = ScaleRun.Lists.Select(p => "GET " + p).ToList();
        var worstList = lists.Max(l => large.Latencies[l].P99);
        var figures = large.Latencies["war-room figures (hub GetSnapshot, the host's view)"].P99;
        var largestDemo = demo.StateRows.Max(r => r.LargestBytes);
        var largestScale = large.StateRows.Max(r => r.LargestBytes);
        var grown = large.StateRows.Where(r => r.LargestBytes > RowNoise * Math.Max(1, demo.StateRows.FirstOrDefault(d => d.GrainType == r.GrainType).LargestBytes)
            && demo.StateRows.Any(d => d.GrainType == r.GrainType)).Select(r => r.GrainType).ToList();

        var report = new StringBuilder()
            .AppendLine("# KeyProjects scale benchmark")
            .AppendLine()
            .AppendLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · production shape (standalone silo + web host, PostgreSQL) · demo city ({demo.Events:N0} events) against the city-scale set ({projects:N0} projects, {problems:N0} problems, {directives:N0} directives on top of it: {large.Events:N0} events) · {samples} samples a measure, one after another")
            .AppendLine()
            .AppendLine("| measure | demo p50 ms | demo p99 ms | scale p50 ms | scale p99 ms | p99 ratio |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, d) in demo.Latencies)
        {
            var l = large.Latencies[name];
            report.AppendLine($"| {name} | {d.P50:0.0} | {d.P99:0.0} | {l.P50:0.0} | {l.P99:0.0} | {l.P99 / d.P99:0.00} |");
        }
        report.AppendLine()
            .AppendLine("Largest grain-state row of each grain type (bytes):")
            .AppendLine()
            .AppendLine("| grain type | demo rows | demo largest | scale rows | scale largest |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var row in large.StateRows)
        {
            var d = demo.StateRows.FirstOrDefault(r => r.GrainType == row.GrainType);
            report.AppendLine($"| {row.GrainType} | {d.Rows:N0} | {d.LargestBytes:N0} | {row.Rows:N0} | {row.LargestBytes:N0} |");
        }
        var claimPass = claimRatio <= ClaimRatio; // what a claim costs: its median; the p99 ratio is shown beside it
        report.AppendLine()
            .AppendLine($"- Claim acknowledgement: p50 ratio {claimRatio:0.00} (target ≤ {ClaimRatio}) → **{(claimPass ? "PASS" : "FAIL")}**; p99 ratio {claimRatio99:0.00}")
            .AppendLine($"- First page of every list and /api/warroom on the large city: worst p99 {worstList:0.0} ms (target ≤ {ListP99}) → **{(worstList <= ListP99 ? "PASS" : "FAIL")}**")
            .AppendLine($"- War-room figures served to a hub client on the large city: p99 {figures:0.0} ms (target ≤ {FiguresP99}) → **{(figures <= FiguresP99 ? "PASS" : "FAIL")}**")
            .AppendLine($"- Event appended → visible in the read model: the same transaction (0 ms by construction); → on a hub client: see the event rows.")
            .AppendLine($"- Largest grain-state row: demo {largestDemo:N0} B, scale {largestScale:N0} B; grain types whose largest row grew more than {(RowNoise - 1) * 100:0} %: {(grown.Count == 0 ? "none" : string.Join(", ", grown))} → **{(grown.Count == 0 ? "PASS" : "FAIL")}**")
            .AppendLine($"- Memory after the measures: web host {demo.WebResident / 1048576.0:0} → {large.WebResident / 1048576.0:0} MiB, silo {demo.SiloResident / 1048576.0:0} → {large.SiloResident / 1048576.0:0} MiB.");
        var text = report.ToString();
        Console.WriteLine();
        Console.WriteLine(text);
        await File.WriteAllTextAsync(reportPath, text);
        Console.WriteLine($"Report written to {Path.GetFullPath(reportPath)}");
        return claimPass && worstList <= ListP99 && figures <= FiguresP99 && grown.Count == 0 ? 0 : 1;
    }
}
