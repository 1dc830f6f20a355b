using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Notifications;

namespace KeyProjects.Grains.Problems;

/// <summary>How a department is involved in a problem now.</summary>
public sealed record DepartmentInvolvement(string DepartmentId, Involvement Involvement);

/// <summary>
/// The payload of every problem event: the problem's summary after the change, the status it came from, the note,
/// the departments involved now, what the departments' figures learn (once, with this event), and who is told.
/// </summary>
public sealed record ProblemChanged(
    ProblemSummary Problem,
    ProblemStatus? From,
    string? Note,
    IReadOnlyList<DepartmentInvolvement> Departments,
    DepartmentFact? LeadFact,
    string? FormerLead,
    DepartmentFact? FormerFact,
    IReadOnlyList<string> Notify,
    Notification? Notification);
