using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Settings;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Demo;

/// <summary>
/// Replays the demo city's last month through the grains' own commands, day by day: each step runs with the clock
/// set to its instant and every morning the deadlines are looked at, so problems breach and escalate when they would
/// have, closures are on time or late, and the first start shows a living city. Every command has a fixed id: an
/// interrupted replay completes on the next start. Without the demo clock (a web host joined to remote silos) the
/// steps run in order at the real time, and only the deadlines that have run out by then show.
/// </summary>
internal sealed class DemoHistory(IGrainFactory grains, DemoHistoryClock? clock, MeetingService meetings)
{
    private readonly DateTimeOffset _realNow = clock?.RealNow ?? DateTimeOffset.UtcNow;
    private readonly List<(DateTimeOffset At, int Order, Func<Task> Run)> _steps = [];
    private readonly List<IProblemGrain> _problems = [];

    /// <summary>The morning the history starts (Beijing time).</summary>
    public DateTimeOffset Start => Day(DemoCity.HistoryDays, 8, 0);

    public void At(DateTimeOffset instant) => clock?.SetTo(instant);

    /// <summary>
    /// Runs every planned step in time order, with the deadlines looked at each morning at 08:30 (one ordered list:
    /// no step can fall between two windows), then once more at the real time.
    /// </summary>
    public async Task Replay(CancellationToken ct)
    {
        foreach (var p in DemoCity.Problems) Plan(p);
        foreach (var d in DemoCity.Directives) Plan(d);
        DemoMeetings.Plan(grains, meetings, Day, Step, Officer, Of(Account("office")), Of(Account("vicemayor")), replayed: clock is not null);
        for (var daysAgo = DemoCity.HistoryDays; daysAgo >= 0; daysAgo--)
            if (Day(daysAgo, 8, 30) is var morning && morning < _realNow)
                _steps.Add((morning, int.MinValue, ReviewDeadlines));
        foreach (var step in _steps.OrderBy(s => s.At).ThenBy(s => s.Order))
        {
            ct.ThrowIfCancellationRequested();
            At(step.At);
            await step.Run();
        }
        clock?.Release();
        await ReviewDeadlines();
    }

    private async Task ReviewDeadlines()
    {
        foreach (var problem in _problems) await problem.ReviewDeadlines();
    }

    /// <summary>An instant N days ago at a time of day in Beijing.</summary>
    private DateTimeOffset Day(int daysAgo, int hour, int minute) =>
        new(WorkingCalendar.LocalDate(_realNow).AddDays(-daysAgo).ToDateTime(new TimeOnly(hour, minute)), WorkingCalendar.ChinaOffset);

    /// <summary>
    /// Plans a step. A step planned for later today than now is moved to just before now, in its plan order (a
    /// problem's steps are numbered in time order, fewer than ten each), so it still happens, after what came before it.
    /// </summary>
    private void Step(DateTimeOffset at, int order, Func<Task> run)
    {
        var latest = _realNow - TimeSpan.FromMinutes(30);
        _steps.Add((at > latest ? latest.AddMilliseconds(order) : at, order, run));
    }

    private static Actor Of(DemoAccount account) => new(account.UserName, account.DisplayName, account.Role, account.DepartmentId);

    private static DemoAccount Account(string userName) => DemoCity.Accounts.Single(a => a.UserName == userName);

    /// <summary>The department's desk officer who works the demo's problems (经办人).</summary>
    private static Actor Officer(string departmentId) =>
        new($"demo-{departmentId}", $"{DemoCity.Departments.Single(d => d.Id == departmentId).Name} 经办人", Role.Department, departmentId);

    /// <summary>Who a problem returned for territory goes to next: the project's town, or 住建 when a town returned it.</summary>
    private static string SecondLead(DemoProblem p)
    {
        var town = DemoCity.Departments.Single(d => d.Name == DemoCity.Projects.Single(x => x.Code == p.ProjectCode).Town).Id;
        return p.LeadDepartmentId == town ? "zjj" : town;
    }

    private static IProblemGrain Problem(IGrainFactory grains, DemoProblem p) => grains.GetGrain<IProblemGrain>(
        CommandId.DeriveGuid(ProblemService.RaiseScope, p.RaisedBy.UserName + "\n" + Key(p) + "-raise"));

    private static string Key(DemoProblem p) => $"demo-{p.Number:000}";

    private void Plan(DemoProblem p)
    {
        var problem = Problem(grains, p);
        var key = Key(p);
        var raiser = Of(p.RaisedBy);
        var office = Of(Account("office"));
        var lead = p.LeadDepartmentId.Length > 0 ? Officer(p.LeadDepartmentId) : null;
        var n = p.Number * 10;
        DateTimeOffset On(int day, int hour, int minute = 0) => Day(p.RaisedDaysAgo - day, hour, minute).AddMinutes(p.Number % 50);
        void Do(int day, int hour, Func<Task<ProblemCommandResult>> command, int minute = 0) =>
            Step(On(day, hour, minute), n++, async () => DemoSeeder.Require((await command()).Outcome));

        Step(On(0, 9), n++, async () =>
        {
            DemoSeeder.Require((await problem.Raise(new RaiseProblem(key + "-raise", raiser, p.ProjectCode, p.Title, p.Description, p.Category,
                lead is null ? null : p.LeadDepartmentId, p.Assisting, null, null))).Outcome);
            _problems.Add(problem);
        });
        if (lead is null) return;

        var assisting = p.Assisting.Count > 0 ? Officer(p.Assisting[0]) : null;
        switch (p.Path)
        {
            case DemoPath.Waiting or DemoPath.ClaimOverdue:
                break;
            case DemoPath.Working or DemoPath.ResolutionOverdue:
                Do(1, 10, () => problem.Claim(key + "-claim", lead));
                if (assisting is not null)
                    Do(2, 15, () => problem.PostInput(key + "-input", assisting, "配合意见：我单位已安排专人对接，相关材料本周内提供。"));
                break;
            case DemoPath.ReturnedOnce or DemoPath.AwaitingRuling:
                var second = SecondLead(p);
                Do(1, 10, () => problem.Return(key + "-return-1", lead, ReturnReason.Territory, "该事项属地管理，建议由属地牵头协调。"));
                Do(1, 14, () => problem.Route(key + "-route-2", office, new RouteProblem(second, p.Assisting.Where(a => a != second).ToList(), null, null)));
                if (p.Path == DemoPath.ReturnedOnce)
                    Do(2, 10, () => problem.Claim(key + "-claim", Officer(second)));
                else
                    Do(2, 11, () => problem.Return(key + "-return-2", Officer(second), ReturnReason.Function, "该事项不在我单位职责清单内，请项目办裁定。"));
                break;
            case DemoPath.PauseRequested or DemoPath.Paused:
                Do(1, 10, () => problem.Claim(key + "-claim", lead));
                Do(2, 16, () => problem.RequestPause(key + "-pause", lead, "需等待省级部门批复，申请暂停计时。"));
                if (p.Path == DemoPath.Paused)
                    Do(3, 9, () => problem.DecidePause(key + "-pause-decision", office, true, "同意暂停计时，批复下达后立即恢复。"));
                break;
            case DemoPath.Submitted or DemoPath.SentBack:
                Do(1, 10, () => problem.Claim(key + "-claim", lead));
                Do(2, 17, () => problem.SubmitResolution(key + "-resolve-1", lead, "已初步协调，待相关单位确认。"));
                if (p.Path == DemoPath.SentBack)
                    Do(3, 10, () => problem.SendBack(key + "-send-back", raiser, "办理结果未达到要求，请补充佐证材料后重新办结。"));
                break;
            case DemoPath.ClosedOnTime:
                Do(0, 11, () => problem.Claim(key + "-claim", lead));
                if (assisting is not null)
                    Do(1, 15, () => problem.PostInput(key + "-input", assisting, "配合意见：已完成相关手续办理。"));
                Do(4, 16, () => problem.SubmitResolution(key + "-resolve", lead, "已会同配合单位现场办公，问题已解决，附会议纪要。"));
                Do(5, 10, () => problem.Close(key + "-close", raiser, "经核实已解决，同意销号。"));
                break;
            case DemoPath.ClosedLate:
                Do(3, 10, () => problem.Claim(key + "-claim", lead));
                Do(p.RaisedDaysAgo - 3, 16, () => problem.SubmitResolution(key + "-resolve", lead, "经多轮协调，问题已解决。"));
                Do(p.RaisedDaysAgo - 2, 10, () => problem.Close(key + "-close", raiser, "经核实已解决，同意销号（超期办结）。"));
                break;
        }
    }

    private void Plan(DemoDirective d)
    {
        var p = DemoCity.Problems.Single(x => x.Number == d.ProblemNumber);
        var issuer = Of(Account(d.IssuedBy));
        var key = $"demo-directive-{d.Number:000}";
        var directive = grains.GetGrain<IDirectiveGrain>(CommandId.DeriveGuid(DirectiveService.IssueScope, issuer.UserName + "\n" + key));
        var lead = Officer(p.LeadDepartmentId);
        var n = 100_000 + d.Number * 10;
        var problemId = Problem(grains, p).GetPrimaryKey();
        DateTimeOffset On(int day, int hour) => Day(d.IssuedDaysAgo - day, hour, d.Number % 50);

        Step(On(0, 11), n++, async () => DemoSeeder.Require((await directive.Issue(new IssueDirective(
            key, issuer, d.Kind, problemId, null, p.LeadDepartmentId, d.Text, d.Kind == DirectiveKind.SupervisionOrder ? "请书面反馈办理进展、存在困难和下一步措施。" : null, null))).Outcome));
        if (d.Reach == DirectiveStatus.Open) return;
        Step(On(2, 15), n++, async () => DemoSeeder.Require((await directive.Respond(key + "-respond", lead,
            "已召开专题协调会，明确责任人和完成时限，预计两周内解决。")).Outcome));
        if (d.Reach == DirectiveStatus.Responded) return;
        Step(On(3, 10), n++, async () => DemoSeeder.Require((await directive.Accept(key + "-accept", issuer, "同意，请按计划推进。")).Outcome));
    }
}
