using Orleans.Concurrency;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using Orleans.Runtime;

namespace KeyProjects.Grains.Departments;

public sealed class DepartmentState
{
    public DepartmentProfile? Profile { get; set; }
    public Dictionary<Guid, InboxItem> Inbox { get; set; } = [];
    public Dictionary<Guid, DirectiveSummary> Directives { get; set; } = [];
    public FigureTotals Totals { get; set; } = new();
}

/// <summary>Running totals behind a department's figures, updated once per problem transition.</summary>
public sealed class FigureTotals
{
    public int Claimed { get; set; }
    public double ClaimHours { get; set; }
    public int Closed { get; set; }
    public double CloseHours { get; set; }
    public int ClosedOnTime { get; set; }
    public int Returns { get; set; }
}

/// <summary>Reentrant: every method changes state before its first await, and writes go through one group commit.</summary>
[Reentrant]
public sealed class DepartmentGrain(
    [PersistentState("department")] IPersistentState<DepartmentState> state,
    TimeProvider clock) : Grain, IDepartmentGrain
{
    private GroupCommit<DepartmentState>? _groupCommit;
    private GroupCommit<DepartmentState> Writes => _groupCommit ??= new(this, state);

    private DepartmentState S => state.State;

    public async Task<CommandOutcome> Register(Actor actor, DepartmentProfile profile)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("department.register_forbidden", "Only the command office registers departments.");
        if (!string.Equals(profile.Id, this.GetPrimaryKeyString(), StringComparison.Ordinal))
            return CommandOutcome.Invalid("id", "department.id_mismatch", "The profile's id does not match the department.");
        await Writes.Change(() => S.Profile = profile);
        await GrainFactory.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).TrackDepartment(profile);
        return CommandOutcome.Ok;
    }

    public Task<DepartmentProfile?> GetProfile() => Task.FromResult(S.Profile);

    public Task<IReadOnlyList<InboxItem>> GetInbox() =>
        Task.FromResult<IReadOnlyList<InboxItem>>(S.Inbox.Values.OrderBy(i => i, DeskOrder.Instance).ToList());

    public Task<IReadOnlyList<DirectiveSummary>> GetDirectives() =>
        Task.FromResult<IReadOnlyList<DirectiveSummary>>(S.Directives.Values
            .OrderBy(d => d.Status == DirectiveStatus.Accepted).ThenBy(d => d.Deadline).ToList());

    public Task<DepartmentFigures> GetFigures()
    {
        var t = S.Totals;
        var now = clock.GetUtcNow();
        var lead = S.Inbox.Values.Where(i => i.Involvement == Involvement.Lead).Select(i => i.Problem).ToList();
        return Task.FromResult(new DepartmentFigures(
            this.GetPrimaryKeyString(), S.Profile?.Name ?? "",
            OpenProblems: lead.Count(p => p.IsOpen),
            Claimed: t.Claimed,
            AverageHoursToClaim: t.Claimed == 0 ? null : Math.Round(t.ClaimHours / t.Claimed, 1),
            Closed: t.Closed,
            AverageHoursToClose: t.Closed == 0 ? null : Math.Round(t.CloseHours / t.Closed, 1),
            OnTimeCloseRate: t.Closed == 0 ? null : Math.Round((double)t.ClosedOnTime / t.Closed, 3),
            Returns: t.Returns,
            Overdue: lead.Count(p => p.Overdue),
            OpenSupervisionOrders: S.Directives.Values.Count(d => d.Kind == DirectiveKind.SupervisionOrder && d.IsOpen),
            OverdueDirectives: S.Directives.Values.Count(d => d.IsOverdue(now))));
    }

    public async Task TrackProblem(ProblemSummary summary, Involvement involvement, DepartmentFact? fact)
    {
        if (IsKnown(summary)) return;
        await Writes.Change(() =>
        {
            if (IsKnown(summary)) return;
            S.Inbox[summary.Id] = new InboxItem(summary, involvement);
            if (fact is not null) Apply(fact);
        });
    }

    public async Task TrackDirective(DirectiveSummary directive)
    {
        if (IsKnown(directive)) return;
        await Writes.Change(() =>
        {
            if (!IsKnown(directive)) S.Directives[directive.Id] = directive;
        });
    }

    private bool IsKnown(ProblemSummary summary) => S.Inbox.TryGetValue(summary.Id, out var known) && known.Problem.Version >= summary.Version;

    private bool IsKnown(DirectiveSummary directive) => S.Directives.TryGetValue(directive.Id, out var known) && known.Version >= directive.Version;

    private void Apply(DepartmentFact fact)
    {
        var t = S.Totals;
        switch (fact.Kind)
        {
            case DepartmentFactKind.Claimed:
                t.Claimed++;
                t.ClaimHours += fact.Duration.TotalHours;
                break;
            case DepartmentFactKind.Closed:
                t.Closed++;
                t.CloseHours += fact.Duration.TotalHours;
                if (fact.OnTime) t.ClosedOnTime++;
                break;
            case DepartmentFactKind.Returned:
                t.Returns++;
                break;
        }
    }
}

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
