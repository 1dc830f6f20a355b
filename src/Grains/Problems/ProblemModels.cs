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
    DateTimeOffset? ClaimDeadline,
    DateTimeOffset? ResolutionDeadline,
    DateTimeOffset LastChangedAt,
    int Version,
    ProblemSeverity Severity,
    LightReading Light,
    bool Overdue,
    int EscalationLevel,
    bool OnMeetingAgenda,
    PauseState Pause,
    int ReturnCount,
    string? ResponsibleLeaderId,
    DateTimeOffset? DispatchedAt)
{
    public bool IsOpen => Status != ProblemStatus.Closed;

    /// <summary>The deadline that runs now: claim while waiting to be claimed, else resolution (none when not with a department).</summary>
    public DateTimeOffset? CurrentDeadline => Status switch
    {
        ProblemStatus.Routed => ClaimDeadline,
        ProblemStatus.InProgress => ResolutionDeadline,
        _ => null,
    };
}

/// <summary>A problem's or project's warning light, why it has that colour, and the rules version that said so.</summary>
[GenerateSerializer, Immutable]
public sealed record LightReading(WarningLight Light, IReadOnlyList<string> Reasons, int RulesVersion)
{
    public static readonly LightReading Green = new(WarningLight.Green, [], 0);
}

public enum PauseState
{
    None,
    Requested,  // 申请暂停计时, awaiting the office
    Paused,     // approved: deadlines do not run
}

/// <summary>A return (退回) by a lead department: who, why, when.</summary>
[GenerateSerializer, Immutable]
public sealed record ProblemReturn(string DepartmentId, ReturnReason Reason, string Text, Actor By, DateTimeOffset At);

/// <summary>A pause request and its decision.</summary>
[GenerateSerializer, Immutable]
public sealed record PauseRecord(Actor RequestedBy, string Reason, DateTimeOffset RequestedAt, bool Approved, Actor? DecidedBy, DateTimeOffset? DecidedAt);

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
    IReadOnlyList<ProblemHistoryEntry> History,
    IReadOnlyList<ProblemReturn> Returns,
    string? RuledOwnerDepartmentId,
    PauseRecord? PauseRequest,
    int PausedWorkingDays,
    IReadOnlyList<string> FormerLeadDepartmentIds,
    DateTimeOffset? DeadlinesCheckedAt,
    DateTimeOffset? NextDeadlineLook = null);

/// <summary>Raise a problem on a project, naming its lead department (牵头单位) and assisting ones (配合单位).</summary>
[GenerateSerializer, Immutable]
public sealed record RaiseProblem(
    string CommandId,
    Actor Actor,
    string ProjectCode,
    string Title,
    string Description,
    ProblemCategory Category,
    string? LeadDepartmentId,
    IReadOnlyList<string> AssistingDepartmentIds,
    DateTimeOffset? ClaimDeadline,
    DateTimeOffset? ResolutionDeadline,
    ProblemSeverity Severity = ProblemSeverity.Normal);

/// <summary>Route or re-route (分办/改派): the office names the lead and assisting departments; the clock restarts.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteProblem(
    string LeadDepartmentId,
    IReadOnlyList<string> AssistingDepartmentIds,
    DateTimeOffset? ClaimDeadline,
    DateTimeOffset? ResolutionDeadline);

/// <summary>What a department's figures learn from one transition (applied once, with the version that caused it).</summary>
[GenerateSerializer, Immutable]
public sealed record DepartmentFact(DepartmentFactKind Kind, TimeSpan Duration, bool OnTime);

public enum DepartmentFactKind
{
    Claimed,
    Closed,
    Returned,
}

[GenerateSerializer, Immutable]
public sealed record ProblemCommandResult(CommandOutcome Outcome, ProblemView? Problem) : ICommandResult<ProblemView>
{
    ProblemView? ICommandResult<ProblemView>.Value => Problem;

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
    public const string Routed = "routed";
    public const string Returned = "returned";
    public const string RulingRequested = "ruling-requested";
    public const string Ruled = "ruled";
    public const string InputPosted = "input-posted";
    public const string PauseRequested = "pause-requested";
    public const string PauseApproved = "pause-approved";
    public const string PauseRejected = "pause-rejected";
    public const string Resumed = "resumed";
    public const string DeadlineWarning = "deadline-warning";
    public const string DeadlineBreached = "deadline-breached";
    public const string EscalatedToLeader = "escalated-to-leader";
    public const string EscalatedToGroup = "escalated-to-group";
    public const string Instructed = "instructed";
}
