using System.Diagnostics;

namespace KeyProjects.Bench;

/// <summary>Percentiles of a set of latencies in milliseconds.</summary>
public sealed record Latency(long Count, double P50, double P95, double P99, double Max)
{
    public static Latency Of(List<double> values)
    {
        if (values.Count == 0) return new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN);
        values.Sort();
        double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
        return new Latency(values.Count, At(0.50), At(0.95), At(0.99), values[^1]);
    }

    public override string ToString() => $"p50 {P50:0.0} ms · p95 {P95:0.0} ms · p99 {P99:0.0} ms · max {Max:0.0} ms (n = {Count:N0})";
}

public static class Measure
{
    public static double Milliseconds(long fromTimestamp, long toTimestamp) =>
        (toTimestamp - fromTimestamp) * 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// Starts <paramref name="command"/> at a steady <paramref name="rate"/> per second for <paramref name="duration"/>
    /// (absolute schedule: a late start is caught up, not skipped) and waits for all of them.
    /// </summary>
    public static async Task<(int Started, TimeSpan Elapsed)> Drive(int rate, TimeSpan duration, Func<int, Task> command)
    {
        var interval = 1.0 / rate;
        var clock = Stopwatch.StartNew();
        var running = new List<Task>();
        var i = 0;
        while (clock.Elapsed < duration)
        {
            var wait = TimeSpan.FromSeconds(i * interval) - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            running.Add(command(i++));
        }
        await Task.WhenAll(running);
        return (i, clock.Elapsed);
    }

    /// <summary>Resident memory of a process in bytes (Linux /proc).</summary>
    public static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException($"No VmRSS for process {processId}");
    }

    /// <summary>Runs tasks with at most <paramref name="parallel"/> at a time.</summary>
    public static async Task InBatches<T>(IReadOnlyList<T> items, int parallel, Func<T, Task> run)
    {
        for (var i = 0; i < items.Count; i += parallel)
            await Task.WhenAll(items.Skip(i).Take(parallel).Select(run));
    }
}
