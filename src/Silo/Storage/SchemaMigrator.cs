using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KeyProjects.Silo.Storage;

/// <summary>
/// Applies KeyProjects' versioned schema (deploy/schema/&lt;provider&gt;/NNNN_name.sql, embedded in this assembly).
/// Idempotent: each script runs once, in a transaction, recorded in kp_schema_migrations. On PostgreSQL an advisory
/// lock lets several silos start at once; on SQLite the write transaction does the same.
/// </summary>
public static class SchemaMigrator
{
    private const long AdvisoryLockKey = 0x4B50_5343_4845_4D41; // "KPSCHEMA"

    public sealed record Script(int Version, string Name, string Sql);

    public static IReadOnlyList<Script> Scripts(StorageProvider provider)
    {
        var folder = provider == StorageProvider.PostgreSql ? "postgresql" : "sqlite";
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Schema.{folder}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^4];
                var version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Script(version, name, reader.ReadToEnd());
            })
            .OrderBy(s => s.Version)
            .ToList();
    }

    /// <summary>Applies the scripts not yet applied; returns the names of those it applied.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(StorageSettings storage, ILogger? logger = null, CancellationToken ct = default)
    {
        var applied = new List<string>();
        await using var connection = Open(storage);
        await connection.OpenAsync(ct);
        if (storage.Provider == StorageProvider.Sqlite)
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", ct);

        foreach (var script in Scripts(storage.Provider))
        {
            // SQLite: BEGIN IMMEDIATE (deferred: false) takes the write lock up front, like the advisory lock below.
            await using DbTransaction tx = storage.Provider == StorageProvider.Sqlite
                ? ((SqliteConnection)connection).BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(ct);
            if (storage.Provider == StorageProvider.PostgreSql)
                await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey});", ct);
            await ExecuteAsync(connection, tx,
                "CREATE TABLE IF NOT EXISTS kp_schema_migrations (version integer PRIMARY KEY, name varchar(200) NOT NULL, applied_at varchar(40) NOT NULL);", ct);

            await using (var check = connection.CreateCommand())
            {
                check.Transaction = tx;
                check.CommandText = $"SELECT count(*) FROM kp_schema_migrations WHERE version = {script.Version}";
                if (Convert.ToInt64(await check.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    await tx.CommitAsync(ct);
                    continue;
                }
            }

            await ExecuteAsync(connection, tx, script.Sql, ct);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO kp_schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)";
                AddParameter(record, "v", script.Version);
                AddParameter(record, "n", script.Name);
                AddParameter(record, "t", DateTimeOffset.UtcNow.ToString("O"));
                await record.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            applied.Add(script.Name);
            logger?.LogInformation("Applied schema script {Script} to {Provider}", script.Name, storage.Provider);
        }
        return applied;
    }

    public static DbConnection Open(StorageSettings storage) => storage.Provider == StorageProvider.PostgreSql
        ? new NpgsqlConnection(storage.ConnectionString)
        : new SqliteConnection(storage.ConnectionString);

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
