using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;

namespace KeyProjects.Grains.Problems;

/// <summary>Stored with System.Text.Json: add properties with defaults, never repurpose one.</summary>
public sealed class ProblemState
{
    public int SchemaVersion { get; set; } = 2;
    public bool Raised { get; set; }
    public string ProjectCode { get; set; } = "";
    public string ProjectName { get; set; } = "";
    public string? ResponsibleLeaderId { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public ProblemCategory Category { get; set; }
    public ProblemSeverity Severity { get; set; }
    public string LeadDepartmentId { get; set; } = "";
    public List<string> AssistingDepartmentIds { get; set; } = [];
    public List<string> FormerLeadDepartmentIds { get; set; } = [];
    public Actor? RaisedBy { get; set; }
    public DateTimeOffset RaisedAt { get; set; }

    /// <summary>When the current lead department was given the problem: the deadlines' clock starts here.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset? ClaimDeadline { get; set; }
    public DateTimeOffset? ResolutionDeadline { get; set; }
    public ProblemStatus Status { get; set; }
    public Actor? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public string? Resolution { get; set; }
    public DateTimeOffset? ResolutionSubmittedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int SendBackCount { get; set; }

    public List<ProblemReturn> Returns { get; set; } = [];
    /// <summary>Named by the office's ruling after a second return: this department can no longer return it.</summary>
    public string? RuledOwnerDepartmentId { get; set; }

    public PauseRecord? PauseRequest { get; set; }
    public int PausedWorkingDays { get; set; }

    public DateTimeOffset? ClaimWarnedAt { get; set; }
    public DateTimeOffset? ClaimBreachedAt { get; set; }
    public DateTimeOffset? ResolutionWarnedAt { get; set; }
    public DateTimeOffset? ResolutionBreachedAt { get; set; }
    /// <summary>0 none; 1 the responsible leader (包联领导) was alerted; 2 the leadership group.</summary>
    public int EscalationLevel { get; set; }
    /// <summary>The deadline whose breach started the escalation; the group is alerted a set period after it.</summary>
    public DateTimeOffset? EscalationDeadline { get; set; }
    public bool OnMeetingAgenda { get; set; }
    /// <summary>When the deadline reminder next looks at the clock; null when no deadline runs (no reminder).</summary>
    public DateTimeOffset? NextDeadlineLook { get; set; }
    public LightReading Light { get; set; } = LightReading.Green;

    public List<ProblemHistoryEntry> History { get; set; } = [];

    /// <summary>The most recent idempotency keys applied (bounded), with the command kind and who sent it.</summary>
    public List<ProcessedCommand> RecentCommands { get; set; } = [];

    /// <summary>Events written with the state and not yet confirmed in the event log (the outbox).</summary>
    public List<DomainEvent> Outbox { get; set; } = [];

    public PauseState PauseState => PauseRequest is null ? PauseState.None : PauseRequest.Approved ? PauseState.Paused : PauseState.Requested;
}
