namespace KeyProjects.Grains.Domain;

/// <summary>
/// The clock the city's rules judge by (deadlines, histories, orders), injected into grains as the keyed service
/// <see cref="Key"/>. It is the host's clock, except that the embedded demo city replays its last month on a clock of
/// its own without moving the runtime's (Orleans and ASP.NET Core keep the real time).
/// </summary>
public static class CityClock
{
    public const string Key = "city-clock";
}
