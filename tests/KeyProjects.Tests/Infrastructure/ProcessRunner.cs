using System.Diagnostics;
using System.Text;

namespace KeyProjects.Tests.Infrastructure;

public static class ProcessRunner
{
    /// <summary>Runs a command to completion; a non-zero exit is an exception carrying its output.</summary>
    public static async Task<string> Run(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var (exitCode, output) = await RunForExitCode(file, args, workingDirectory);
        if (exitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {exitCode}:\n{output}");
        return output;
    }

    /// <summary>Runs a command to completion and returns its exit code and output (stdout then stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunForExitCode(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range (32768 and up on Linux): a port from that range can be taken as
    /// the local port of an outgoing connection (to PostgreSQL, between silo and client, from a test's HTTP client)
    /// between the moment it is chosen and the moment a process — or the same process after a restart — binds it.
    /// </summary>
    public static int FreeTcpPort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 100)
            {
                // taken: another one
            }
        }
    }
}
