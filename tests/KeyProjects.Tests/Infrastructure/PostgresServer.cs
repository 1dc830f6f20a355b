using Npgsql;
using Testcontainers.PostgreSql;

namespace KeyProjects.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests use, in this order: the connection string in KEYPROJECTS_TEST_POSTGRES; else a
/// Testcontainers container when a Docker engine answers; else a throwaway cluster from the local PostgreSQL
/// binaries. If none can be had the tests fail: they never skip.
/// </summary>
public sealed class PostgresServer
{
    public const string EnvironmentVariable = "KEYPROJECTS_TEST_POSTGRES";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private PostgresServer(string adminConnectionString) => AdminConnectionString = adminConnectionString;

    public string AdminConnectionString { get; }

    public static Task<PostgresServer> Instance => Shared.Value;

    /// <summary>A fresh, empty database for one fixture.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"kp_{purpose}_{Guid.NewGuid():N}".ToLowerInvariant(); // under 63 characters for short purposes
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
            return new PostgresServer(configured);

        Exception? dockerFailure;
        try
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await container.StartAsync(timeout.Token);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new PostgresServer(container.GetConnectionString());
        }
        catch (Exception e)
        {
            dockerFailure = e;
        }

        try
        {
            Console.WriteLine($"PostgreSQL for tests: no Docker engine ({dockerFailure.GetType().Name}: {dockerFailure.Message.Split('\n')[0]}); using the local binaries.");
            return await LocalCluster.StartAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL for the tests: set {EnvironmentVariable}, run a Docker engine, or install PostgreSQL server binaries. " +
                $"Docker: {dockerFailure.Message}. Local binaries: {e.Message}", e);
        }
    }

    /// <summary>A throwaway cluster in a temporary folder, on a free port, stopped when the test run ends.</summary>
    private static class LocalCluster
    {
        public static async Task<PostgresServer> StartAsync()
        {
            var bin = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault() ?? throw new InvalidOperationException("No initdb under /usr/lib/postgresql/*/bin.");

            var dir = Path.Combine(Path.GetTempPath(), $"kp-pg-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dir);
            var port = ProcessRunner.FreeTcpPort();
            var asRoot = Environment.UserName == "root";
            if (asRoot) await ProcessRunner.Run("chown", ["postgres:postgres", dir]);

            Task<string> AsOwner(string tool, params string[] args) => asRoot
                ? ProcessRunner.Run("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args], dir)
                : ProcessRunner.Run(Path.Combine(bin, tool), args, dir);

            var data = Path.Combine(dir, "data");
            await AsOwner("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
            await AsOwner("pg_ctl", "-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "120",
                "-o", $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off", "start");
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                AsOwner("pg_ctl", "-D", data, "-m", "immediate", "stop").GetAwaiter().GetResult();
                Directory.Delete(dir, recursive: true);
            };
            return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true");
        }
    }
}
