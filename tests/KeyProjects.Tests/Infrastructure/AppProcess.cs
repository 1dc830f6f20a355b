using System.Collections.Concurrent;
using System.Diagnostics;

namespace KeyProjects.Tests.Infrastructure;

/// <summary>A real KeyProjects process (the web host or the standalone silo) started from its build output.</summary>
public sealed class AppProcess : IAsyncDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(Process process) => _process = process;

    public string Output => string.Join('\n', _output);
    public bool HasExited => _process.HasExited;
    public int ProcessId => _process.Id;

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Starts the web host on a port (<c>--urls</c>), or, without one, wherever its environment says.</summary>
    public static AppProcess StartWeb(IReadOnlyDictionary<string, string> environment, int? httpPort) =>
        Start("Web", "KeyProjects.Web.dll", environment, httpPort is { } port ? ["--urls", $"http://127.0.0.1:{port}"] : []);

    public static AppProcess StartSilo(IReadOnlyDictionary<string, string> environment) =>
        Start("Silo", "KeyProjects.Silo.dll", environment, []);

    /// <summary>A host from a published folder (dotnet publish output), run from that folder as a server would.</summary>
    public static AppProcess StartPublished(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException("Publish first", dll);
        return Start(Path.GetDirectoryName(dll)!, dll, environment, args, published: true);
    }

    private static AppProcess Start(string project, string dll, IReadOnlyDictionary<string, string> environment, string[] args, bool published = false)
    {
        var projectDir = published ? project : Path.Combine(RepositoryRoot, "src", project);
        var path = published ? dll : Path.Combine(projectDir, "bin", Configuration, "net10.0", dll);
        if (!File.Exists(path)) throw new FileNotFoundException($"Build {project} first", path);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(path);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (k, v) in environment) psi.Environment[k] = v;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) app._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) app._output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Polls until the web host's readiness endpoint answers 200 (bounded; fails with the process output).</summary>
    public async Task WaitUntilReady(Uri baseAddress, TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The process exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // busy starting
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Not ready within {limit}:\n{Output}");
    }

    /// <summary>Kills the process at once, like a crash or a power cut: nothing is flushed on the way out.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        // Set KEYPROJECTS_TEST_LOGS to a folder to keep each process's output for a failing test's post-mortem.
        if (Environment.GetEnvironmentVariable("KEYPROJECTS_TEST_LOGS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, $"{DateTime.UtcNow:HHmmss}-{Guid.NewGuid():N}.log"), Output);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KeyProjects.sln"))) return dir.FullName;
        throw new InvalidOperationException("KeyProjects.sln not found above the test binaries.");
    }
}
