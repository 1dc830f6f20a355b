using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Tests.Api;

/// <summary>What an operator sees on the first start: where it listens, and a console that is not drowned in noise.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task The_web_host_listens_where_ASPNETCORE_URLS_says_and_starts_quietly_with_its_accounts_in_chinese()
    {
        var port = ProcessRunner.FreeTcpPort();
        var data = Path.Combine(Path.GetTempPath(), $"kp-startup-{Guid.NewGuid():N}");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["KeyProjects__DataDirectory"] = data,
            ["KeyProjects__Orleans__SiloPort"] = ProcessRunner.FreeTcpPort().ToString(),
            ["KeyProjects__Orleans__GatewayPort"] = ProcessRunner.FreeTcpPort().ToString(),
            ["Logging__LogLevel__Default"] = "Information", // what `dotnet run` shows
        };
        try
        {
            await using var web = AppProcess.StartWeb(env, httpPort: null);
            await web.WaitUntilReady(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMinutes(3));
            var output = web.Output;
            Assert.Contains($"running at http://127.0.0.1:{port}", output);
            Assert.Contains("office（项目办）", output);
            Assert.Contains("screen（指挥大屏）", output);
            Assert.DoesNotContain("Execution attempt", output);
            Assert.DoesNotContain("[Office]", output);
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }
}
