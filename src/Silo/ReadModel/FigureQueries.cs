using Dapper;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Reports;
using KeyProjects.Silo.Storage;
using static KeyProjects.Silo.ReadModel.Database;

namespace KeyProjects.Silo.ReadModel;

/// <summary>A group's sums as of a month and its month-by-month series from January (cumulative).</summary>
public sealed record GroupSums(string Key, FigureSums Sums, IReadOnlyList<MonthFigures> Series);

/// <summary>A project as a figure counts it (数出有据): its library line, its sums, and the reports they came from.</summary>
public sealed record FigureProject(ProjectSummary Project, FigureSums Sums, IReadOnlyList<ProgressReport> Reports);

/// <summary>
/// The figures' counts and sums, grouped in the database (<see cref="FigureRules"/> turns them into rates): one query
/// over the projects, one over the months (reports, opening figures, starts), whatever the number of projects.
/// </summary>
public sealed class FigureQueries(StorageSettings storage)
{
    private sealed class ProjectRow
    {
        public string Key { get; set; } = "";
        public long Projects { get; set; }
        public long PlannedToStart { get; set; }
        public decimal AnnualPlanned { get; set; }
        public long Signed { get; set; }
        public decimal SignedAnnualPlanned { get; set; }
        public long ContractsDue { get; set; }
        public long ContractsKept { get; set; }
        public long CommissioningDue { get; set; }
        public long Commissioned { get; set; }
    }

    private sealed class MonthRow
    {
        public string Key { get; set; } = "";
        public string Month { get; set; } = "";
        public decimal Completed { get; set; }
        public decimal Funds { get; set; }
        public long Started { get; set; }
        public long OnRecord { get; set; }
    }

    /// <summary>Every group's sums as of the end of <paramref name="month"/> and its series (January to that month).</summary>
    public async Task<IReadOnlyList<GroupSums>> Groups(FigureGroup group, string month, string? key = null)
    {
        var key0 = KeyColumn(group);
        var args = Args(month);
        var only = "";
        if (key is not null)
        {
            only = $" AND {key0} = @key";
            args.Add("key", key);
        }
        await using var connection = Open(storage);
        var projects = await connection.QueryAsync<ProjectRow>($"""
            SELECT {key0} AS Key, COUNT(*) AS Projects,
                   SUM(CASE WHEN planned_start BETWEEN @yearStart AND @yearEnd THEN 1 ELSE 0 END) AS PlannedToStart,
                   SUM(annual_planned) AS AnnualPlanned,
                   SUM(CASE WHEN signed_on <= @end THEN 1 ELSE 0 END) AS Signed,
                   SUM(CASE WHEN signed_on <= @end THEN annual_planned ELSE 0 END) AS SignedAnnualPlanned,
                   SUM(CASE WHEN signed_on <= @end AND planned_start <= @end THEN 1 ELSE 0 END) AS ContractsDue,
                   SUM(CASE WHEN signed_on <= @end AND planned_start <= @end AND actual_start <= @end THEN 1 ELSE 0 END) AS ContractsKept,
                   SUM(CASE WHEN signed_on <= @end AND planned_completion <= @end THEN 1 ELSE 0 END) AS CommissioningDue,
                   SUM(CASE WHEN signed_on <= @end AND planned_completion <= @end AND operating_on <= @end THEN 1 ELSE 0 END) AS Commissioned
            FROM rm_projects WHERE 1 = 1{only} GROUP BY 1
            """, args);
        var months = (await connection.QueryAsync<MonthRow>($"""
            SELECT {Prefixed(key0)} AS Key, r.month AS Month, SUM(r.completed) AS Completed,
                   SUM(CASE WHEN p.signed_on <= @end THEN r.funds ELSE 0 END) AS Funds, 0 AS Started, 0 AS OnRecord
            FROM rm_reports r JOIN rm_projects p ON p.code = r.project_code
            WHERE r.month >= @january AND r.month <= @month AND r.month >= p.opening_month{only.Replace(key0, Prefixed(key0), StringComparison.Ordinal)}
            GROUP BY 1, 2
            UNION ALL
            SELECT {key0}, opening_month, SUM(CASE WHEN opening_month >= @january THEN opening_completed ELSE 0 END), 0, 0, COUNT(*)
            FROM rm_projects WHERE opening_month <= @month{only} GROUP BY 1, 2
            UNION ALL
            SELECT {key0}, {Month("actual_start")}, 0, 0, COUNT(*), 0
            FROM rm_projects WHERE planned_start BETWEEN @yearStart AND @yearEnd AND actual_start <= @end{only} GROUP BY 1, 2
            """, args)).ToLookup(r => r.Key);

        var calendar = Months(month);
        return projects.Select(p =>
        {
            var rows = months[p.Key].ToList();
            var series = new List<MonthFigures>(calendar.Count);
            decimal completed = 0, funds = 0;
            int started = 0, onRecord = 0;
            foreach (var m in calendar)
            {
                // A start or registration before January counts from January; everything else in the month it happened.
                foreach (var r in rows.Where(r => m == calendar[0] ? string.CompareOrdinal(r.Month, m) <= 0 : r.Month == m))
                {
                    completed += r.Completed;
                    funds += r.Funds;
                    started += (int)r.Started;
                    onRecord += (int)r.OnRecord;
                }
                series.Add(FigureRules.Month(m, started, (int)p.PlannedToStart, completed, p.AnnualPlanned, onRecord));
            }
            var sums = new FigureSums((int)p.Projects, (int)p.PlannedToStart, started, p.AnnualPlanned, completed, (int)p.Signed,
                p.SignedAnnualPlanned, funds, (int)p.ContractsDue, (int)p.ContractsKept, (int)p.CommissioningDue, (int)p.Commissioned, onRecord);
            return new GroupSums(p.Key, sums, series);
        }).ToList();
    }

    /// <summary>The projects of one group with what each adds to the figures and the reports it came from.</summary>
    public async Task<IReadOnlyList<FigureProject>> Projects(FigureGroup group, string key, string month, int limit = ReadModelQueries.MaxLimit)
    {
        var args = Args(month);
        args.Add("key", key);
        args.Add("limit", Math.Clamp(limit, 1, ReadModelQueries.MaxLimit));
        var where = group == FigureGroup.City ? "" : $" WHERE {KeyColumn(group)} = @key";
        await using var connection = Open(storage);
        var projects = (await connection.QueryAsync<string>($"SELECT data FROM rm_projects{where} ORDER BY code LIMIT @limit", args))
            .Select(EventJson.Read<ProjectSummary>).ToList();
        var codes = projects.Select(p => p.Code).ToArray();
        args.Add("codes", codes);
        var reports = (await connection.QueryAsync<string>(
                $"SELECT data FROM rm_reports WHERE {In(storage, "project_code", "codes")} AND month >= @january AND month <= @month ORDER BY project_code, month", args))
            .Select(EventJson.Read<ProgressReport>).ToLookup(r => r.ProjectCode);
        var end = FigureRules.EndOf(month);
        return projects.Select(p =>
        {
            var counted = reports[p.Code].Where(r => string.CompareOrdinal(r.Month, p.OpeningMonth) >= 0).ToList();
            return new FigureProject(p, ProjectSums(p, counted, month, end), counted);
        }).ToList();
    }

    /// <summary>One project's sums from its line and its counted reports: the same formulas as the grouped queries.</summary>
    public static FigureSums ProjectSums(ProjectSummary p, IReadOnlyList<ProgressReport> counted, string month, DateOnly end)
    {
        var year = end.Year;
        var january = $"{year}-01";
        bool By(DateOnly? day) => day is { } d && d <= end;
        var signed = By(p.SignedOn);
        var plannedToStart = p.PlannedStart?.Year == year;
        var opening = string.CompareOrdinal(p.OpeningMonth, january) >= 0 && string.CompareOrdinal(p.OpeningMonth, month) <= 0 ? p.OpeningCompleted : 0;
        var contractDue = signed && By(p.PlannedStart);
        var commissioningDue = signed && By(p.PlannedCompletion);
        return new FigureSums(1, plannedToStart ? 1 : 0, plannedToStart && By(p.ActualStart) ? 1 : 0, p.AnnualPlannedInvestment,
            opening + counted.Sum(r => r.Figures.CompletedThisMonth), signed ? 1 : 0, signed ? p.AnnualPlannedInvestment : 0,
            signed ? counted.Sum(r => r.Figures.FundsArrivedThisMonth) : 0, contractDue ? 1 : 0, contractDue && By(p.ActualStart) ? 1 : 0,
            commissioningDue ? 1 : 0, commissioningDue && By(p.OperatingOn) ? 1 : 0, string.CompareOrdinal(p.OpeningMonth, month) <= 0 ? 1 : 0);
    }

    /// <summary>January to the month, written yyyy-MM.</summary>
    public static IReadOnlyList<string> Months(string month)
    {
        var end = FigureRules.EndOf(month);
        return Enumerable.Range(1, end.Month).Select(m => $"{end.Year}-{m:00}").ToList();
    }

    private static DynamicParameters Args(string month)
    {
        var end = FigureRules.EndOf(month);
        var args = new DynamicParameters();
        args.Add("month", month);
        args.Add("january", $"{end.Year}-01");
        args.Add("end", FigureRules.Day(end));
        args.Add("yearStart", $"{end.Year}-01-01");
        args.Add("yearEnd", $"{end.Year}-12-31");
        return args;
    }

    private static string KeyColumn(FigureGroup group) => group switch
    {
        FigureGroup.Department => "department_id",
        FigureGroup.Town => "town",
        FigureGroup.Leader => "leader_id",
        _ => "'city'",
    };

    private static string Prefixed(string column) => column.StartsWith('\'') ? column : "p." + column;

    private string Month(string dayColumn) => storage.Provider == StorageProvider.PostgreSql ? $"substring({dayColumn} from 1 for 7)" : $"substr({dayColumn}, 1, 7)";
}
