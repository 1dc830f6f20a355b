using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace KeyProjects.Silo.Storage;

public enum StorageProvider
{
    /// <summary>The embedded default: one SQLite file under the data folder, no server to install.</summary>
    Sqlite,

    /// <summary>Production: PostgreSQL for clustering, grain state and reminders.</summary>
    PostgreSql,
}

/// <summary>Where KeyProjects keeps its state, read once from configuration.</summary>
public sealed record StorageSettings(StorageProvider Provider, string ConnectionString)
{
    public const string ConnectionStringName = "KeyProjects";

    /// <summary>The ADO.NET invariant Orleans' providers use for each store (the SQLite one is served by Microsoft.Data.Sqlite).</summary>
    public string AdoNetInvariant => Provider == StorageProvider.PostgreSql ? "Npgsql" : "System.Data.SQLite";

    /// <summary>
    /// A PostgreSQL connection string <c>ConnectionStrings:KeyProjects</c> selects production mode; otherwise the
    /// embedded file database lives in <c>KeyProjects:DataDirectory</c> (default <c>data</c> under the content root).
    /// </summary>
    public static StorageSettings FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var postgres = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(postgres))
            return new StorageSettings(StorageProvider.PostgreSql, postgres);

        var dataDirectory = Path.GetFullPath(configuration["KeyProjects:DataDirectory"] ?? "data", contentRoot);
        Directory.CreateDirectory(dataDirectory);
        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "keyprojects.db"),
            DefaultTimeout = 30,
            Pooling = true,
        };
        return new StorageSettings(StorageProvider.Sqlite, sqlite.ToString());
    }
}
