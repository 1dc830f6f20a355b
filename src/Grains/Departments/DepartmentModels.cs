using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;

namespace KeyProjects.Grains.Departments;

/// <summary>
/// A department (部门) or a town/street (镇街) that problems are routed to. A retired unit (撤销) keeps its name on
/// everything it handled and takes no new work.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DepartmentProfile(string Id, string Name, DepartmentKind Kind, bool Retired = false);

/// <summary>
/// A unit as administration sees it: its profile, its duty list (职责清单, one duty a line, used to propose a lead
/// department for a problem), and when, by whom and why it was retired.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DepartmentView(
    DepartmentProfile Profile,
    IReadOnlyList<string> Duties,
    DateTimeOffset? RetiredAt,
    string? RetiredByName,
    string? RetiredReason,
    int Version);

/// <summary>A unit's change, as its event carries it: the unit after it, what changed, the name it had before.</summary>
public sealed record DepartmentChanged(DepartmentView Department, string Action, string? FormerName);

/// <summary>A command on a unit and the unit after it.</summary>
[GenerateSerializer, Immutable]
public sealed record DepartmentCommandResult(CommandOutcome Outcome, DepartmentView? Department) : ICommandResult<DepartmentView>
{
    DepartmentView? ICommandResult<DepartmentView>.Value => Department;

    public static DepartmentCommandResult Rejected(CommandOutcome outcome) => new(outcome, null);
}

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
