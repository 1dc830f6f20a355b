using System.Net;
using Microsoft.Extensions.Configuration;

namespace KeyProjects.Silo.Hosting;

/// <summary>
/// Cluster identity and endpoints (<c>KeyProjects:Orleans</c>), how often open problems check their deadlines
/// (<c>KeyProjects:Deadlines:LongestWait</c>), and, in Development only, the instant the clock starts from
/// (<c>KeyProjects:Clock:StartAt</c>) so tests can stand the whole system on a chosen date.
/// </summary>
public sealed record OrleansSettings(string ClusterId, int SiloPort, int GatewayPort, IPAddress AdvertisedAddress)
{
    public const string ServiceId = "keyprojects";

    public TimeSpan DeadlineLongestWait { get; init; } = TimeSpan.FromDays(1);
    public DateTimeOffset? ClockStartAt { get; init; }

    public static OrleansSettings FromConfiguration(IConfiguration configuration, bool isDevelopment = false)
    {
        var section = configuration.GetSection("KeyProjects:Orleans");
        return new OrleansSettings(
            section["ClusterId"] ?? "keyprojects",
            section.GetValue("SiloPort", 11111),
            section.GetValue("GatewayPort", 30000),
            IPAddress.Parse(section["AdvertisedAddress"] ?? "127.0.0.1"))
        {
            DeadlineLongestWait = configuration.GetValue("KeyProjects:Deadlines:LongestWait", TimeSpan.FromDays(1)),
            ClockStartAt = isDevelopment ? configuration.GetValue<DateTimeOffset?>("KeyProjects:Clock:StartAt") : null,
        };
    }
}
