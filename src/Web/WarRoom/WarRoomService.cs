using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
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
public sealed class WarRoomService(IGrainFactory grains, DepartmentService departments, ReadModelQueries readModel, TimeProvider clock)
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
        var names = (await roster).ToDictionary(d => d.Id, d => d.Name);
        var city = await counts;
        return new WarRoomSnapshot(
            head.Epoch,
            head.Head,
            now,
            Headline(city, now),
            Enum.GetValues<ProjectStage>().Select(s => new StageCount(s, city.Stages.GetValueOrDefault(s))).ToList(),
            RedItems(await red, names),
            Ranking(await figures),
            ticker.Complete ? ForTheWarRoom(ticker.Events).Reverse().ToList() : []);
    }

    /// <summary>The answer to a client that reconnects with the last event it saw.</summary>
    /// <remarks>The catch-up is read from the log; a snapshot, when one is needed, is the host's current view.</remarks>
    public async Task<WarRoomResume> Resume(Guid epoch, long lastSequence, CurrentWarRoom current)
    {
        var catchUp = await Feed.GetSince(epoch, lastSequence);
        if (catchUp.Complete) return new WarRoomResume(catchUp.Epoch, catchUp.Head, ForTheWarRoom(catchUp.Events), null);
        var snapshot = await current.Get();
        return new WarRoomResume(snapshot.Epoch, snapshot.Sequence, [], snapshot);
    }

    /// <summary>The war room is a shared screen: events keep their place and subject, not whose bells they rang.</summary>
    public static IReadOnlyList<LiveEvent> ForTheWarRoom(IReadOnlyList<LiveEvent> events) =>
        events.Any(e => e.Change.Mailboxes is { Count: > 0 })
            ? events.Select(e => e.Change.Mailboxes is { Count: > 0 } ? e with { Change = e.Change with { Mailboxes = null } } : e).ToList()
            : events;

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
                .Select(p => new FigureRecord("project", p.Code, p.Name,
                    $"{p.Town} · {p.Stage} · {p.CompletedInvestment:0}/{p.AnnualPlannedInvestment:0} 万元", $"/projects/{p.Code}", null))
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
                .Select(p => new FigureRecord("problem", p.Id.ToString(), p.Title,
                    $"{p.ProjectCode} · {Name(names, p.LeadDepartmentId)} · {p.Status}", $"/problems/{p.Id}", p.LastChangedAt))
                .ToList();
        }

        if (figure is "orders" or "overdue-orders")
        {
            var names = await Names();
            return (await readModel.Directives(figure == "orders" ? new DirectiveFilter { Open = true } : new DirectiveFilter { Open = true, OverdueAt = now }, ReadModelQueries.MaxLimit))
                .Select(d => new FigureRecord("directive", d.Id.ToString(), d.Text,
                    $"{Name(names, d.DepartmentId)} · {d.Status}", d.ProblemId is { } pid ? $"/problems/{pid}" : $"/projects/{d.ProjectCode}", d.IssuedAt))
                .ToList();
        }
        return null;
    }

    private async Task<Dictionary<string, string>> Names() => (await departments.GetDepartments()).ToDictionary(d => d.Id, d => d.Name);

    private static string Name(Dictionary<string, string> names, string departmentId) => names.GetValueOrDefault(departmentId, departmentId);

    private static int Year(DateTimeOffset now) => now.ToOffset(WorkingCalendar.ChinaOffset).Year;

    /// <summary>时序进度: the share of the year elapsed in Beijing (end of May = 5/12).</summary>
    public static double TimeProgress(DateTimeOffset now)
    {
        var local = now.ToOffset(WorkingCalendar.ChinaOffset);
        var month = (local.Month - 1) + (local.Day - 1 + local.TimeOfDay.TotalDays) / DateTime.DaysInMonth(local.Year, local.Month);
        return month / 12.0;
    }

    private static WarRoomHeadline Headline(CityCounts c, DateTimeOffset now)
    {
        double? completion = c.AnnualPlanned > 0 ? (double)(c.Completed / c.AnnualPlanned) : null;
        var progress = TimeProgress(now);
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

    /// <summary>The 红黑榜 over departments that have had problems: best score first; top three red, bottom three black.</summary>
    public static List<DepartmentStanding> Ranking(IReadOnlyList<DepartmentFigures> figures)
    {
        var scored = figures
            .Where(f => f.OpenProblems + f.Closed + f.Returns > 0)
            .Select(f =>
            {
                var score = 100 * (f.OnTimeCloseRate ?? 1) - 10 * f.Overdue - 5 * f.Returns - 10 * f.OverdueDirectives;
                return (f, score: Math.Round(score, 1));
            })
            .OrderByDescending(x => x.score).ThenBy(x => x.f.DepartmentId, StringComparer.Ordinal)
            .ToList();
        var named = Math.Min(RankingLength, scored.Count / 2);
        return scored.Select((x, i) => new DepartmentStanding(i + 1, x.f.DepartmentId, x.f.Name, x.score, x.f.OnTimeCloseRate,
                x.f.Overdue, x.f.Returns, x.f.OpenSupervisionOrders,
                i < named ? Standing.Red : i >= scored.Count - named ? Standing.Black : Standing.None))
            .ToList();
    }
}
