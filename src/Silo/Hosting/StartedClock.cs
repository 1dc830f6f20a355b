namespace KeyProjects.Silo.Hosting;

/// <summary>
/// A clock that starts at a chosen instant and then runs at the real rate. Development only (tests start the whole
/// system "on" a date, stop it, and start it again later in the calendar); production uses the system clock.
/// </summary>
public sealed class StartedClock(DateTimeOffset startAt) : TimeProvider
{
    private readonly TimeSpan _offset = startAt - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
