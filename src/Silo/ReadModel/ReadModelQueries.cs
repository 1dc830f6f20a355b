using System.Text;
using Dapper;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Factors;
using KeyProjects.Grains.Meetings;
using KeyProjects.Grains.Notifications;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Rankings;
using KeyProjects.Grains.Reports;
using KeyProjects.Silo.EventLog;
using KeyProjects.Silo.Storage;
using static KeyProjects.Silo.ReadModel.Database;

namespace KeyProjects.Silo.ReadModel;

/// <summary>An approval item with the project it belongs to.</summary>
public sealed record ApprovalLine(string ProjectCode, string ProjectName, ApprovalItem Item);

/// <summary>The city's needs of one factor: projects, the amount they need, what departments recorded as met.</summary>
public sealed record NeedTotal(FactorNeedKind Kind, int Projects, decimal Amount, decimal Met);

/// <summary>One page of a list, and how many rows match in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);

/// <summary>Filters of the problem list; every one is optional.</summary>
public sealed record ProblemFilter
{
    public ProblemStatus? Status { get; init; }
    public WarningLight? Light { get; init; }
    public string? LeadDepartmentId { get; init; }
    public string? ProjectCode { get; init; }
    /// <summary>Any of these projects (a leader's 包联 projects).</summary>
    public IReadOnlyCollection<string>? ProjectCodes { get; init; }
    public string? LeaderId { get; init; }
    public ProblemCategory? Category { get; init; }
    public bool? Overdue { get; init; }
    public bool? Open { get; init; }
    public int? MinEscalation { get; init; }
    public bool? OnAgenda { get; init; }
    public PauseState? Pause { get; init; }
    public string? Text { get; init; }
    /// <summary>Any of these problems (the work a meeting's decisions became, the items on its agenda).</summary>
    public IReadOnlyCollection<Guid>? Ids { get; init; }
    public ProblemOrder Order { get; init; } = ProblemOrder.Urgency;
}

public enum ProblemOrder
{
    /// <summary>Red before yellow before green, then the nearest running deadline.</summary>
    Urgency,
    /// <summary>The most recently changed first.</summary>
    LastChanged,
    /// <summary>The most recently raised first.</summary>
    Raised,
}

public sealed record ProjectFilter
{
    public ProjectStage? Stage { get; init; }
    public ProjectCategory? Category { get; init; }
    public string? Town { get; init; }
    public string? LeaderId { get; init; }
    public string? DepartmentId { get; init; }
    public string? Text { get; init; }
    public int? PlannedStartYear { get; init; }
    /// <summary>Started in this year or before.</summary>
    public int? StartedBy { get; init; }
    public bool? WithAnnualPlan { get; init; }
    /// <summary>Only these projects (a project reporter's own).</summary>
    public IReadOnlyCollection<string>? Codes { get; init; }
}

public sealed record DirectiveFilter
{
    public string? DepartmentId { get; init; }
    public string? IssuedBy { get; init; }
    public bool? Open { get; init; }
    /// <summary>Open and past its deadline at this instant.</summary>
    public DateTimeOffset? OverdueAt { get; init; }
    /// <summary>Any of these directives.</summary>
    public IReadOnlyCollection<Guid>? Ids { get; init; }
}

public sealed record MeetingFilter
{
    public MeetingStatus? Status { get; init; }
    public string? Series { get; init; }
    /// <summary>Held before this instant (the previous meeting of a series).</summary>
    public DateTimeOffset? Before { get; init; }
    /// <summary>Not yet closed (planned or live).</summary>
    public bool? Open { get; init; }
    /// <summary>The latest first (the default: the soonest first).</summary>
    public bool LatestFirst { get; init; }
}

/// <summary>The city's counts the war room's headline shows, each a SQL aggregate.</summary>
public sealed record CityCounts(
    int Projects, int PlannedToStart, int Started, decimal AnnualPlanned, decimal Completed,
    int OpenProblems, int Green, int Yellow, int Red, int Overdue, int Escalated, int OpenOrders, int OverdueOrders,
    IReadOnlyDictionary<ProjectStage, int> Stages);

/// <summary>
/// The read side: lists, pages, filters and figures answered by SQL over the read-model tables (paged, filtered and
/// sorted in the database). Rows carry their summary as JSON; the columns are there to filter and sort.
/// </summary>
public sealed class ReadModelQueries(StorageSettings storage)
{
    public const int MaxLimit = 500;

    // ---- Projects -----------------------------------------------------------------------------------------------

    public async Task<Page<ProjectSummary>> Projects(ProjectFilter filter, int offset = 0, int limit = 50)
    {
        var (where, args) = ProjectWhere(filter);
        (offset, limit) = Clamp(offset, limit);
        await using var connection = Open(storage);
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM rm_projects{where}", args);
        args.Add("offset", offset);
        args.Add("limit", limit);
        var rows = await connection.QueryAsync<string>($"SELECT data FROM rm_projects{where} ORDER BY code LIMIT @limit OFFSET @offset", args);
        return new Page<ProjectSummary>(rows.Select(EventJson.Read<ProjectSummary>).ToList(), total, offset, limit);
    }

    public async Task<ProjectSummary?> Project(string code)
    {
        await using var connection = Open(storage);
        var data = await connection.QueryFirstOrDefaultAsync<string>("SELECT data FROM rm_projects WHERE code = @code", new { code });
        return data is null ? null : EventJson.Read<ProjectSummary>(data);
    }

    /// <summary>Projects by code (a leader's 包联 projects).</summary>
    public async Task<IReadOnlyList<ProjectSummary>> Projects(IReadOnlyCollection<string> codes)
    {
        if (codes.Count == 0) return [];
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<string>($"SELECT data FROM rm_projects WHERE {In("code", "codes")} ORDER BY code", new { codes = codes.ToArray() });
        return rows.Select(EventJson.Read<ProjectSummary>).ToList();
    }

    private sealed class FactsRow
    {
        public string Code { get; set; } = "";
        public string Stage { get; set; } = "";
        public decimal AnnualPlanned { get; set; }
        public decimal Completed { get; set; }
        public string? PlannedStart { get; set; }
        public string? ActualStart { get; set; }
        public string OpeningMonth { get; set; } = "";
        public string? LastReportMonth { get; set; }
        public long Reds { get; set; }
        public long Yellows { get; set; }
    }

    /// <summary>
    /// What the lights of the filtered projects (or of the given ones) are judged on, in code order: one narrow row per
    /// project with its latest report month and its open red and yellow problems (the library's light filter).
    /// </summary>
    public async Task<IReadOnlyList<(string Code, ScheduleFacts Facts)>> ProjectFacts(ProjectFilter filter, IReadOnlyCollection<string>? codes = null)
    {
        var (where, args) = ProjectWhere(filter);
        if (codes is not null)
        {
            where += (where.Length == 0 ? " WHERE " : " AND ") + In("p.code", "codes");
            args.Add("codes", codes.ToArray());
        }
        await using var connection = Open(storage);
        // The reports' and the open problems' part grouped once (hash joins), not asked per project.
        var rows = await connection.QueryAsync<FactsRow>($"""
            SELECT p.code AS Code, p.stage AS Stage, p.annual_planned AS AnnualPlanned, p.completed AS Completed, p.planned_start AS PlannedStart,
                   p.actual_start AS ActualStart, p.opening_month AS OpeningMonth, r.last_month AS LastReportMonth,
                   COALESCE(q.reds, 0) AS Reds, COALESCE(q.yellows, 0) AS Yellows
            FROM rm_projects p
            LEFT JOIN (SELECT project_code, MAX(month) AS last_month FROM rm_reports GROUP BY project_code) r ON r.project_code = p.code
            LEFT JOIN (SELECT project_code, SUM(CASE WHEN light = 'Red' THEN 1 ELSE 0 END) AS reds, SUM(CASE WHEN light = 'Yellow' THEN 1 ELSE 0 END) AS yellows
                       FROM rm_problems WHERE is_open = 1 AND light <> 'Green' GROUP BY project_code) q ON q.project_code = p.code
            {where} ORDER BY p.code
            """, args);
        return rows.Select(r => (r.Code, new ScheduleFacts(Enum.Parse<ProjectStage>(r.Stage), r.AnnualPlanned, r.Completed, Day(r.PlannedStart),
            Day(r.ActualStart), r.OpeningMonth, r.LastReportMonth, (int)r.Reds, (int)r.Yellows))).ToList();
    }

    private static DateOnly? Day(string? iso) => iso is null ? null : DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private (string, DynamicParameters) ProjectWhere(ProjectFilter f)
    {
        var sql = new StringBuilder();
        var args = new DynamicParameters();
        void And(string condition) => sql.Append(sql.Length == 0 ? " WHERE " : " AND ").Append(condition);
        if (f.Stage is { } stage) { And("stage = @stage"); args.Add("stage", stage.ToString()); }
        if (f.Category is { } category) { And("category = @category"); args.Add("category", category.ToString()); }
        if (f.Town is { Length: > 0 } town) { And("town = @town"); args.Add("town", town); }
        if (f.LeaderId is { Length: > 0 } leader) { And("leader_id = @leader"); args.Add("leader", leader); }
        if (f.DepartmentId is { Length: > 0 } department) { And("department_id = @department"); args.Add("department", department); }
        if (f.Text is { Length: > 0 } text) { And($"(name {LikeOperator} @text OR code {LikeOperator} @text)"); args.Add("text", Like(text)); }
        if (f.PlannedStartYear is { } year) { And("planned_start_year = @year"); args.Add("year", year); }
        if (f.StartedBy is { } startedBy) { And("started_year IS NOT NULL AND started_year <= @startedBy"); args.Add("startedBy", startedBy); }
        if (f.WithAnnualPlan == true) And("annual_planned > 0");
        if (f.Codes is { } codes) { And(In("code", "codes")); args.Add("codes", codes.ToArray()); }
        return (sql.ToString(), args);
    }

    // ---- Problems -----------------------------------------------------------------------------------------------

    public async Task<Page<ProblemSummary>> Problems(ProblemFilter filter, int offset = 0, int limit = 50)
    {
        var (where, args) = ProblemWhere(filter);
        (offset, limit) = Clamp(offset, limit);
        await using var connection = Open(storage);
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM rm_problems{where}", args);
        args.Add("offset", offset);
        args.Add("limit", limit);
        var rows = await connection.QueryAsync<string>($"SELECT data FROM rm_problems{where} ORDER BY {OrderBy(filter.Order)} LIMIT @limit OFFSET @offset", args);
        return new Page<ProblemSummary>(rows.Select(EventJson.Read<ProblemSummary>).ToList(), total, offset, limit);
    }

    /// <summary>How many rows a section of a page shows at most (a console section, the red items, a desk's open work).</summary>
    public const int SectionLimit = 100;

    /// <summary>The first rows that match, in the filter's order, without counting them all (a section of a page).</summary>
    public async Task<IReadOnlyList<ProblemSummary>> ProblemList(ProblemFilter filter, int limit = SectionLimit)
    {
        var (where, args) = ProblemWhere(filter);
        args.Add("limit", Math.Clamp(limit, 1, MaxLimit));
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<string>($"SELECT data FROM rm_problems{where} ORDER BY {OrderBy(filter.Order)} LIMIT @limit", args);
        return rows.Select(EventJson.Read<ProblemSummary>).ToList();
    }

    private static string OrderBy(ProblemOrder order) => order switch
    {
        ProblemOrder.LastChanged => "last_changed DESC, id",
        ProblemOrder.Raised => "raised_at DESC, id",
        _ => "light_rank DESC, current_deadline, id",
    };

    private (string, DynamicParameters) ProblemWhere(ProblemFilter f)
    {
        var sql = new StringBuilder();
        var args = new DynamicParameters();
        void And(string condition) => sql.Append(sql.Length == 0 ? " WHERE " : " AND ").Append(condition);
        // Numbers, flags and enum names are written into the SQL (they come from code, never from text a user typed), so
        // the planner sees them and can use the partial indexes of each section; everything else is a parameter.
        if (f.Status is { } status) And($"status = '{status}'");
        if (f.Light is { } light) And($"light = '{light}'");
        if (f.LeadDepartmentId is { Length: > 0 } lead) { And("lead_department_id = @lead"); args.Add("lead", lead); }
        if (f.ProjectCode is { Length: > 0 } project) { And("project_code = @project"); args.Add("project", project); }
        if (f.ProjectCodes is { } projects) { And(In("project_code", "projects")); args.Add("projects", projects.ToArray()); }
        if (f.LeaderId is { Length: > 0 } leader) { And("leader_id = @leader"); args.Add("leader", leader); }
        if (f.Category is { } category) And($"category = '{category}'");
        if (f.Overdue is { } overdue) And($"overdue = {(overdue ? 1 : 0)}");
        if (f.Open is { } open) And($"is_open = {(open ? 1 : 0)}");
        if (f.MinEscalation is { } escalation) And($"escalation >= {escalation}");
        if (f.OnAgenda is { } agenda) And($"on_agenda = {(agenda ? 1 : 0)}");
        if (f.Pause is { } pause) And($"pause = '{pause}'");
        if (f.Text is { Length: > 0 } text) { And($"title {LikeOperator} @text"); args.Add("text", Like(text)); }
        if (f.Ids is { } ids) { And(In("id", "ids")); args.Add("ids", ids.Select(i => i.ToString()).ToArray()); }
        return (sql.ToString(), args);
    }

    // ---- A department's desk and figures ----------------------------------------------------------------------

    /// <summary>How many closed problems a desk shows besides every open one (the most recently changed).</summary>
    public const int DeskClosedShown = 50;

    /// <summary>
    /// A department's desk: the open problems it leads, assists or led before, most urgent first (at most
    /// <see cref="SectionLimit"/> of each kind), and its latest closed ones.
    /// </summary>
    public async Task<IReadOnlyList<InboxItem>> Inbox(string departmentId)
    {
        static string FirstOpen(Involvement involvement) => $"""
            SELECT * FROM (SELECT p.data AS Data, d.involvement AS Involvement
                FROM rm_problem_departments d JOIN rm_problems p ON p.id = d.problem_id
                WHERE d.department_id = @departmentId AND d.involvement = '{involvement}' AND d.is_open = 1
                ORDER BY d.light_rank DESC, d.current_deadline, d.problem_id LIMIT {SectionLimit}) {involvement.ToString().ToLowerInvariant()}
            """;
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<InboxRow>($"""
            {FirstOpen(Involvement.Lead)}
            UNION ALL
            {FirstOpen(Involvement.Assisting)}
            UNION ALL
            {FirstOpen(Involvement.Former)}
            UNION ALL
            SELECT * FROM (SELECT p.data AS Data, d.involvement AS Involvement
                FROM rm_problem_departments d JOIN rm_problems p ON p.id = d.problem_id
                WHERE d.department_id = @departmentId AND d.is_open = 0 ORDER BY d.last_changed DESC LIMIT {DeskClosedShown}) closed
            """, new { departmentId });
        return rows.Select(r => new InboxItem(EventJson.Read<ProblemSummary>(r.Data), Enum.Parse<Involvement>(r.Involvement)))
            .OrderBy(i => i, DeskOrder.Instance).ToList();
    }

    public async Task<IReadOnlyList<DirectiveSummary>> Directives(DirectiveFilter f, int limit = SectionLimit)
    {
        var where = new List<string>();
        var args = new DynamicParameters();
        if (f.DepartmentId is { Length: > 0 } department) { where.Add("department_id = @department"); args.Add("department", department); }
        if (f.IssuedBy is { Length: > 0 } issuer) { where.Add("issued_by = @issuer"); args.Add("issuer", issuer); }
        if (f.Open is { } open) { where.Add("is_open = @open"); args.Add("open", open ? 1 : 0); }
        if (f.OverdueAt is { } now) { where.Add("status = 'Open' AND deadline < @now"); args.Add("now", Millis(now)); }
        if (f.Ids is { } ids) { where.Add(In("id", "ids")); args.Add("ids", ids.Select(i => i.ToString()).ToArray()); }
        var sql = "SELECT data FROM rm_directives" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + $" ORDER BY is_open DESC, deadline LIMIT {Math.Clamp(limit, 1, MaxLimit)}";
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<string>(sql, args);
        return rows.Select(EventJson.Read<DirectiveSummary>).ToList();
    }

    /// <summary>Meetings by the filter, the soonest first (or the latest first).</summary>
    public async Task<IReadOnlyList<MeetingSummary>> Meetings(MeetingFilter f, int limit = SectionLimit)
    {
        var where = new List<string>();
        var args = new DynamicParameters();
        if (f.Status is { } status) where.Add($"status = '{status}'");
        if (f.Open is { } open) where.Add(open ? "status <> 'Closed'" : "status = 'Closed'");
        if (f.Series is { Length: > 0 } series) { where.Add("series = @series"); args.Add("series", series); }
        if (f.Before is { } before) { where.Add("scheduled_at < @before"); args.Add("before", Millis(before)); }
        var sql = "SELECT data FROM rm_meetings" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + $" ORDER BY scheduled_at {(f.LatestFirst ? "DESC" : "")}, id LIMIT {Math.Clamp(limit, 1, MaxLimit)}";
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<string>(sql, args);
        return rows.Select(EventJson.Read<MeetingSummary>).ToList();
    }

    /// <summary>A project's monthly reports, the latest month first (a project has a handful a year).</summary>
    public async Task<IReadOnlyList<ProgressReport>> Reports(string projectCode)
    {
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<string>(
            "SELECT data FROM rm_reports WHERE project_code = @projectCode ORDER BY month DESC LIMIT 240", new { projectCode });
        return rows.Select(EventJson.Read<ProgressReport>).ToList();
    }

    /// <summary>The latest reported month of each of these projects (those with a report).</summary>
    public async Task<IReadOnlyDictionary<string, string>> LastReportMonths(IReadOnlyCollection<string> codes)
    {
        if (codes.Count == 0) return new Dictionary<string, string>();
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<(string Code, string Month)>(
            $"SELECT project_code, MAX(month) FROM rm_reports WHERE {In("project_code", "codes")} GROUP BY project_code", new { codes = codes.ToArray() });
        return rows.ToDictionary(r => r.Code, r => r.Month, StringComparer.Ordinal);
    }

    /// <summary>The roster as administration keeps it: every unit with its duty list, retired ones too; departments before towns.</summary>
    public async Task<IReadOnlyList<DepartmentView>> Departments()
    {
        await using var connection = Open(storage);
        return (await connection.QueryAsync<string>("SELECT data FROM rm_departments"))
            .Select(EventJson.Read<DepartmentView>).OrderBy(d => d.Profile.Kind).ThenBy(d => d.Profile.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The units that led each of these problems before (a return or a re-routing took it from them).</summary>
    public async Task<ILookup<string, string>> FormerLeads(IReadOnlyCollection<Guid> problems)
    {
        if (problems.Count == 0) return Array.Empty<(string, string)>().ToLookup(x => x.Item1, x => x.Item2);
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<(string Problem, string Department)>(
            $"SELECT problem_id, department_id FROM rm_problem_departments WHERE involvement = @former AND {In("problem_id", "ids")}",
            new { former = nameof(Involvement.Former), ids = problems.Select(p => p.ToString()).ToArray() });
        return rows.ToLookup(r => r.Problem, r => r.Department);
    }

    /// <summary>What a unit still has in hand: open problems it leads or assists, open orders to it, open approval items it owns, needs it has not met.</summary>
    public async Task<(int Problems, int Directives, int Approvals, int Needs)> WorkInHand(string departmentId)
    {
        await using var connection = Open(storage);
        var problems = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM rm_problem_departments WHERE department_id = @id AND is_open = 1 AND involvement <> @former",
            new { id = departmentId, former = nameof(Involvement.Former) });
        var directives = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM rm_directives WHERE department_id = @id AND is_open = 1", new { id = departmentId });
        var approvals = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM rm_approvals WHERE department_id = @id AND is_open = 1", new { id = departmentId });
        var needs = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM rm_factor_needs WHERE department_id = @id AND met < amount", new { id = departmentId });
        return ((int)problems, (int)directives, (int)approvals, (int)needs);
    }

    /// <summary>The factor pools of a year (those the office has set up), in kind order.</summary>
    public async Task<IReadOnlyList<FactorPoolView>> FactorPools(int year)
    {
        await using var connection = Open(storage);
        return (await connection.QueryAsync<string>("SELECT data FROM rm_factor_pools WHERE year = @year ORDER BY kind", new { year }))
            .Select(EventJson.Read<FactorPoolView>).ToList();
    }

    /// <summary>
    /// Approval items of the city's paths, most overdue first: of a department, of a project, only those open past
    /// their planned day (as of <paramref name="overdueOn"/>), at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<ApprovalLine>> Approvals(string? departmentId, string? projectCode, DateOnly? overdueOn, int limit = SectionLimit)
    {
        var where = new List<string>();
        if (departmentId is not null) where.Add("a.department_id = @departmentId");
        if (projectCode is not null) where.Add("a.project_code = @projectCode");
        if (overdueOn is not null) where.Add("a.is_open = 1 AND a.planned_done < @today");
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<(string Code, string Name, string Data)>($"""
            SELECT a.project_code, p.name, a.data FROM rm_approvals a JOIN rm_projects p ON p.code = a.project_code
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY a.is_open DESC, a.planned_done, a.project_code, a.kind LIMIT @limit
            """, new { departmentId, projectCode, today = Database.Day(overdueOn), limit });
        return rows.Select(r => new ApprovalLine(r.Code, r.Name, EventJson.Read<ApprovalItem>(r.Data))).ToList();
    }

    /// <summary>For each approval item, the department most paths of the city gave it (what a new path proposes).</summary>
    public async Task<IReadOnlyDictionary<ApprovalKind, string>> UsualApprovalOwners()
    {
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<(string Kind, string Department, long Count)>("""
            SELECT kind, department_id, COUNT(*) FROM rm_approvals WHERE department_id <> '' GROUP BY kind, department_id
            """);
        return rows.GroupBy(r => Enum.Parse<ApprovalKind>(r.Kind))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Count).ThenBy(r => r.Department, StringComparer.Ordinal).First().Department);
    }

    /// <summary>How many open items are past their planned day, city-wide.</summary>
    public async Task<int> OverdueApprovals(DateOnly today)
    {
        await using var connection = Open(storage);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM rm_approvals WHERE is_open = 1 AND planned_done < @today", new { today = Database.Day(today) });
    }

    /// <summary>The city's factor needs by kind: how many projects need it, how much in all, how much is met (recorded by departments).</summary>
    public async Task<IReadOnlyList<NeedTotal>> NeedTotals()
    {
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<(string Kind, long Projects, decimal Amount, decimal Met)>(
            "SELECT kind, COUNT(*), SUM(amount), SUM(met) FROM rm_factor_needs GROUP BY kind");
        return rows.Select(r => new NeedTotal(Enum.Parse<FactorNeedKind>(r.Kind), (int)r.Projects, r.Amount, r.Met)).OrderBy(t => t.Kind).ToList();
    }

    /// <summary>The latest published 红黑榜 before a month (to compare standings month to month), if any.</summary>
    public async Task<RankingMonthView?> PublishedBefore(string month)
    {
        await using var connection = Open(storage);
        var data = await connection.QueryFirstOrDefaultAsync<string>(
            "SELECT data FROM rm_rankings WHERE published = 1 AND month < @month ORDER BY month DESC LIMIT 1", new { month });
        return data is null ? null : EventJson.Read<RankingMonthView>(data);
    }

    /// <summary>The months whose 红黑榜 has been published, the latest first.</summary>
    public async Task<IReadOnlyList<string>> PublishedMonths()
    {
        await using var connection = Open(storage);
        return (await connection.QueryAsync<string>("SELECT month FROM rm_rankings WHERE published = 1 ORDER BY month DESC")).ToList();
    }

    /// <summary>A month's reports (the latest version of each), in project order: where the month's figures came from.</summary>
    public async Task<IReadOnlyList<ProgressReport>> ReportsOfMonth(string month, int limit = 5000)
    {
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<string>("SELECT data FROM rm_reports WHERE month = @month ORDER BY project_code LIMIT @limit", new { month, limit });
        return rows.Select(EventJson.Read<ProgressReport>).ToList();
    }

    /// <summary>Every project code reported for a month (the office locks the month's reports).</summary>
    public async Task<IReadOnlyList<string>> ReportedProjects(string month)
    {
        await using var connection = Open(storage);
        return (await connection.QueryAsync<string>("SELECT project_code FROM rm_reports WHERE month = @month ORDER BY project_code", new { month })).ToList();
    }

    private sealed class FigureRow
    {
        public string DepartmentId { get; set; } = "";
        public long Claimed { get; set; }
        public double ClaimHours { get; set; }
        public long Closed { get; set; }
        public double CloseHours { get; set; }
        public long ClosedOnTime { get; set; }
        public long Returns { get; set; }
        public long OpenProblems { get; set; }
        public long Overdue { get; set; }
        public long OpenOrders { get; set; }
        public long OverdueOrders { get; set; }
    }

    /// <summary>Figures of the given departments (every one, with zeros where nothing happened yet), in one query.</summary>
    public async Task<IReadOnlyList<DepartmentFigures>> Figures(IReadOnlyList<DepartmentProfile> departments, DateTimeOffset now)
    {
        if (departments.Count == 0) return [];
        await using var connection = Open(storage);
        var rows = (await connection.QueryAsync<FigureRow>($"""
            SELECT t.department_id AS DepartmentId, t.claimed AS Claimed, t.claim_hours AS ClaimHours, t.closed AS Closed,
                   t.close_hours AS CloseHours, t.closed_on_time AS ClosedOnTime, t.returns AS Returns,
                   0 AS OpenProblems, 0 AS Overdue, 0 AS OpenOrders, 0 AS OverdueOrders
            FROM rm_department_totals t WHERE {In("t.department_id", "ids")}
            UNION ALL
            SELECT lead_department_id, 0, 0.0, 0, 0.0, 0, 0, COUNT(*), SUM(overdue), 0, 0
            FROM rm_problems WHERE is_open = 1 AND {In("lead_department_id", "ids")} GROUP BY lead_department_id
            UNION ALL
            SELECT department_id, 0, 0.0, 0, 0.0, 0, 0, 0, 0,
                   SUM(CASE WHEN kind = 'SupervisionOrder' AND is_open = 1 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = 'Open' AND deadline < @now THEN 1 ELSE 0 END)
            FROM rm_directives WHERE {In("department_id", "ids")} GROUP BY department_id
            """, new { ids = departments.Select(d => d.Id).ToArray(), now = Millis(now) })).ToLookup(r => r.DepartmentId);
        return departments.Select(d =>
        {
            var r = rows[d.Id].ToList();
            var claimed = (int)r.Sum(x => x.Claimed);
            var closed = (int)r.Sum(x => x.Closed);
            return new DepartmentFigures(d.Id, d.Name,
                OpenProblems: (int)r.Sum(x => x.OpenProblems),
                Claimed: claimed,
                AverageHoursToClaim: claimed == 0 ? null : Math.Round(r.Sum(x => x.ClaimHours) / claimed, 1),
                Closed: closed,
                AverageHoursToClose: closed == 0 ? null : Math.Round(r.Sum(x => x.CloseHours) / closed, 1),
                OnTimeCloseRate: closed == 0 ? null : Math.Round((double)r.Sum(x => x.ClosedOnTime) / closed, 3),
                Returns: (int)r.Sum(x => x.Returns),
                Overdue: (int)r.Sum(x => x.Overdue),
                OpenSupervisionOrders: (int)r.Sum(x => x.OpenOrders),
                OverdueDirectives: (int)r.Sum(x => x.OverdueOrders));
        }).ToList();
    }

    // ---- The war room's counts --------------------------------------------------------------------------------

    private sealed class ProblemCountsRow
    {
        public long Open { get; set; }
        public long Green { get; set; }
        public long Yellow { get; set; }
        public long Red { get; set; }
        public long Overdue { get; set; }
        public long Escalated { get; set; }
    }

    private sealed class ProjectCountsRow
    {
        public long Projects { get; set; }
        public long PlannedToStart { get; set; }
        public long Started { get; set; }
        public decimal AnnualPlanned { get; set; }
        public decimal Completed { get; set; }
    }

    private sealed class CountRow
    {
        public string Key { get; set; } = "";
        public long Count { get; set; }
        public long Other { get; set; }
    }

    public async Task<CityCounts> CityCounts(int year, DateTimeOffset now)
    {
        await using var connection = Open(storage);
        var projects = await connection.QuerySingleAsync<ProjectCountsRow>("""
            SELECT COUNT(*) AS Projects,
                   COALESCE(SUM(CASE WHEN planned_start_year = @year THEN 1 ELSE 0 END), 0) AS PlannedToStart,
                   COALESCE(SUM(CASE WHEN planned_start_year = @year AND started_year IS NOT NULL AND started_year <= @year THEN 1 ELSE 0 END), 0) AS Started,
                   COALESCE(SUM(annual_planned), 0) AS AnnualPlanned, COALESCE(SUM(completed), 0) AS Completed
            FROM rm_projects
            """, new { year });
        var problems = await connection.QuerySingleAsync<ProblemCountsRow>("""
            SELECT COUNT(*) AS Open,
                   COALESCE(SUM(CASE WHEN light = 'Green' THEN 1 ELSE 0 END), 0) AS Green,
                   COALESCE(SUM(CASE WHEN light = 'Yellow' THEN 1 ELSE 0 END), 0) AS Yellow,
                   COALESCE(SUM(CASE WHEN light = 'Red' THEN 1 ELSE 0 END), 0) AS Red,
                   COALESCE(SUM(overdue), 0) AS Overdue,
                   COALESCE(SUM(CASE WHEN escalation > 0 THEN 1 ELSE 0 END), 0) AS Escalated
            FROM rm_problems WHERE is_open = 1
            """);
        var orders = await connection.QuerySingleAsync<CountRow>("""
            SELECT '' AS "Key", COUNT(*) AS "Count", COALESCE(SUM(CASE WHEN status = 'Open' AND deadline < @now THEN 1 ELSE 0 END), 0) AS "Other"
            FROM rm_directives WHERE is_open = 1
            """, new { now = Millis(now) });
        var stages = (await connection.QueryAsync<CountRow>("""SELECT stage AS "Key", COUNT(*) AS "Count", 0 AS "Other" FROM rm_projects GROUP BY stage"""))
            .ToDictionary(r => Enum.Parse<ProjectStage>(r.Key), r => (int)r.Count);
        return new CityCounts((int)projects.Projects, (int)projects.PlannedToStart, (int)projects.Started, projects.AnnualPlanned,
            projects.Completed, (int)problems.Open, (int)problems.Green, (int)problems.Yellow, (int)problems.Red, (int)problems.Overdue,
            (int)problems.Escalated, (int)orders.Count, (int)orders.Other, stages);
    }

    // ---- The log --------------------------------------------------------------------------------------------------

    /// <summary>Every event of one stream, in order, with its place in the hash chain (a problem's or directive's history).</summary>
    public async Task<IReadOnlyList<StoredEvent>> Stream(string stream)
    {
        await using var connection = Open(storage);
        return (await connection.QueryAsync<StoredEvent>($"{SqlEventStore.SelectEvents} WHERE stream = @stream ORDER BY sequence", new { stream })).ToList();
    }

    // ---- Notifications ------------------------------------------------------------------------------------------

    private sealed class NotificationRow
    {
        public string Mailbox { get; set; } = "";
        public string NotificationId { get; set; } = "";
        public long Position { get; set; }
        public string Kind { get; set; } = "";
        public string Title { get; set; } = "";
        public string Text { get; set; } = "";
        public string? Link { get; set; }
        public string AtUtc { get; set; } = "";
    }

    private sealed class InboxRow
    {
        public string Data { get; set; } = "";
        public string Involvement { get; set; } = "";
    }

    private const string SelectNotifications = "SELECT mailbox AS Mailbox, notification_id AS NotificationId, position AS Position, kind AS Kind, "
        + "title AS Title, text AS Text, link AS Link, at_utc AS AtUtc FROM rm_notifications";

    /// <summary>The newest notifications of these mailboxes, newest first.</summary>
    public async Task<IReadOnlyList<MailboxEntry>> Notifications(IReadOnlyCollection<string> mailboxes, int take)
    {
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<NotificationRow>(
            $"{SelectNotifications} WHERE {In("mailbox", "mailboxes")} ORDER BY position DESC LIMIT @take", new { mailboxes = mailboxes.ToArray(), take = Math.Clamp(take, 0, MaxLimit) });
        return rows.Select(r => new MailboxEntry(r.Mailbox, r.Position, new Notification(r.NotificationId, r.Kind, r.Title, r.Text, r.Link,
            DateTimeOffset.Parse(r.AtUtc, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
    }

    /// <summary>How many notifications of a mailbox come after the reader's mark, and the mailbox's latest position.</summary>
    public async Task<(int Unread, long Latest)> Unread(string mailbox, long readUpTo)
    {
        await using var connection = Open(storage);
        var row = await connection.QuerySingleAsync<CountRow>(
            """SELECT '' AS "Key", COALESCE(SUM(CASE WHEN position > @readUpTo THEN 1 ELSE 0 END), 0) AS "Count", COALESCE(MAX(position), 0) AS "Other" FROM rm_notifications WHERE mailbox = @mailbox""",
            new { mailbox, readUpTo });
        return ((int)row.Count, row.Other);
    }

    /// <summary>What the outbound channel would send (every notification to every mailbox), newest first.</summary>
    public async Task<IReadOnlyList<OutboundMessage>> Outbound(int take)
    {
        await using var connection = Open(storage);
        var rows = await connection.QueryAsync<NotificationRow>($"{SelectNotifications} ORDER BY position DESC LIMIT @take", new { take = Math.Clamp(take, 0, 5000) });
        return rows.Select(r => new OutboundMessage(r.Mailbox, r.NotificationId, r.Title, r.Text,
            DateTimeOffset.Parse(r.AtUtc, System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }

    private string In(string column, string parameter) => Database.In(storage, column, parameter);

    /// <summary>Search ignores case on both databases (SQLite's LIKE already does for ASCII).</summary>
    private string LikeOperator => storage.Provider == StorageProvider.PostgreSql ? "ILIKE" : "LIKE";

    private static (int, int) Clamp(int offset, int limit) => (Math.Max(0, offset), Math.Clamp(limit, 1, MaxLimit));

    private static string Like(string text) => "%" + text.Replace("\\", "", StringComparison.Ordinal).Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%";
}
