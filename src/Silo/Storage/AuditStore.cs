using Dapper;
using KeyProjects.Silo.ReadModel;
using static KeyProjects.Silo.ReadModel.Database;

namespace KeyProjects.Silo.Storage;

/// <summary>One line of the audit log: when, who (the user name tried or signed in), what, on whom or what, how it ended, from where.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Kind, string Subject, string Outcome, string Address, string Detail);

/// <summary>The audit log's table (kp_audit): appended to, never changed; read newest first, by actor and kind.</summary>
public sealed class AuditStore(StorageSettings storage)
{
    public const int TextMaxLength = 256;

    public async Task Append(DateTimeOffset at, string actor, string kind, string subject, string outcome, string address, string detail)
    {
        await using var connection = Open(storage);
        await connection.ExecuteAsync("""
            INSERT INTO kp_audit (at, actor, kind, subject, outcome, address, detail)
            VALUES (@at, @actor, @kind, @subject, @outcome, @address, @detail)
            """,
            new { at = Millis(at), actor = Cut(actor), kind = Cut(kind), subject = Cut(subject), outcome, address = address.Length > 64 ? address[..64] : address, detail });
    }

    /// <summary>A page of the log, newest first: of one actor (exactly), of kinds starting with a prefix ("sign-in", "user.").</summary>
    public async Task<Page<AuditEntry>> Query(string? actor, string? kind, int offset, int limit)
    {
        var where = new List<string>();
        if (!string.IsNullOrEmpty(actor)) where.Add("actor = @actor");
        if (!string.IsNullOrEmpty(kind)) where.Add("kind LIKE @kind");
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        var args = new { actor, kind = kind?.Replace("%", "").Replace("_", "") + "%", offset, limit };
        await using var connection = Open(storage);
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM kp_audit {filter}", args);
        var rows = await connection.QueryAsync<(long Id, long At, string Actor, string Kind, string Subject, string Outcome, string Address, string Detail)>(
            $"SELECT id, at, actor, kind, subject, outcome, address, detail FROM kp_audit {filter} ORDER BY id DESC LIMIT @limit OFFSET @offset", args);
        return new Page<AuditEntry>(rows.Select(r => new AuditEntry(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.Actor, r.Kind, r.Subject, r.Outcome, r.Address, r.Detail)).ToList(),
            total, offset, limit);
    }

    private static string Cut(string text) => text.Length > TextMaxLength ? text[..TextMaxLength] : text;
}
