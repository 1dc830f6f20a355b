using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Notifications;

namespace KeyProjects.Grains.Meetings;

/// <summary>会议: 周调度, 月通报, 联席会议, 现场办公会, 观摩.</summary>
public enum MeetingKind
{
    WeeklyDispatch,   // 周调度
    MonthlyReport,    // 月通报
    JointMeeting,     // 联席会议
    OnSiteOffice,     // 现场办公会
    InspectionTour,   // 观摩
}

public enum MeetingStatus
{
    Planned,  // 筹备中: the office prepares the agenda
    Live,     // 进行中: the presenter moves through the agenda on the big screen
    Closed,   // 已结束: the minutes are drafted, edited and approved
}

/// <summary>What an agenda item is about.</summary>
public enum AgendaItemKind
{
    Problem,    // a coordination problem
    Directive,  // a supervision order or instruction
    Decision,   // a decision of the series' previous meeting
    Other,      // an item the office added by hand
}

/// <summary>Why an item is on the agenda.</summary>
public enum AgendaSource
{
    Escalated,     // 已提报: escalated to a leader or the group
    RedProblem,    // 红灯问题
    OverdueOrder,  // 超期督办
    OpenDecision,  // 上次会议议定、尚未办结
    Added,         // 办公室添加
}

/// <summary>What a decision becomes: a problem routed to a lead department, or an order / instruction.</summary>
public enum DecisionKind
{
    Problem,
    SupervisionOrder,
    Instruction,
}

public enum MinutesStatus
{
    NotYet,    // the meeting has not closed
    Draft,     // 草稿: the office edits it
    Approved,  // 已审定: kept with the meeting, exported as .docx
}

/// <summary>
/// One agenda item. Its id names its subject ("problem:{id}", "directive:{id}", "decision:{work id}"), or "item:{n}"
/// for an item added by hand.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AgendaItem(
    string Id,
    AgendaItemKind Kind,
    AgendaSource Source,
    string? SubjectId,
    string Title,
    string? ProjectCode,
    string? DepartmentId,
    string? Note);

/// <summary>A department's status on an agenda item, posted during the meeting from its own device.</summary>
[GenerateSerializer, Immutable]
public sealed record StatusPost(int Sequence, string ItemId, string DepartmentId, string ActorName, string Text, DateTimeOffset At);

/// <summary>议定事项: recorded on an item, it is tracked work (a problem or a directive: <see cref="WorkId"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record Decision(
    int Sequence,
    string ItemId,
    DecisionKind Kind,
    string Text,
    string DepartmentId,
    DateTimeOffset Deadline,
    Guid WorkId,
    string RecordedByName,
    DateTimeOffset At)
{
    /// <summary>The page of the work the decision became.</summary>
    public string Link => Kind == DecisionKind.Problem ? $"/problems/{WorkId}" : $"/directives/{WorkId}";
}

/// <summary>Who took part (from their own device or the presenter's), first seen when.</summary>
[GenerateSerializer, Immutable]
public sealed record Attendee(string UserName, string Name, Role Role, string? DepartmentId, DateTimeOffset Joined);

/// <summary>Someone connected to the meeting right now.</summary>
[GenerateSerializer, Immutable]
public sealed record PresentEntry(string UserName, string Name, Role Role, string? DepartmentId);

[GenerateSerializer, Immutable]
public sealed record MeetingSummary(
    Guid Id,
    MeetingKind Kind,
    string Title,
    string Series,
    DateTimeOffset ScheduledAt,
    string Place,
    string Chair,
    MeetingStatus Status,
    IReadOnlyList<string> AttendeeDepartmentIds,
    IReadOnlyList<string> AttendeeLeaders,
    IReadOnlyList<string> AgendaDepartmentIds,
    string? CurrentItemId,
    string? Presenter,
    string? PresenterName,
    int AgendaCount,
    int DecisionCount,
    MinutesStatus Minutes,
    Guid? PreviousMeetingId,
    DateTimeOffset? StartedAt,
    DateTimeOffset? ClosedAt,
    int Version);

[GenerateSerializer, Immutable]
public sealed record MeetingView(
    MeetingSummary Summary,
    IReadOnlyList<AgendaItem> Agenda,
    IReadOnlyList<StatusPost> Posts,
    IReadOnlyList<Decision> Decisions,
    IReadOnlyList<Attendee> Attendance,
    IReadOnlyList<PresentEntry> Present,
    string? MinutesText,
    string? MinutesApprovedBy,
    DateTimeOffset? MinutesApprovedAt)
{
    public AgendaItem? Current => Agenda.FirstOrDefault(i => i.Id == Summary.CurrentItemId);
}

/// <summary>Prepare a meeting: its facts and the agenda the office starts from.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleMeeting(
    string CommandId,
    Actor Actor,
    MeetingKind Kind,
    string Title,
    string Series,
    DateTimeOffset ScheduledAt,
    string Place,
    string Chair,
    IReadOnlyList<string> AttendeeDepartmentIds,
    IReadOnlyList<string> AttendeeLeaders,
    IReadOnlyList<AgendaItem> Agenda,
    Guid? PreviousMeetingId);

/// <summary>
/// A decision whose work is being created: written before the work grain is called, so that a retry (or the meeting's
/// next activation) finishes it exactly as it was asked, whatever happened since.
/// </summary>
[GenerateSerializer]
public sealed record PendingDecision(RecordDecision Command, string ItemId, string? ProjectCode, Guid WorkId, DateTimeOffset At);

/// <summary>Record a decision on an agenda item (the current one when none is named).</summary>
[GenerateSerializer, Immutable]
public sealed record RecordDecision(
    string CommandId,
    Actor Actor,
    string? ItemId,
    DecisionKind Kind,
    string Text,
    string DepartmentId,
    DateTimeOffset Deadline,
    ProblemCategory Category = ProblemCategory.Other,
    string? ProjectCode = null);

[GenerateSerializer, Immutable]
public sealed record MeetingCommandResult(CommandOutcome Outcome, MeetingView? Meeting) : ICommandResult<MeetingView>
{
    MeetingView? ICommandResult<MeetingView>.Value => Meeting;

    public static MeetingCommandResult Rejected(CommandOutcome outcome) => new(outcome, null);
}

/// <summary>The payload of every meeting event: the summary after the change, the action, the item, the note.</summary>
public sealed record MeetingChanged(
    MeetingSummary Meeting,
    string Action,
    string? ItemId,
    string? Note,
    IReadOnlyList<string> Notify,
    Notification? Notification);
