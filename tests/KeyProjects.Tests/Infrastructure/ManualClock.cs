namespace KeyProjects.Tests.Infrastructure;

/// <summary>A clock tests set by hand: grains read it; nothing in a test waits for real time to pass.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void SetTo(DateTimeOffset instant) => Interlocked.Exchange(ref _ticks, instant.UtcTicks);
}
