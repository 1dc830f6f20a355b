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
    public async Task The_compose_file_validates()
    {
        // `docker compose` (the plugin) where it is installed, else docker-compose (test.sh installs Debian's).
        var (pluginExit, _) = await TryRun("docker", ["compose", "version"]);
        var (file, args) = pluginExit == 0 ? ("docker", new List<string> { "compose" }) : ("docker-compose", new List<string>());
        args.AddRange(["-p", "keyprojects", "-f", Deploy("compose.yaml"), "config", "--quiet"]);
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["KP_DB_PASSWORD"] = "validate-only";
        psi.Environment["KP_KEY_CERT_PASSWORD"] = "validate-only";
        using var process = System.Diagnostics.Process.Start(psi)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
    }

    [Fact]
    public async Task The_production_shape_starts_from_the_published_output()
    {
        // Published as a city's servers get it (framework-dependent here; deploy/publish.sh makes the self-contained ones),
        // then a silo and a web host started from those folders in Production on an empty database, demo off.
        var output = Path.Combine(Path.GetTempPath(), $"kp-published-{Guid.NewGuid():N}");
        try
        {
            foreach (var host in new[] { "Silo", "Web" })
            {
                var (exit, log) = await ProcessRunner.RunForExitCode("dotnet",
                    ["publish", Path.Combine(AppProcess.RepositoryRoot, "src", host), "-c", "Release", "--no-build", "-o", Path.Combine(output, host), "-nologo"]);
                Assert.True(exit == 0, $"publish {host}: {log}");
            }
            var database = await (await PostgresServer.Instance).CreateDatabaseAsync("published");
            var port = ProcessRunner.FreeTcpPort();
            var env = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__KeyProjects"] = database,
                ["KeyProjects__DataDirectory"] = Path.Combine(output, "data"),
                ["KeyProjects__Orleans__ClusterId"] = "published-" + port,
                ["KeyProjects__Orleans__SiloPort"] = ProcessRunner.FreeTcpPort().ToString(),
                ["KeyProjects__Orleans__GatewayPort"] = ProcessRunner.FreeTcpPort().ToString(),
            };
            foreach (var (key, value) in KeyCertificate.Settings()) env[key] = value; // Production: the key ring encrypted at rest
            // The schema step first (as the units and the compose file run it), then the hosts; the web host needs no DDL.
            var (migrated, migrateLog) = await RunPublished(Path.Combine(output, "Silo", "KeyProjects.Silo.dll"), env, "migrate");
            Assert.True(migrated == 0, "migrate: " + migrateLog);
            env["KeyProjects__Schema__ApplyAtStart"] = "false";
            await using var silo = AppProcess.StartPublished(Path.Combine(output, "Silo", "KeyProjects.Silo.dll"), env);
            await using var web = AppProcess.StartPublished(Path.Combine(output, "Web", "KeyProjects.Web.dll"), env, "--urls", $"http://127.0.0.1:{port}");
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            await web.WaitUntilReady(baseAddress, TimeSpan.FromMinutes(3));
            Assert.Contains("一次性设置令牌", web.Output); // first start: the set-up token, no demo account
            using var http = new HttpClient { BaseAddress = baseAddress };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/setup")).StatusCode);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunPublished(string dll, Dictionary<string, string> env, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<(int ExitCode, string Output)> TryRun(string file, string[] args)
    {
        try
        {
            return await ProcessRunner.RunForExitCode(file, args);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message); // not installed
        }
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
