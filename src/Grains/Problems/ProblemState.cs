using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Problems;

/// <summary>Stored with System.Text.Json: add properties with defaults, never repurpose one.</summary>
public sealed class ProblemState
{
    public int SchemaVersion { get; set; } = 1;
    public bool Raised { get; set; }
    public string ProjectCode { get; set; } = "";
    public string ProjectName { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public ProblemCategory Category { get; set; }
    public string LeadDepartmentId { get; set; } = "";
    public List<string> AssistingDepartmentIds { get; set; } = [];
    public Actor? RaisedBy { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset ClaimDeadline { get; set; }
    public DateTimeOffset ResolutionDeadline { get; set; }
    public ProblemStatus Status { get; set; }
    public Actor? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public string? Resolution { get; set; }
    public DateTimeOffset? ResolutionSubmittedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int SendBackCount { get; set; }
    public List<ProblemHistoryEntry> History { get; set; } = [];

    /// <summary>The most recent idempotency keys applied (bounded), with the command kind and who sent it.</summary>
    public List<ProcessedCommand> RecentCommands { get; set; } = [];
}

public sealed record ProcessedCommand(string CommandId, string Kind, string UserName);
