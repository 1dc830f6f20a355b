using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;

namespace KeyProjects.Grains.Departments;

/// <summary>A department (部门) or a town/street (镇街) that problems are routed to.</summary>
[GenerateSerializer, Immutable]
public sealed record DepartmentProfile(string Id, string Name, DepartmentKind Kind);

/// <summary>A line in a department's inbox: the problem and whether the department leads, assists or led it before.</summary>
[GenerateSerializer, Immutable]
public sealed record InboxItem(ProblemSummary Problem, Involvement Involvement);

/// <summary>
/// A department's problem-handling figures, kept incrementally: hours from dispatch to claim and to close, the
/// on-time close rate (resolution submitted by its deadline), returns (退回), overdue problems, open supervision orders.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DepartmentFigures(
    string DepartmentId,
    string Name,
    int OpenProblems,
    int Claimed,
    double? AverageHoursToClaim,
    int Closed,
    double? AverageHoursToClose,
    double? OnTimeCloseRate,
    int Returns,
    int Overdue,
    int OpenSupervisionOrders,
    int OverdueDirectives);
