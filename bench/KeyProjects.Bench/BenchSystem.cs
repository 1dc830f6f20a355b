using System.Globalization;
using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Bench;

/// <summary>
/// The system a benchmark measures: a standalone silo and a web host on PostgreSQL, in the production shape (Staging:
/// the demo city, refused in Production, gives the bench its accounts), run for one measurement and removed after it.
/// </summary>
public static class BenchSystem
{
    public static async Task<T> Run<T>(string connectionString, string clusterId, Func<Uri, AppProcess, Task<T>> measure)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"kp-bench-{Guid.NewGuid():N}");
        var httpPort = Floors.FreePort();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Staging",
            ["DOTNET_ENVIRONMENT"] = "Staging",
            ["ConnectionStrings__KeyProjects"] = connectionString,
            ["KeyProjects__Demo"] = "true",
            // Every bench client signs in from this machine: sign-in limits are per address.
            ["KeyProjects__SignIn__AttemptsPerMinute"] = "100000",
            ["KeyProjects__DataDirectory"] = dataDirectory,
            ["KeyProjects__Orleans__ClusterId"] = clusterId,
            ["KeyProjects__Orleans__SiloPort"] = Floors.FreePort().ToString(CultureInfo.InvariantCulture),
            ["KeyProjects__Orleans__GatewayPort"] = Floors.FreePort().ToString(CultureInfo.InvariantCulture),
        };
        var baseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        await using var silo = AppProcess.StartSilo(env);
        await using var web = AppProcess.StartWeb(env, httpPort);
        try
        {
            await web.WaitUntilReady(baseAddress, TimeSpan.FromMinutes(3));
            return await measure(baseAddress, web);
        }
        finally
        {
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
