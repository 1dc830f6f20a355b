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

    /// <summary>A running deadline for sorting: no deadline sorts after every deadline (and an index can keep the order).</summary>
    public static long NoDeadline(DateTimeOffset? deadline) => deadline?.ToUnixTimeMilliseconds() ?? long.MaxValue;
}
