using System.Net;
using Microsoft.Extensions.Configuration;

namespace KeyProjects.Silo.Hosting;

/// <summary>Cluster identity and endpoints, from <c>KeyProjects:Orleans</c>.</summary>
public sealed record OrleansSettings(string ClusterId, int SiloPort, int GatewayPort, IPAddress AdvertisedAddress)
{
    public const string ServiceId = "keyprojects";

    public static OrleansSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("KeyProjects:Orleans");
        return new OrleansSettings(
            section["ClusterId"] ?? "keyprojects",
            section.GetValue("SiloPort", 11111),
            section.GetValue("GatewayPort", 30000),
            IPAddress.Parse(section["AdvertisedAddress"] ?? "127.0.0.1"));
    }
}
