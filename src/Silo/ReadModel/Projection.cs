using System.Data.Common;
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
using static KeyProjects.Silo.ReadModel.Database;

namespace KeyProjects.Silo.ReadModel;

/// <summary>
/// Applies events to the read-model tables, in the transaction that appends them to the log, and moves the read
/// model's checkpoint with them: an event is applied exactly when it is logged, never twice, never skipped.
/// </summary>
public static class Projection
{
    public const string Checkpoint = "read-model";

    public static async Task Apply(DbConnection connection, DbTransaction tx, IReadOnlyList<LoggedEvent> events)
    {
        foreach (var logged in events)
        {
            var e = logged.Event;
            switch (Streams.AggregateOf(e.Stream))
            {
                case Streams.Problem:
                    await Problem(connection, tx, logged.Position, EventJson.Read<ProblemChanged>(e.Data));
                    break;
                case Streams.Directive:
                    await Directive(connection, tx, logged.Position, EventJson.Read<DirectiveChanged>(e.Data));
                    break;
                case Streams.Meeting:
                    await Meeting(connection, tx, logged.Position, EventJson.Read<MeetingChanged>(e.Data));
                    break;
                case Streams.Report:
                    await Report(connection, tx, EventJson.Read<ReportChanged>(e.Data).Report);
                    break;
                case Streams.Factor:
                    await FactorPool(connection, tx, EventJson.Read<FactorPoolChanged>(e.Data).Pool);
                    break;
                case Streams.Department:
                    await Department(connection, tx, EventJson.Read<DepartmentChanged>(e.Data).Department);
                    break;
                case Streams.Leadership:
                case Streams.Settings:
                case Streams.Accounts:
                case Streams.Kiosk:
                    break; // the group, the settings, the accounts and the kiosk tokens are read from their grains; their events are their history
                case Streams.Ranking:
                    await Ranking(connection, tx, EventJson.Read<RankingChanged>(e.Data).Ranking);
                    break;
                case Streams.Project:
                    var project = EventJson.Read<ProjectChanged>(e.Data);
                    await Project(connection, tx, project.Project, e.Sequence);
                    if (project.Approvals is { } approvals) await Approvals(connection, tx, project.Project.Code, approvals);
                    if (project.Needs is { } needs) await Needs(connection, tx, project.Project.Code, needs);
                    break;
                default:
                    throw new InvalidOperationException($"No projection for the stream '{e.Stream}'.");
            }
        }
        await connection.ExecuteAsync(
            "INSERT INTO kp_checkpoints (name, position) VALUES (@name, @position) ON CONFLICT (name) DO UPDATE SET position = excluded.position",
            new { name = Checkpoint, position = events[^1].Position }, tx);
    }

    private static async Task Problem(DbConnection connection, DbTransaction tx, long position, ProblemChanged change)
    {
        var p = change.Problem;
        var id = p.Id.ToString();
        await connection.ExecuteAsync("""
            INSERT INTO rm_problems (id, project_code, title, status, light, light_rank, lead_department_id, leader_id, category, severity,
                is_open, overdue, escalation, on_agenda, pause, returns, current_deadline, last_changed, raised_at, version, data)
            VALUES (@id, @project, @title, @status, @light, @lightRank, @lead, @leader, @category, @severity,
                @isOpen, @overdue, @escalation, @onAgenda, @pause, @returns, @deadline, @lastChanged, @raisedAt, @version, @data)
            ON CONFLICT (id) DO UPDATE SET project_code = excluded.project_code, title = excluded.title, status = excluded.status,
                light = excluded.light, light_rank = excluded.light_rank, lead_department_id = excluded.lead_department_id,
                leader_id = excluded.leader_id, category = excluded.category, severity = excluded.severity, is_open = excluded.is_open,
                overdue = excluded.overdue, escalation = excluded.escalation, on_agenda = excluded.on_agenda, pause = excluded.pause,
                returns = excluded.returns, current_deadline = excluded.current_deadline, last_changed = excluded.last_changed,
                raised_at = excluded.raised_at, version = excluded.version, data = excluded.data
            WHERE rm_problems.version < excluded.version
            """,
            new
            {
                id, project = p.ProjectCode, title = p.Title, status = p.Status.ToString(), light = p.Light.Light.ToString(),
                lightRank = (int)p.Light.Light, lead = p.LeadDepartmentId, leader = p.ResponsibleLeaderId,
                category = p.Category.ToString(), severity = p.Severity.ToString(), isOpen = p.IsOpen ? 1 : 0, overdue = p.Overdue ? 1 : 0,
                escalation = p.EscalationLevel, onAgenda = p.OnMeetingAgenda ? 1 : 0, pause = p.Pause.ToString(), returns = p.ReturnCount,
                deadline = Database.NoDeadline(p.CurrentDeadline), lastChanged = Millis(p.LastChangedAt), raisedAt = Millis(p.RaisedAt),
                version = (long)p.Version, data = EventJson.Write(p),
            }, tx);

        await connection.ExecuteAsync("DELETE FROM rm_problem_departments WHERE problem_id = @id", new { id }, tx);
        foreach (var d in change.Departments)
            await connection.ExecuteAsync("""
                INSERT INTO rm_problem_departments (problem_id, department_id, involvement, is_open, light_rank, current_deadline, last_changed)
                VALUES (@id, @department, @involvement, @isOpen, @lightRank, @deadline, @lastChanged) ON CONFLICT DO NOTHING
                """,
                new
                {
                    id, department = d.DepartmentId, involvement = d.Involvement.ToString(), isOpen = p.IsOpen ? 1 : 0, lightRank = (int)p.Light.Light,
                    deadline = Database.NoDeadline(p.CurrentDeadline), lastChanged = Millis(p.LastChangedAt),
                }, tx);

        if (change.LeadFact is { } lead && p.LeadDepartmentId.Length > 0) await Count(connection, tx, p.LeadDepartmentId, lead);
        if (change.FormerFact is { } former && change.FormerLead is { Length: > 0 } formerLead) await Count(connection, tx, formerLead, former);
        if (change.Notification is { } n) await Notify(connection, tx, position, change.Notify, n);
    }

    /// <summary>What a department's figures learn from one event: a claim, a close or a return, counted once.</summary>
    private static Task Count(DbConnection connection, DbTransaction tx, string departmentId, DepartmentFact fact)
    {
        var hours = fact.Duration.TotalHours;
        var row = fact.Kind switch
        {
            DepartmentFactKind.Claimed => new { departmentId, claimed = 1, claimHours = hours, closed = 0, closeHours = 0.0, onTime = 0, returns = 0 },
            DepartmentFactKind.Closed => new { departmentId, claimed = 0, claimHours = 0.0, closed = 1, closeHours = hours, onTime = fact.OnTime ? 1 : 0, returns = 0 },
            _ => new { departmentId, claimed = 0, claimHours = 0.0, closed = 0, closeHours = 0.0, onTime = 0, returns = 1 },
        };
        return connection.ExecuteAsync("""
            INSERT INTO rm_department_totals (department_id, claimed, claim_hours, closed, close_hours, closed_on_time, returns)
            VALUES (@departmentId, @claimed, @claimHours, @closed, @closeHours, @onTime, @returns)
            ON CONFLICT (department_id) DO UPDATE SET claimed = rm_department_totals.claimed + excluded.claimed,
                claim_hours = rm_department_totals.claim_hours + excluded.claim_hours, closed = rm_department_totals.closed + excluded.closed,
                close_hours = rm_department_totals.close_hours + excluded.close_hours,
                closed_on_time = rm_department_totals.closed_on_time + excluded.closed_on_time, returns = rm_department_totals.returns + excluded.returns
            """, row, tx);
    }

    private static async Task Notify(DbConnection connection, DbTransaction tx, long position, IReadOnlyList<string> mailboxes, Notification n)
    {
        foreach (var mailbox in mailboxes)
            await connection.ExecuteAsync("""
                INSERT INTO rm_notifications (mailbox, notification_id, position, kind, title, text, link, at_utc)
                VALUES (@mailbox, @id, @position, @kind, @title, @text, @link, @at) ON CONFLICT DO NOTHING
                """,
                new { mailbox, id = n.Id, position, kind = n.Kind, title = n.Title, text = n.Text, link = n.Link, at = n.At.UtcDateTime.ToString("O") }, tx);
    }

    private static async Task Directive(DbConnection connection, DbTransaction tx, long position, DirectiveChanged change)
    {
        var d = change.Directive;
        await connection.ExecuteAsync("""
            INSERT INTO rm_directives (id, kind, status, department_id, issued_by, problem_id, project_code, is_open, deadline, issued_at, version, data)
            VALUES (@id, @kind, @status, @department, @issuedBy, @problem, @project, @isOpen, @deadline, @issuedAt, @version, @data)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, is_open = excluded.is_open, deadline = excluded.deadline,
                version = excluded.version, data = excluded.data
            WHERE rm_directives.version < excluded.version
            """,
            new
            {
                id = d.Id.ToString(), kind = d.Kind.ToString(), status = d.Status.ToString(), department = d.DepartmentId, issuedBy = d.IssuedBy,
                problem = d.ProblemId?.ToString(), project = d.ProjectCode, isOpen = d.IsOpen ? 1 : 0, deadline = Millis(d.Deadline),
                issuedAt = Millis(d.IssuedAt), version = (long)d.Version, data = EventJson.Write(d),
            }, tx);
        if (change.Notification is { } n) await Notify(connection, tx, position, change.Notify, n);
    }

    private static async Task Meeting(DbConnection connection, DbTransaction tx, long position, MeetingChanged change)
    {
        var m = change.Meeting;
        await connection.ExecuteAsync("""
            INSERT INTO rm_meetings (id, kind, series, status, scheduled_at, version, data)
            VALUES (@id, @kind, @series, @status, @scheduledAt, @version, @data)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, scheduled_at = excluded.scheduled_at,
                version = excluded.version, data = excluded.data
            WHERE rm_meetings.version < excluded.version
            """,
            new
            {
                id = m.Id.ToString(), kind = m.Kind.ToString(), series = m.Series, status = m.Status.ToString(),
                scheduledAt = Millis(m.ScheduledAt), version = (long)m.Version, data = EventJson.Write(m),
            }, tx);
        if (change.Notification is { } n) await Notify(connection, tx, position, change.Notify, n);
    }

    private static Task Report(DbConnection connection, DbTransaction tx, ProgressReport r) =>
        connection.ExecuteAsync("""
            INSERT INTO rm_reports (project_code, month, completed, funds, percent, reported_by, reported_at, late, locked, version, data)
            VALUES (@code, @month, @completed, @funds, @percent, @by, @at, @late, @locked, @version, @data)
            ON CONFLICT (project_code, month) DO UPDATE SET completed = excluded.completed, funds = excluded.funds, percent = excluded.percent,
                late = excluded.late, locked = excluded.locked, version = excluded.version, data = excluded.data
            WHERE rm_reports.version < excluded.version
            """,
            new
            {
                code = r.ProjectCode, month = r.Month, completed = r.Figures.CompletedThisMonth, funds = r.Figures.FundsArrivedThisMonth, percent = r.Figures.ImageProgressPercent,
                by = r.ReportedBy, at = Millis(r.ReportedAt), late = r.Late ? 1 : 0, locked = r.Locked ? 1 : 0, version = (long)r.Version,
                data = EventJson.Write(r),
            }, tx);

    private static Task FactorPool(DbConnection connection, DbTransaction tx, FactorPoolView p) =>
        connection.ExecuteAsync("""
            INSERT INTO rm_factor_pools (kind, year, capacity, allocated, version, data) VALUES (@kind, @year, @capacity, @allocated, @version, @data)
            ON CONFLICT (kind, year) DO UPDATE SET capacity = excluded.capacity, allocated = excluded.allocated, version = excluded.version, data = excluded.data
            WHERE rm_factor_pools.version < excluded.version
            """,
            new { kind = p.Kind.ToString(), year = p.Year, capacity = p.Capacity, allocated = p.Allocated, version = (long)p.Version, data = EventJson.Write(p) }, tx);

    private static Task Department(DbConnection connection, DbTransaction tx, DepartmentView d) =>
        connection.ExecuteAsync("""
            INSERT INTO rm_departments (id, name, kind, retired, version, data) VALUES (@id, @name, @kind, @retired, @version, @data)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, retired = excluded.retired, version = excluded.version, data = excluded.data
            WHERE rm_departments.version < excluded.version
            """,
            new { id = d.Profile.Id, name = d.Profile.Name, kind = d.Profile.Kind.ToString(), retired = d.Profile.Retired ? 1 : 0, version = (long)d.Version, data = EventJson.Write(d) }, tx);

    private static Task Ranking(DbConnection connection, DbTransaction tx, RankingMonthView r) =>
        connection.ExecuteAsync("""
            INSERT INTO rm_rankings (month, published, version, data) VALUES (@month, @published, @version, @data)
            ON CONFLICT (month) DO UPDATE SET published = excluded.published, version = excluded.version, data = excluded.data
            WHERE rm_rankings.version < excluded.version
            """,
            new { month = r.Month, published = r.IsPublished ? 1 : 0, version = (long)r.Version, data = EventJson.Write(r) }, tx);

    private static Task Project(DbConnection connection, DbTransaction tx, ProjectSummary p, long version) =>
        connection.ExecuteAsync("""
            INSERT INTO rm_projects (code, name, category, stage, level, town, leader_id, department_id, annual_planned, completed,
                planned_start_year, started_year, planned_start, actual_start, planned_completion, signed_on, operating_on,
                opening_month, opening_completed, version, data)
            VALUES (@code, @name, @category, @stage, @level, @town, @leader, @department, @annual, @completed, @plannedYear, @startedYear,
                @plannedStart, @actualStart, @plannedCompletion, @signedOn, @operatingOn, @openingMonth, @openingCompleted, @version, @data)
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, stage = excluded.stage, level = excluded.level,
                town = excluded.town, leader_id = excluded.leader_id, department_id = excluded.department_id,
                annual_planned = excluded.annual_planned, completed = excluded.completed, planned_start_year = excluded.planned_start_year,
                started_year = excluded.started_year, planned_start = excluded.planned_start, actual_start = excluded.actual_start,
                planned_completion = excluded.planned_completion, signed_on = excluded.signed_on, operating_on = excluded.operating_on,
                opening_month = excluded.opening_month, opening_completed = excluded.opening_completed,
                version = excluded.version, data = excluded.data
            WHERE rm_projects.version < excluded.version
            """,
            new
            {
                code = p.Code, name = p.Name, category = p.Category.ToString(), stage = p.Stage.ToString(), level = p.Level.ToString(),
                town = p.Town, leader = p.ResponsibleLeaderId, department = p.ResponsibleDepartmentId, annual = p.AnnualPlannedInvestment,
                completed = p.CompletedInvestment, plannedYear = p.PlannedStart?.Year, startedYear = p.ActualStart?.Year,
                plannedStart = Day(p.PlannedStart), actualStart = Day(p.ActualStart), plannedCompletion = Day(p.PlannedCompletion),
                signedOn = Day(p.SignedOn), operatingOn = Day(p.OperatingOn), openingMonth = p.OpeningMonth, openingCompleted = p.OpeningCompleted,
                version, data = EventJson.Write(p),
            }, tx);

    /// <summary>The project's approval path as it stands: its rows are replaced (events come in order, each applied once).</summary>
    private static async Task Approvals(DbConnection connection, DbTransaction tx, string code, IReadOnlyList<ApprovalItem> items)
    {
        await connection.ExecuteAsync("DELETE FROM rm_approvals WHERE project_code = @code", new { code }, tx);
        foreach (var a in items)
            await connection.ExecuteAsync("""
                INSERT INTO rm_approvals (project_code, kind, department_id, status, is_open, planned_start, planned_done, actual_done, problem_id, data)
                VALUES (@code, @kind, @department, @status, @isOpen, @plannedStart, @plannedDone, @actualDone, @problem, @data)
                """,
                new
                {
                    code, kind = a.Kind.ToString(), department = a.DepartmentId, status = a.Status.ToString(), isOpen = a.IsOpen ? 1 : 0,
                    plannedStart = Day(a.PlannedStart), plannedDone = Day(a.PlannedDone), actualDone = Day(a.ActualDone),
                    problem = a.ProblemId?.ToString(), data = EventJson.Write(a),
                }, tx);
    }

    private static async Task Needs(DbConnection connection, DbTransaction tx, string code, IReadOnlyList<Grains.Factors.FactorNeed> needs)
    {
        await connection.ExecuteAsync("DELETE FROM rm_factor_needs WHERE project_code = @code", new { code }, tx);
        foreach (var n in needs)
            await connection.ExecuteAsync("""
                INSERT INTO rm_factor_needs (project_code, kind, department_id, amount, met, data) VALUES (@code, @kind, @department, @amount, @met, @data)
                """,
                new { code, kind = n.Kind.ToString(), department = n.DepartmentId, amount = n.Amount, met = n.Met, data = EventJson.Write(n) }, tx);
    }
}
