using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Tests.Api;

/// <summary>The deployment kit in deploy/: what can be checked on a machine without the servers it targets.</summary>
public sealed class DeployKitTests
{
    private static string Deploy(params string[] path) => Path.Combine([AppProcess.RepositoryRoot, "deploy", .. path]);

    [Fact]
    public async Task The_systemd_units_verify_except_for_the_binaries_not_being_installed_here()
    {
        var (_, output) = await ProcessRunner.RunForExitCode("systemd-analyze",
            ["verify", Deploy("systemd", "keyprojects-silo.service"), Deploy("systemd", "keyprojects-web.service")]);
        var complaints = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !(line.Contains("/opt/keyprojects/") && line.EndsWith("is not executable: No such file or directory", StringComparison.Ordinal)))
            .ToList();
        Assert.True(complaints.Count == 0, "systemd-analyze verify: " + string.Join("\n", complaints));
        Assert.Contains("/opt/keyprojects/silo/KeyProjects.Silo", output); // it did read the units
    }

    [Fact]
    public void The_compose_file_runs_the_schema_step_before_the_silo_and_the_web_host_without_ddl_rights_behind_the_proxy()
    {
        var compose = File.ReadAllText(Deploy("compose.yaml"));
        Assert.Contains("command: [\"migrate\"]", compose);
        Assert.Contains("condition: service_completed_successfully", compose);
        Assert.Contains("KeyProjects__Schema__ApplyAtStart: \"false\"", compose);
        Assert.Contains("KeyProjects__ForwardedHeaders__KnownProxies: 172.28.0.20", compose);
        Assert.Contains("ipv4_address: 172.28.0.20", compose); // the proxy the web host trusts is the proxy
        var nginx = File.ReadAllText(Deploy("nginx", "keyprojects.conf"));
        Assert.Contains("ip_hash", nginx);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade", nginx);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme", nginx);
        var dockerfile = File.ReadAllText(Deploy("Dockerfile"));
        Assert.Contains("USER $APP_UID", dockerfile);
        Assert.Contains("AS silo", dockerfile);
        Assert.Contains("AS web", dockerfile);
    }
}
