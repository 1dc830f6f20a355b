using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KeyProjects.Grains.Events;

namespace KeyProjects.Silo.EventLog;

/// <summary>
/// An event as stored in kp_events, and its place in its stream's hash chain: the hash covers the previous event's
/// hash and every stored field, so changing, removing or reordering an event breaks the chain from there on.
/// </summary>
public sealed record StoredEvent
{
    public long Position { get; init; }
    public string Stream { get; init; } = "";
    public long Sequence { get; init; }
    public string Kind { get; init; } = "";
    public string Actor { get; init; } = "";
    public string ActorName { get; init; } = "";
    public string AtUtc { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? ProjectCode { get; init; }
    public string? DepartmentId { get; init; }
    public string Concerns { get; init; } = "";
    public string Title { get; init; } = "";
    public string Data { get; init; } = "";
    public string PrevHash { get; init; } = "";
    public string Hash { get; init; } = "";

    /// <summary>The hash a stream's first event chains to.</summary>
    public static readonly string Genesis = new('0', 64);

    public static StoredEvent From(long position, DomainEvent e, string prevHash)
    {
        var c = e.Concerns;
        var stored = new StoredEvent
        {
            Position = position, Stream = e.Stream, Sequence = e.Sequence, Kind = e.Kind, Actor = e.ActorUserName, ActorName = e.ActorName,
            AtUtc = e.At.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), Subject = c.Subject,
            ProjectCode = c.ProjectCode, DepartmentId = c.DepartmentId, Concerns = JsonSerializer.Serialize(c, EventJson.Options),
            Title = c.Title, Data = e.Data, PrevHash = prevHash,
        };
        return stored with { Hash = stored.ComputeHash() };
    }

    public string ComputeHash()
    {
        var text = string.Join('\n', PrevHash, Stream, Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Kind,
            Actor, ActorName, AtUtc, Subject, ProjectCode ?? "", DepartmentId ?? "", Concerns, Title, Data);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public DateTimeOffset At => DateTimeOffset.Parse(AtUtc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);

    public LoggedEvent ToLogged() => new(Position, new DomainEvent(
        Stream, Sequence, Kind, Actor, ActorName, At, JsonSerializer.Deserialize<EventConcerns>(Concerns, EventJson.Options)!, Data));
}
