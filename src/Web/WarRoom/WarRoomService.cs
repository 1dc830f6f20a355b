using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Live;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.WarRoom;

/// <summary>
/// Reads the war room's figures from the grains that keep them (the command office's library, problems and
/// directives; each department's figures; the live feed's latest events), and the records behind each figure.
/// </summary>
public sealed class WarRoomService(IGrainFactory grains, DepartmentService departments, TimeProvider clock)
{
    public const int TickerLength = 20;
    public const int RankingLength = 3; // top three named red, bottom three black

    private ICommandOfficeGrain Office => grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City);
    private ILiveFeedGrain Feed => grains.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City);

    public async Task<WarRoomSnapshot> GetSnapshot()
    {
        // The feed's head first: whatever happens after it reaches readers as events, so nothing falls between.
        var head = await Feed.GetSince(Guid.Empty, 0);
        var ticker = await Feed.GetSince(head.Epoch, Math.Max(0, head.Head - TickerLength));
        var now = clock.GetUtcNow();
        var data = await Read();
        return new WarRoomSnapshot(
            head.Epoch,
            head.Head,
            now,
            Headline(data, now),
            Enum.GetValues<ProjectStage>().Select(s => new StageCount(s, data.Projects.Count(p => p.Stage == s))).ToList(),
            RedItems(data),
            Ranking(data.Figures, data.Directives, now),
            ticker.Complete ? ForTheWarRoom(ticker.Events).Reverse().ToList() : []);
    }

    /// <summary>The answer to a client that reconnects with the last event it saw.</summary>
    public async Task<WarRoomResume> Resume(Guid epoch, long lastSequence)
    {
        var catchUp = await Feed.GetSince(epoch, lastSequence);
        if (catchUp.Complete) return new WarRoomResume(catchUp.Epoch, catchUp.Head, ForTheWarRoom(catchUp.Events), null);
        var snapshot = await GetSnapshot();
        return new WarRoomResume(snapshot.Epoch, snapshot.Sequence, [], snapshot);
    }

    /// <summary>
    /// Personal notifications keep their place in the numbering (so clients see no gap) but not their text: the war
    /// room is a shared screen.
    /// </summary>
    public static IReadOnlyList<LiveEvent> ForTheWarRoom(IReadOnlyList<LiveEvent> events) =>
        events.Any(IsPersonal)
            ? events.Select(e => IsPersonal(e) ? e with { Change = e.Change with { Title = "", SubjectId = "" } } : e).ToList()
            : events;

    private static bool IsPersonal(LiveEvent e) => e.Change.Kind.StartsWith("notification.", StringComparison.Ordinal);

    /// <summary>The records that make up a headline figure (数出有据); null for an unknown figure.</summary>
    public async Task<IReadOnlyList<FigureRecord>?> GetRecords(string figure)
    {
        var data = await Read();
        var year = Year(clock.GetUtcNow());
        IEnumerable<ProblemSummary> open = data.Problems.Where(p => p.IsOpen);
        IEnumerable<ProjectSummary>? projects = figure switch
        {
            "projects" => data.Projects,
            "planned-to-start" => data.Projects.Where(p => PlannedToStart(p, year)),
            "started" => data.Projects.Where(p => PlannedToStart(p, year) && Started(p, year)),
            "investment" => data.Projects.Where(p => p.AnnualPlannedInvestment > 0),
            _ when figure.StartsWith("stage:", StringComparison.Ordinal) && Enum.TryParse<ProjectStage>(figure[6..], out var stage)
                && Enum.IsDefined(stage) => data.Projects.Where(p => p.Stage == stage),
            _ => null,
        };
        if (projects is not null)
            return projects.OrderBy(p => p.Code, StringComparer.Ordinal)
                .Select(p => new FigureRecord("project", p.Code, p.Name,
                    $"{p.Town} · {p.Stage} · {p.CompletedInvestment:0}/{p.AnnualPlannedInvestment:0} 万元", $"/projects/{p.Code}", null))
                .ToList();

        IEnumerable<ProblemSummary>? problems = figure switch
        {
            "open" => open,
            "green" => open.Where(p => p.Light.Light == WarningLight.Green),
            "yellow" => open.Where(p => p.Light.Light == WarningLight.Yellow),
            "red" => open.Where(p => p.Light.Light == WarningLight.Red),
            "overdue" => open.Where(p => p.Overdue),
            "escalated" => open.Where(p => p.EscalationLevel > 0),
            _ => null,
        };
        if (problems is not null)
            return problems.OrderBy(p => p, CommandViewsService.Urgency)
                .Select(p => new FigureRecord("problem", p.Id.ToString(), p.Title,
                    $"{p.ProjectCode} · {Name(data, p.LeadDepartmentId)} · {p.Status}", $"/problems/{p.Id}", p.LastChangedAt))
                .ToList();

        if (figure is "orders" or "overdue-orders")
        {
            var now = clock.GetUtcNow();
            return data.Directives.Where(d => d.IsOpen && (figure == "orders" || d.IsOverdue(now)))
                .OrderBy(d => d.Deadline)
                .Select(d => new FigureRecord("directive", d.Id.ToString(), d.Text,
                    $"{Name(data, d.DepartmentId)} · {d.Status}", d.ProblemId is { } pid ? $"/problems/{pid}" : $"/projects/{d.ProjectCode}", d.IssuedAt))
                .ToList();
        }
        return null;
    }

    private sealed record Data(
        IReadOnlyList<ProjectSummary> Projects,
        IReadOnlyList<ProblemSummary> Problems,
        IReadOnlyList<DirectiveSummary> Directives,
        IReadOnlyList<DepartmentProfile> Departments,
        IReadOnlyList<DepartmentFigures> Figures);

    private async Task<Data> Read()
    {
        // Independent reads, in parallel (the office grain is reentrant, so its reads do not queue behind each other).
        var projects = Office.GetProjectLibrary();
        var problems = Office.GetProblems();
        var directives = Office.GetDirectives();
        var roster = Office.GetDepartments();
        var figures = departments.GetAllFigures();
        return new Data(await projects, await problems, await directives, await roster, await figures);
    }

    private static string Name(Data data, string departmentId) =>
        data.Departments.FirstOrDefault(d => d.Id == departmentId)?.Name ?? departmentId;

    private static int Year(DateTimeOffset now) => now.ToOffset(WorkingCalendar.ChinaOffset).Year;

    private static bool PlannedToStart(ProjectSummary p, int year) => p.PlannedStart?.Year == year;

    private static bool Started(ProjectSummary p, int year) => p.ActualStart is { } s && s.Year <= year;

    /// <summary>时序进度: the share of the year elapsed in Beijing (end of May = 5/12).</summary>
    public static double TimeProgress(DateTimeOffset now)
    {
        var local = now.ToOffset(WorkingCalendar.ChinaOffset);
        var month = (local.Month - 1) + (local.Day - 1 + local.TimeOfDay.TotalDays) / DateTime.DaysInMonth(local.Year, local.Month);
        return month / 12.0;
    }

    private static WarRoomHeadline Headline(Data data, DateTimeOffset now)
    {
        var year = Year(now);
        var planned = data.Projects.Count(p => PlannedToStart(p, year));
        var started = data.Projects.Count(p => PlannedToStart(p, year) && Started(p, year));
        var annual = data.Projects.Sum(p => p.AnnualPlannedInvestment);
        var completed = data.Projects.Sum(p => p.CompletedInvestment);
        double? completion = annual > 0 ? (double)(completed / annual) : null;
        var progress = TimeProgress(now);
        var open = data.Problems.Where(p => p.IsOpen).ToList();
        var orders = data.Directives.Where(d => d.IsOpen).ToList();
        return new WarRoomHeadline(
            data.Projects.Count,
            planned,
            started,
            planned > 0 ? (double)started / planned : null,
            annual,
            completed,
            completion,
            progress,
            completion is { } c ? Math.Round((c - progress) * 100, 1) : null,
            open.Count,
            open.Count(p => p.Light.Light == WarningLight.Green),
            open.Count(p => p.Light.Light == WarningLight.Yellow),
            open.Count(p => p.Light.Light == WarningLight.Red),
            open.Count(p => p.Overdue),
            open.Count(p => p.EscalationLevel > 0),
            orders.Count,
            orders.Count(d => d.IsOverdue(now)));
    }

    private static List<RedItem> RedItems(Data data) =>
        data.Problems.Where(p => p.IsOpen && p.Light.Light == WarningLight.Red)
            .OrderByDescending(p => p.EscalationLevel)
            .ThenByDescending(p => p.Overdue)
            .ThenBy(p => p.CurrentDeadline ?? DateTimeOffset.MaxValue)
            .ThenBy(p => p.Id)
            .Select(p => new RedItem(p.Id, p.Title, p.ProjectCode, p.ProjectName, p.LeadDepartmentId, Name(data, p.LeadDepartmentId),
                p.Light.Reasons, p.CurrentDeadline, p.EscalationLevel, p.Overdue))
            .ToList();

    /// <summary>The 红黑榜 over departments that have had problems: best score first; top three red, bottom three black.</summary>
    public static List<DepartmentStanding> Ranking(IReadOnlyList<DepartmentFigures> figures, IReadOnlyList<DirectiveSummary> directives, DateTimeOffset now)
    {
        var scored = figures
            .Where(f => f.OpenProblems + f.Closed + f.Returns > 0)
            .Select(f =>
            {
                var overdueOrders = directives.Count(d => d.DepartmentId == f.DepartmentId && d.IsOverdue(now));
                var score = 100 * (f.OnTimeCloseRate ?? 1) - 10 * f.Overdue - 5 * f.Returns - 10 * overdueOrders;
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
