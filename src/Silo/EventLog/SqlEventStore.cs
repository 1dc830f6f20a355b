using System.Data.Common;
using Dapper;
using KeyProjects.Grains.Events;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace KeyProjects.Silo.EventLog;

/// <summary>
/// The event log in the grains' database (PostgreSQL, or the embedded SQLite file). One transaction per append:
/// positions after the head, each event chained to the last one of its stream, the read model applied with its
/// checkpoint. On PostgreSQL an advisory lock serialises appenders (a second activation of the log grain during a
/// silo failover waits rather than racing for positions); on SQLite the write transaction does the same.
/// </summary>
public sealed class SqlEventStore(StorageSettings storage) : IEventStore
{
    private const long AppendLockKey = 0x4B50_4556_454E_5453; // "KPEVENTS"
    private const string Columns = "position, stream, sequence, kind, actor, actor_name, at_utc, subject, project_code, department_id, concerns, title, data, prev_hash, hash";

    /// <summary>The columns under the names of <see cref="StoredEvent"/>'s constructor, in its order.</summary>
    public const string SelectEvents = "SELECT position AS Position, stream AS Stream, sequence AS Sequence, kind AS Kind, actor AS Actor, "
        + "actor_name AS ActorName, at_utc AS AtUtc, subject AS Subject, project_code AS ProjectCode, department_id AS DepartmentId, "
        + "concerns AS Concerns, title AS Title, data AS Data, prev_hash AS PrevHash, hash AS Hash FROM kp_events";

    private sealed class StreamHead
    {
        public long Sequence { get; set; }
        public string Hash { get; set; } = "";
    }

    private Guid? _epoch;

    public async Task<IReadOnlyList<LoggedEvent>> Append(IReadOnlyList<DomainEvent> events)
    {
        await using var connection = Database.Open(storage);
        await connection.OpenAsync();
        await using var tx = await Begin(connection);
        if (storage.Provider == StorageProvider.PostgreSql)
            await connection.ExecuteAsync($"SELECT pg_advisory_xact_lock({AppendLockKey})", transaction: tx);

        var head = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(position), 0) FROM kp_events", transaction: tx);
        var latest = new Dictionary<string, (long Sequence, string Hash)>(StringComparer.Ordinal);
        var appended = new List<StoredEvent>();
        foreach (var e in events)
        {
            if (!latest.TryGetValue(e.Stream, out var last))
            {
                var row = await connection.QueryFirstOrDefaultAsync<StreamHead>(
                    "SELECT sequence AS Sequence, hash AS Hash FROM kp_events WHERE stream = @stream ORDER BY sequence DESC LIMIT 1", new { stream = e.Stream }, tx);
                last = row is null ? (0, StoredEvent.Genesis) : (row.Sequence, row.Hash);
            }
            // A stream's events reach the log in order, so one at or below the stream's latest is already here.
            if (e.Sequence <= last.Sequence) continue;
            var stored = StoredEvent.From(head + 1, e, last.Hash);
            await connection.ExecuteAsync($"INSERT INTO kp_events ({Columns}) VALUES (@Position, @Stream, @Sequence, @Kind, @Actor, @ActorName, @AtUtc, @Subject, @ProjectCode, @DepartmentId, @Concerns, @Title, @Data, @PrevHash, @Hash)", stored, tx);
            head++;
            latest[e.Stream] = (e.Sequence, stored.Hash);
            appended.Add(stored);
        }

        var logged = appended.Select(s => s.ToLogged()).ToList();
        if (logged.Count > 0) await Projection.Apply(connection, tx, logged);
        await tx.CommitAsync();
        return logged;
    }

    public async Task<Guid> Epoch()
    {
        if (_epoch is { } known) return known;
        await using var connection = Database.Open(storage);
        var value = await connection.ExecuteScalarAsync<string>("SELECT value FROM kp_log_meta WHERE key = 'epoch'");
        return (_epoch = Guid.Parse(value!)).Value;
    }

    public async Task<long> Head()
    {
        await using var connection = Database.Open(storage);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(position), 0) FROM kp_events");
    }

    public async Task<IReadOnlyList<LoggedEvent>> ReadAfter(long position, int max)
    {
        await using var connection = Database.Open(storage);
        var rows = await connection.QueryAsync<StoredEvent>(
            $"{SelectEvents} WHERE position > @position ORDER BY position LIMIT @max", new { position, max });
        return rows.Select(r => r.ToLogged()).ToList();
    }


    private static async Task<DbTransaction> Begin(DbConnection connection) => connection is SqliteConnection sqlite
        ? sqlite.BeginTransaction(deferred: false) // BEGIN IMMEDIATE: the write lock up front
        : await connection.BeginTransactionAsync();
}
