using KeyProjects.Grains.Factors;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Rankings;
using KeyProjects.Grains.Reports;
using KeyProjects.Grains.Live;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.WarRoom;

/// <summary>
/// Reads the war room's figures from the read model (SQL counts and sums, the red problems, the departments' figures),
/// the live feed's latest events, and the records behind each figure.
/// </summary>
public sealed class WarRoomService(IGrainFactory grains, DepartmentService departments, ReadModelQueries readModel, FigureService figureService, TimeProvider clock)
{
    public const int TickerLength = 20;
    public const int RankingLength = 3; // top three named red, bottom three black

    private ILiveFeedGrain Feed => grains.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City);

    public async Task<WarRoomSnapshot> GetSnapshot()
    {
        // The feed's head first: whatever happens after it reaches readers as events, so nothing falls between.
        var head = await Feed.GetSince(Guid.Empty, 0);
        var ticker = await Feed.GetSince(head.Epoch, Math.Max(0, head.Head - TickerLength));
        var now = clock.GetUtcNow();
        var counts = readModel.CityCounts(Year(now), now);
        var red = readModel.ProblemList(new ProblemFilter { Open = true, Light = WarningLight.Red });
        var roster = departments.GetDepartments();
        var figures = departments.GetAllFigures();
        var month = ReportRules.MonthOf(WorkingCalendar.LocalDate(now));
        var byDepartment = figureService.Table(FigureGroup.Department, month);
        var byTown = figureService.Table(FigureGroup.Town, month);
        var exempted = grains.GetGrain<IRankingMonthGrain>(month).Get();
        var pools = readModel.FactorPools(Year(now));
        var needs = readModel.NeedTotals();
        var overdueApprovals = readModel.OverdueApprovals(WorkingCalendar.LocalDate(now));
        var names = (await roster).ToDictionary(d => d.Id, d => d.Name);
        var city = await counts;
        return new WarRoomSnapshot(
            head.Epoch,
            head.Head,
            now,
            Headline(city, now),
            Enum.GetValues<ProjectStage>().Select(s => new StageCount(s, city.Stages.GetValueOrDefault(s))).ToList(),
            RedItems(await red, names),
            Ranking(await figures, await roster, RankingService.UnitProjects((await byDepartment).Rows, (await byTown).Rows),
                (await exempted).Exemptions.ToDictionary(e => e.UnitId)), // this month's exemptions hold on the screen too
            ticker.Complete ? ForTheWarRoom(ticker.Events).Reverse().ToList() : [],
            Balances(await pools, await needs),
            await overdueApprovals);
    }

    /// <summary>Each pool of the year (one not set up reads as empty) with what the projects' needs of its factor add up to.</summary>
    public static IReadOnlyList<FactorBalance> Balances(IReadOnlyList<FactorPoolView> pools, IReadOnlyList<NeedTotal> needs) =>
        Enum.GetValues<FactorKind>().Select(kind =>
        {
            var pool = pools.FirstOrDefault(p => p.Kind == kind);
            var needed = needs.Where(n => FactorNeedRules.PoolOf(n.Kind) == kind).Sum(n => n.Amount);
            return new FactorBalance(kind, pool?.Capacity ?? 0, pool?.Allocated ?? 0, pool?.Balance ?? 0, needed);
        }).ToList();

    /// <summary>The answer to a client that reconnects with the last event it saw.</summary>
    /// <remarks>The catch-up is read from the log; a snapshot, when one is needed, is the host's current view.</remarks>
    public async Task<WarRoomResume> Resume(Guid epoch, long lastSequence, CurrentWarRoom current)
    {
        var catchUp = await Feed.GetSince(epoch, lastSequence);
        if (catchUp.Complete) return new WarRoomResume(catchUp.Epoch, catchUp.Head, ForTheWarRoom(catchUp.Events), null);
        var snapshot = await current.Get();
        return new WarRoomResume(snapshot.Epoch, snapshot.Sequence, [], snapshot);
    }

    /// <summary>
    /// The war room is a shared screen: events keep their place (readers count on the sequence) and subject, not whose
    /// bells they rang; an administrator's change of an account or a kiosk token keeps only its kind (no user name, no
    /// token's name, not who made it: wall screens read this feed).
    /// </summary>
    public static IReadOnlyList<LiveEvent> ForTheWarRoom(IReadOnlyList<LiveEvent> events) =>
        events.Any(e => e.Change.Mailboxes is { Count: > 0 } || Private(e))
            ? events.Select(e => Private(e) ? e with { Change = e.Change with { Mailboxes = null, Title = "", ActorName = "", DepartmentId = null } }
                : e.Change.Mailboxes is { Count: > 0 } ? e with { Change = e.Change with { Mailboxes = null } } : e).ToList()
            : events;

    private static bool Private(LiveEvent e) =>
        e.Change.Kind.StartsWith("account.", StringComparison.Ordinal) || e.Change.Kind.StartsWith("kiosk.", StringComparison.Ordinal);

    /// <summary>The records that make up a headline figure (数出有据); null for an unknown figure.</summary>
    public async Task<IReadOnlyList<FigureRecord>?> GetRecords(string figure)
    {
        var now = clock.GetUtcNow();
        var year = Year(now);
        ProjectFilter? projects = figure switch
        {
            "projects" => new ProjectFilter(),
            "planned-to-start" => new ProjectFilter { PlannedStartYear = year },
            "started" => new ProjectFilter { PlannedStartYear = year, StartedBy = year },
            "investment" => new ProjectFilter { WithAnnualPlan = true },
            _ when figure.StartsWith("stage:", StringComparison.Ordinal) && Enum.TryParse<ProjectStage>(figure[6..], out var stage)
                && Enum.IsDefined(stage) => new ProjectFilter { Stage = stage },
            _ => null,
        };
        if (projects is not null)
            return (await readModel.Projects(projects, 0, ReadModelQueries.MaxLimit)).Items
                .Select(p => new FigureRecord("project", p.Code, p.Name, $"/projects/{p.Code}", null,
                    p.Town, null, $"ProjectStage.{p.Stage}", p.CompletedInvestment, p.AnnualPlannedInvestment))
                .ToList();

        ProblemFilter? problems = figure switch
        {
            "open" => new ProblemFilter { Open = true },
            "green" => new ProblemFilter { Open = true, Light = WarningLight.Green },
            "yellow" => new ProblemFilter { Open = true, Light = WarningLight.Yellow },
            "red" => new ProblemFilter { Open = true, Light = WarningLight.Red },
            "overdue" => new ProblemFilter { Open = true, Overdue = true },
            "escalated" => new ProblemFilter { Open = true, MinEscalation = 1 },
            _ => null,
        };
        if (problems is not null)
        {
            var names = await Names();
            return (await readModel.ProblemList(problems, ReadModelQueries.MaxLimit))
                .Select(p => new FigureRecord("problem", p.Id.ToString(), p.Title, $"/problems/{p.Id}", p.LastChangedAt,
                    p.ProjectName, Name(names, p.LeadDepartmentId), $"ProblemStatus.{p.Status}"))
                .ToList();
        }

        if (figure is "orders" or "overdue-orders")
        {
            var names = await Names();
            return (await readModel.Directives(figure == "orders" ? new DirectiveFilter { Open = true } : new DirectiveFilter { Open = true, OverdueAt = now }, ReadModelQueries.MaxLimit))
                .Select(d => new FigureRecord("directive", d.Id.ToString(), d.Text, $"/directives/{d.Id}", d.IssuedAt,
                    d.SubjectTitle, Name(names, d.DepartmentId), $"DirectiveStatus.{d.Status}"))
                .ToList();
        }
        return null;
    }

    private async Task<Dictionary<string, string>> Names() => (await departments.GetDepartments()).ToDictionary(d => d.Id, d => d.Name);

    private static string Name(Dictionary<string, string> names, string departmentId) => names.GetValueOrDefault(departmentId, departmentId);

    private static int Year(DateTimeOffset now) => now.ToOffset(WorkingCalendar.ChinaOffset).Year;

    private static WarRoomHeadline Headline(CityCounts c, DateTimeOffset now)
    {
        double? completion = c.AnnualPlanned > 0 ? (double)(c.Completed / c.AnnualPlanned) : null;
        var progress = KeyProjects.Grains.Figures.FigureRules.TimeProgressAt(now);
        return new WarRoomHeadline(
            c.Projects,
            c.PlannedToStart,
            c.Started,
            c.PlannedToStart > 0 ? (double)c.Started / c.PlannedToStart : null,
            c.AnnualPlanned,
            c.Completed,
            completion,
            progress,
            completion is { } done ? Math.Round((done - progress) * 100, 1) : null,
            c.OpenProblems,
            c.Green,
            c.Yellow,
            c.Red,
            c.Overdue,
            c.Escalated,
            c.OpenOrders,
            c.OverdueOrders);
    }

    private static List<RedItem> RedItems(IReadOnlyList<ProblemSummary> red, Dictionary<string, string> names) =>
        red.OrderByDescending(p => p.EscalationLevel)
            .ThenByDescending(p => p.Overdue)
            .ThenBy(p => p.CurrentDeadline ?? DateTimeOffset.MaxValue)
            .ThenBy(p => p.Id)
            .Select(p => new RedItem(p.Id, p.Title, p.ProjectCode, p.ProjectName, p.LeadDepartmentId, Name(names, p.LeadDepartmentId),
                p.Light.Reasons, p.CurrentDeadline, p.EscalationLevel, p.Overdue))
            .ToList();

    /// <summary>
    /// The 红黑榜 as it stands now (<see cref="RankingRules"/>): each department's and town's problem handling and, when
    /// given, its projects' figures (a department's responsible projects, a town's projects by name).
    /// </summary>
    public static List<DepartmentStanding> Ranking(IReadOnlyList<DepartmentFigures> figures, IReadOnlyList<DepartmentProfile> roster,
        Func<DepartmentProfile, GroupFigures?>? projects = null, IReadOnlyDictionary<string, Exemption>? exemptions = null) =>
        RankingRules.Rank(RankingService.Units(figures, roster, projects), exemptions).Select(Place).ToList();

    private static DepartmentStanding Place(UnitStanding u) =>
        new(u.Rank, u.UnitId, u.Name, u.Score, u.OnTimeCloseRate, u.OverdueNow, u.Returns, u.OverdueOrders, u.Standing, u.Group, u.Closed,
            u.HandlingPart, u.InvestmentPart, u.StartPart);
}
