using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;

namespace KeyProjects.Grains.Departments;

/// <summary>A department (部门) or a town/street (镇街) that problems are routed to.</summary>
[GenerateSerializer, Immutable]
public sealed record DepartmentProfile(string Id, string Name, DepartmentKind Kind);

/// <summary>A line in a department's inbox: the problem and whether the department leads or assists.</summary>
[GenerateSerializer, Immutable]
public sealed record InboxItem(ProblemSummary Problem, Involvement Involvement);
