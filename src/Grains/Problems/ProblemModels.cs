using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Problems;

/// <summary>A problem's line in a department's inbox and in a project's problem list.</summary>
[GenerateSerializer, Immutable]
public sealed record ProblemSummary(
    Guid Id,
    string Title,
    string ProjectCode,
    string ProjectName,
    ProblemCategory Category,
    ProblemStatus Status,
    string LeadDepartmentId,
    IReadOnlyList<string> AssistingDepartmentIds,
    DateTimeOffset RaisedAt,
    DateTimeOffset ClaimDeadline,
    DateTimeOffset ResolutionDeadline,
    DateTimeOffset LastChangedAt,
    int Version);

/// <summary>What happened to a problem: one append-only entry per transition (who, when, what changed).</summary>
[GenerateSerializer, Immutable]
public sealed record ProblemHistoryEntry(
    int Sequence,
    DateTimeOffset At,
    Actor Actor,
    string Action,
    ProblemStatus? FromStatus,
    ProblemStatus ToStatus,
    string? Note);

/// <summary>The whole problem as pages and the API show it.</summary>
[GenerateSerializer, Immutable]
public sealed record ProblemView(
    ProblemSummary Summary,
    string Description,
    Actor RaisedBy,
    Actor? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    string? Resolution,
    DateTimeOffset? ResolutionSubmittedAt,
    DateTimeOffset? ClosedAt,
    int SendBackCount,
    IReadOnlyList<ProblemHistoryEntry> History);

/// <summary>Raise a problem on a project, naming its lead department (牵头单位) and assisting ones (配合单位).</summary>
[GenerateSerializer, Immutable]
public sealed record RaiseProblem(
    string CommandId,
    Actor Actor,
    string ProjectCode,
    string Title,
    string Description,
    ProblemCategory Category,
    string LeadDepartmentId,
    IReadOnlyList<string> AssistingDepartmentIds,
    DateTimeOffset? ClaimDeadline,
    DateTimeOffset? ResolutionDeadline);

[GenerateSerializer, Immutable]
public sealed record ProblemCommandResult(CommandOutcome Outcome, ProblemView? Problem)
{
    public static ProblemCommandResult Rejected(CommandOutcome outcome) => new(outcome, null);
}

/// <summary>Action names kept in the history (stable, language-neutral keys; pages translate them).</summary>
public static class ProblemActions
{
    public const string Raised = "raised";
    public const string Claimed = "claimed";
    public const string ResolutionSubmitted = "resolution-submitted";
    public const string Closed = "closed";
    public const string SentBack = "sent-back";
}
