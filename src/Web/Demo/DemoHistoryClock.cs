namespace KeyProjects.Web.Demo;

/// <summary>
/// The embedded demo city's clock: the real clock, except while the demo seeder replays the city's last month (it
/// sets the clock to each step's instant, so the history carries its real dates and deadlines run out as they
/// would have). Released to the real clock when seeding ends, and never moved again. Demo mode only.
/// </summary>
public sealed class DemoHistoryClock(TimeProvider real) : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>The real instant, whatever the clock is set to.</summary>
    public DateTimeOffset RealNow => real.GetUtcNow();

    /// <summary>Sets the clock to an instant of the past (running on from there at the real rate).</summary>
    public void SetTo(DateTimeOffset at) => Interlocked.Exchange(ref _offsetTicks, Math.Min(0, (at - real.GetUtcNow()).Ticks));

    public void Release() => Interlocked.Exchange(ref _offsetTicks, 0);
}
