using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Directives;

/// <summary>督办单 (supervision order, from the leadership or the office) or 批示 (a leader's instruction).</summary>
public enum DirectiveKind
{
    SupervisionOrder,
    Instruction,
}

public enum DirectiveStatus
{
    Open,       // 待反馈: the department must respond by the deadline
    Responded,  // 已反馈: waiting for the issuer to accept it or send it back
    Accepted,   // 已办结
}

/// <summary>Issue a directive on a problem or a project to a department. Exactly one of ProblemId and ProjectCode.</summary>
[GenerateSerializer, Immutable]
public sealed record IssueDirective(
    string CommandId,
    Actor Actor,
    DirectiveKind Kind,
    Guid? ProblemId,
    string? ProjectCode,
    string DepartmentId,
    string Text,
    string? FeedbackRequired,
    DateTimeOffset? Deadline);

/// <summary>A directive's line on a department's desk and in the leadership's list.</summary>
[GenerateSerializer, Immutable]
public sealed record DirectiveSummary(
    Guid Id,
    DirectiveKind Kind,
    DirectiveStatus Status,
    Guid? ProblemId,
    string? ProjectCode,
    string SubjectTitle,
    string DepartmentId,
    string Text,
    string IssuedBy,
    string IssuedByName,
    DateTimeOffset IssuedAt,
    DateTimeOffset Deadline,
    int Version)
{
    public bool IsOpen => Status != DirectiveStatus.Accepted;
    public bool IsOverdue(DateTimeOffset now) => Status == DirectiveStatus.Open && now > Deadline;
}

[GenerateSerializer, Immutable]
public sealed record DirectiveHistoryEntry(int Sequence, DateTimeOffset At, Actor Actor, string Action, string? Note);

[GenerateSerializer, Immutable]
public sealed record DirectiveView(DirectiveSummary Summary, string? FeedbackRequired, string? Feedback, IReadOnlyList<DirectiveHistoryEntry> History, bool Overdue);

[GenerateSerializer, Immutable]
public sealed record DirectiveCommandResult(CommandOutcome Outcome, DirectiveView? Directive) : ICommandResult<DirectiveView>
{
    DirectiveView? ICommandResult<DirectiveView>.Value => Directive;

    public static DirectiveCommandResult Rejected(CommandOutcome outcome) => new(outcome, null);
}

/// <summary>The payload of every directive event: its summary after the change, the action, the note, who is told.</summary>
public sealed record DirectiveChanged(
    DirectiveSummary Directive,
    string Action,
    string? Note,
    IReadOnlyList<string> Notify,
    KeyProjects.Grains.Notifications.Notification? Notification);
