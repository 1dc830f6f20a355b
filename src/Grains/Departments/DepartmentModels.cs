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

/// <summary>The desk's order of urgency: open before closed, red before yellow before green, nearest deadline first.</summary>
public sealed class DeskOrder : IComparer<InboxItem>
{
    public static readonly DeskOrder Instance = new();

    public int Compare(InboxItem? x, InboxItem? y)
    {
        if (x is null || y is null) return Comparer<object>.Default.Compare(x, y);
        return Key(x).CompareTo(Key(y));
    }

    private static (int, int, int, DateTimeOffset) Key(InboxItem i) => (
        i.Involvement == Involvement.Former ? 1 : 0,
        i.Problem.IsOpen ? 0 : 1,
        -(int)(i.Problem.Light?.Light ?? WarningLight.Green),
        i.Problem.CurrentDeadline ?? DateTimeOffset.MaxValue);
}
