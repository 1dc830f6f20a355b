using System.Text.Json;
using System.Text.Json.Serialization;

namespace KeyProjects.Grains.Events;

/// <summary>
/// One change of an aggregate, as its grain produced it: the stream is the aggregate ("problem-{id}"), the sequence
/// counts that stream's changes from 1. <see cref="Data"/> is the change as JSON (the aggregate's summary after it,
/// what it changed from, who is told). Written in the aggregate's state with the change (the outbox) and handed to the
/// event log until the log has it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DomainEvent(
    string Stream,
    long Sequence,
    string Kind,
    string ActorUserName,
    string ActorName,
    DateTimeOffset At,
    EventConcerns Concerns,
    string Data);

/// <summary>Whom an event concerns, so a screen can tell whether to look: its subject, project, departments, leader.</summary>
[GenerateSerializer, Immutable]
public sealed record EventConcerns(
    string Subject,
    string? ProjectCode,
    string? DepartmentId,
    IReadOnlyList<string> Departments,
    string? LeaderId,
    string Title,
    IReadOnlyList<string> Mailboxes);

/// <summary>An event as the log numbered it.</summary>
[GenerateSerializer, Immutable]
public sealed record LoggedEvent(long Position, DomainEvent Event);

/// <summary>The streams of each aggregate kind.</summary>
public static class Streams
{
    public const string Problem = "problem";
    public const string Directive = "directive";
    public const string Project = "project";
    public const string Meeting = "meeting";
    public const string Report = "report";
    public const string Ranking = "ranking";
    public const string Factor = "factor";
    public const string Department = "department";
    public const string Leadership = "leadership";
    public const string Settings = "settings";
    public const string Accounts = "accounts";
    public const string Kiosk = "kiosk";

    public static string Of(string aggregate, string id) => aggregate + "-" + id;

    /// <summary>The aggregate kind of a stream ("problem" of "problem-…").</summary>
    public static string AggregateOf(string stream) => stream[..stream.IndexOf('-', StringComparison.Ordinal)];
}

/// <summary>
/// How event payloads are written: System.Text.Json, web names, enums by name, Chinese as it reads (not \uXXXX: an
/// event waiting in a grain's outbox is stored in its state, and the log is read by people).
/// </summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write<T>(T payload) => JsonSerializer.Serialize(payload, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidOperationException($"An event payload of {typeof(T).Name} is empty.");
}
