using Dapper;
using KeyProjects.Silo.Storage;

namespace KeyProjects.Silo.EventLog;

/// <summary>The first event whose chain does not hold, and why.</summary>
public sealed record BrokenEvent(long Position, string Stream, long Sequence, string Reason);

/// <summary>What a verification of the whole log found.</summary>
public sealed record AuditReport(long Events, int Streams, BrokenEvent? FirstBroken)
{
    public bool Verified => FirstBroken is null;
}

/// <summary>
/// Verifies every stream's hash chain in the event log: each event's hash is recomputed from its fields and the
/// previous event's hash, and each event must name that previous hash. Names the first event where it breaks.
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditReport> VerifyAsync(StorageSettings storage, CancellationToken ct = default)
    {
        await using var connection = SchemaMigrator.Open(storage);
        await connection.OpenAsync(ct);
        string? stream = null;
        var previous = StoredEvent.Genesis;
        long events = 0;
        var streams = 0;
        BrokenEvent? broken = null;
        await foreach (var e in connection.QueryUnbufferedAsync<StoredEvent>($"{SqlEventStore.SelectEvents} ORDER BY stream, sequence").WithCancellation(ct))
        {
            events++;
            if (e.Stream != stream)
            {
                (stream, previous) = (e.Stream, StoredEvent.Genesis);
                streams++;
            }
            var reason = e.PrevHash != previous ? "it does not follow the previous event of its stream"
                : e.ComputeHash() != e.Hash ? "its content does not match its hash"
                : null;
            if (reason is not null && (broken is null || e.Position < broken.Position))
                broken = new BrokenEvent(e.Position, e.Stream, e.Sequence, reason);
            previous = e.Hash;
        }
        return new AuditReport(events, streams, broken);
    }
}
