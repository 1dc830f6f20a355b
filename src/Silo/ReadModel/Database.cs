using System.Data.Common;
using KeyProjects.Silo.Storage;

namespace KeyProjects.Silo.ReadModel;

public static class Database
{
    /// <summary>A new (closed) connection to the grains' database; Dapper opens it when it is used.</summary>
    public static DbConnection Open(StorageSettings storage) => SchemaMigrator.Open(storage);

    /// <summary>Read-model times are Unix milliseconds (one comparable form on PostgreSQL and SQLite).</summary>
    public static long Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? Millis(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    /// <summary>"column is one of the list parameter": an array parameter on PostgreSQL, a list Dapper expands on SQLite.</summary>
    public static string In(StorageSettings storage, string column, string parameter) =>
        storage.Provider == StorageProvider.PostgreSql ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>Read-model days are ISO text (yyyy-MM-dd): compared as text, in order on both databases.</summary>
    public static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A running deadline for sorting: no deadline sorts after every deadline (and an index can keep the order).</summary>
    public static long NoDeadline(DateTimeOffset? deadline) => deadline?.ToUnixTimeMilliseconds() ?? long.MaxValue;
}
