using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Reports;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.ReadModel;

namespace KeyProjects.Web.Services;

/// <summary>The figures of every group of one kind as of a month, the city's among them, and the city's series.</summary>
public sealed record FigureTable(string Month, FigureGroup Group, double TimeProgress, GroupFigures City, IReadOnlyList<MonthFigures> CitySeries,
    IReadOnlyList<GroupFigures> Rows);

/// <summary>A project's part in a figure (数出有据): its figures and the reports they came from, with who reported them.</summary>
public sealed record FigureProjectLine(string Code, string Name, GroupFigures Figures, IReadOnlyList<ProgressReport> Reports,
    decimal OpeningCompleted, string OpeningMonth);

/// <summary>One group drilled down: its figures, its series, and each of its projects with the reports behind them.</summary>
public sealed record FigureDrill(GroupFigures Figures, IReadOnlyList<MonthFigures> Series, IReadOnlyList<FigureProjectLine> Projects);

/// <summary>
/// The figures leaders read (开工率, 投资完成率 against 时序进度, 资金到位率, 合同履约率, 建成投产率) for the city,
/// each department, town and leader, from the read model; the formulas are <see cref="FigureRules"/>.
/// </summary>
public sealed class FigureService(FigureQueries queries, DepartmentService departments, TimeProvider clock, KeyProjects.Web.Live.LiveUpdates live) : IDisposable
{
    /// <summary>Every table is read once per change: a project's or a report's event (or after five minutes).</summary>
    private readonly KeyProjects.Web.Live.ReadCache<(FigureGroup, string), FigureTable> _tables =
        new(live, Moves, TimeSpan.FromMinutes(5), clock);

    /// <summary>What moves the figures: a project's change, a report's.</summary>
    public static bool Moves(string kind) => kind.StartsWith("project.", StringComparison.Ordinal) || kind.StartsWith("report.", StringComparison.Ordinal);

    public void Dispose() => _tables.Dispose();

    /// <summary>
    /// The month figures are read for when none is asked: the month reporters are filling in — last month until its
    /// reports are due (day <see cref="ReportRules.DueDay"/>), then this month (as the report form offers).
    /// </summary>
    public string DefaultMonth() => ReportRules.MonthBeingReported(Today());

    /// <summary>The months figures may be read for, the latest first: this year's to this month, and last year's.</summary>
    public IReadOnlyList<string> Months()
    {
        var today = Today();
        var first = new DateOnly(today.Year - 1, 1, 1);
        return Enumerable.Range(0, 12 + today.Month).Select(i => ReportRules.MonthOf(first.AddMonths(i))).Reverse().ToList();
    }

    /// <summary>Null when the month may be read: this year's and last year's months up to this one.</summary>
    public string? MonthProblem(string month)
    {
        if (!ReportRules.TryMonth(month, out var first)) return "A month is written yyyy-MM.";
        var today = Today();
        if (first > new DateOnly(today.Year, today.Month, 1)) return "A month that has not begun has no figures.";
        if (first.Year < today.Year - 1) return "Figures are kept for this year and last year.";
        return null;
    }

    /// <summary>Every group's figures as of a month (served from memory between changes).</summary>
    public Task<FigureTable> Table(FigureGroup group, string month) => _tables.Get((group, month), () => Read(group, month));

    private async Task<FigureTable> Read(FigureGroup group, string month)
    {
        var names = await Names(group);
        var city = (await queries.Groups(FigureGroup.City, month)).SingleOrDefault();
        var rows = group == FigureGroup.City ? [] : await queries.Groups(group, month);
        var cityFigures = FigureRules.Of(FigureGroup.City, "", "", month, city?.Sums ?? FigureSums.None);
        return new FigureTable(month, group, FigureRules.TimeProgress(month), cityFigures, city?.Series ?? Empty(month),
            rows.Select(r => FigureRules.Of(group, r.Key, names(r.Key), month, r.Sums))
                .OrderBy(r => r.GapPoints ?? double.MaxValue).ThenBy(r => r.Key, StringComparer.Ordinal).ToList());
    }

    /// <summary>One group's figures, series and projects; null when the group has no projects.</summary>
    public async Task<FigureDrill?> Drill(FigureGroup group, string key, string month)
    {
        if (key.Length > 200) return null;
        var sums = (await queries.Groups(group, month, group == FigureGroup.City ? null : key)).SingleOrDefault();
        if (sums is null) return null;
        var names = await Names(group);
        var projects = await queries.Projects(group, key, month);
        return new FigureDrill(FigureRules.Of(group, group == FigureGroup.City ? "" : key, group == FigureGroup.City ? "" : names(key), month, sums.Sums),
            sums.Series,
            projects.Select(p => new FigureProjectLine(p.Project.Code, p.Project.Name, FigureRules.Of(group, p.Project.Code, p.Project.Name, month, p.Sums),
                p.Reports, p.Project.OpeningCompleted, p.Project.OpeningMonth)).ToList());
    }

    private async Task<Func<string, string>> Names(FigureGroup group)
    {
        switch (group)
        {
            case FigureGroup.Department:
                var roster = (await departments.GetDepartments()).ToDictionary(d => d.Id, d => d.Name);
                return key => roster.GetValueOrDefault(key, key);
            case FigureGroup.Leader:
                var leaders = (await departments.GetLeadership()).ToDictionary(l => l.Leader.Id, l => l.Leader.Name);
                return key => leaders.GetValueOrDefault(key, key);
            default:
                return key => key;
        }
    }

    private static IReadOnlyList<MonthFigures> Empty(string month) =>
        FigureQueries.Months(month).Select(m => FigureRules.Month(m, 0, 0, 0, 0, 0)).ToList();

    private DateOnly Today() => WorkingCalendar.LocalDate(clock.GetUtcNow());
}
