using System.Diagnostics;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Reports;
using KeyProjects.Grains.Settings;
using KeyProjects.Web.Demo;

namespace KeyProjects.Bench;

/// <summary>
/// The city-scale data set: on top of the demo city, <c>projects</c> more projects, <c>problems</c> problems in every
/// state of the closed loop and <c>directives</c> supervision orders and instructions, each through the grains' own
/// commands (so each has its real events in the log and its rows in the read model). Deterministic: the same seed
/// gives the same projects, problems, states and keys (the times are those of the run). Idempotent: every command
/// has a fixed key, so an interrupted generation completes when run again.
/// </summary>
public sealed class CityGenerator(IGrainFactory grains, int projects, int problems, int directives, int seed = 2026)
{
    private static readonly Actor Office = new("office", "项目办", Role.Office, null);
    private static readonly Actor Leader = new("mayor", "市长", Role.Leadership, null);
    private const int Parallel = 48;

    public async Task RunAsync(Action<string> report)
    {
        var random = new Random(seed);
        var departments = DemoCity.Departments.Select(d => d.Id).ToList();
        var leaders = DemoCity.Leaders.Select(l => l.Id).ToList();
        var stopwatch = Stopwatch.StartNew();

        var projectProfiles = Enumerable.Range(1, projects).Select(i => Project(i, random, departments, leaders)).ToList();
        await Measure.InBatches(projectProfiles, Parallel, async p => Require(await grains.GetGrain<IProjectGrain>(p.Code).Register(Office, p)));
        report($"{projects:N0} projects in {stopwatch.Elapsed.TotalSeconds:0} s");

        // This month's report of every project under construction: the figures read them.
        var month = ReportRules.MonthOf(WorkingCalendar.LocalDate(DateTimeOffset.UtcNow));
        var reporting = projectProfiles.Where(p => p.Stage == ProjectStage.UnderConstruction).ToList();
        await Measure.InBatches(reporting, Parallel, async p => Require((await grains.GetGrain<IProgressReportGrain>(ReportRules.Key(p.Code, month))
            .Submit($"gen-report-{p.Code}-{month}", Office, new ReportFigures(Math.Round(p.AnnualPlannedInvestment / 12, 0), "主体施工", 50, p.AnnualPlannedInvestment / 20))).Outcome));
        report($"{reporting.Count:N0} monthly reports in {stopwatch.Elapsed.TotalSeconds:0} s");

        var plans = Enumerable.Range(1, problems).Select(n => new ProblemPlan(
            n, projectProfiles[random.Next(projectProfiles.Count)].Code, departments[random.Next(departments.Count)],
            departments[random.Next(departments.Count)], (ProblemCategory)random.Next(9), Reach(random.NextDouble()))).ToList();
        var done = 0;
        await Measure.InBatches(plans, Parallel, async plan =>
        {
            await Problem(plan);
            if (Interlocked.Increment(ref done) % 5000 == 0) report($"{done:N0} problems in {stopwatch.Elapsed.TotalSeconds:0} s");
        });

        var orders = Enumerable.Range(1, directives).Select(n => (n, plan: plans[random.Next(plans.Count)], stage: random.Next(3))).ToList();
        await Measure.InBatches(orders, Parallel, async o => await Directive(o.n, o.plan, o.stage));
        report($"{directives:N0} directives; generated in {stopwatch.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>How far a generated problem goes in its loop (every state, the open ones most).</summary>
    private enum Stage { Unrouted, Routed, InProgress, Paused, Returned, AwaitingRuling, ResolutionSubmitted, Closed }

    private sealed record ProblemPlan(int Number, string ProjectCode, string Lead, string Other, ProblemCategory Category, Stage Reach)
    {
        public string Key => $"city-{Number:000000}";
        public Guid Id => CommandId.DeriveGuid(Web.Services.ProblemService.RaiseScope, Office.UserName + "\n" + Key);
    }

    private static Stage Reach(double r) => r switch
    {
        < 0.08 => Stage.Unrouted,
        < 0.25 => Stage.Routed,
        < 0.55 => Stage.InProgress,
        < 0.58 => Stage.Paused,
        < 0.63 => Stage.Returned,
        < 0.65 => Stage.AwaitingRuling,
        < 0.72 => Stage.ResolutionSubmitted,
        _ => Stage.Closed,
    };

    private async Task Problem(ProblemPlan p)
    {
        var problem = grains.GetGrain<IProblemGrain>(p.Id);
        var lead = Member(p.Lead);
        Require((await problem.Raise(new RaiseProblem(p.Key, Office, p.ProjectCode, $"生成问题 {p.Number:000000} {p.Category}",
            "城市规模数据集", p.Category, p.Reach == Stage.Unrouted ? null : p.Lead, [], null, null))).Outcome);
        switch (p.Reach)
        {
            case Stage.Unrouted or Stage.Routed:
                return;
            case Stage.Returned or Stage.AwaitingRuling:
                Require((await problem.Return(p.Key + "-return-1", lead, ReturnReason.Function, "不属本单位职能")).Outcome);
                if (p.Reach == Stage.Returned) return;
                var other = p.Other == p.Lead ? "fgw" == p.Lead ? "zrzy" : "fgw" : p.Other;
                Require((await problem.Route(p.Key + "-route", Office, new RouteProblem(other, [], null, null))).Outcome);
                Require((await problem.Return(p.Key + "-return-2", Member(other), ReturnReason.Ownership, "不属本单位权属")).Outcome);
                return;
        }
        Require((await problem.Claim(p.Key + "-claim", lead)).Outcome);
        Require((await problem.PostInput(p.Key + "-input", lead, "已现场踏勘，正在协调。")).Outcome);
        if (p.Reach == Stage.InProgress) return;
        if (p.Reach == Stage.Paused)
        {
            Require((await problem.RequestPause(p.Key + "-pause", lead, "等待上级批复")).Outcome);
            Require((await problem.DecidePause(p.Key + "-pause-ok", Office, true, "同意")).Outcome);
            return;
        }
        Require((await problem.SubmitResolution(p.Key + "-resolve", lead, "已办结。")).Outcome);
        if (p.Reach == Stage.ResolutionSubmitted) return;
        Require((await problem.Close(p.Key + "-close", Office, "同意销号。")).Outcome);
    }

    private async Task Directive(int n, ProblemPlan on, int stage)
    {
        var key = $"city-directive-{n:00000}";
        var id = CommandId.DeriveGuid(Web.Services.DirectiveService.IssueScope, Leader.UserName + "\n" + key);
        var directive = grains.GetGrain<IDirectiveGrain>(id);
        var department = on.Lead;
        var issued = await directive.Issue(new IssueDirective(key, Leader, DirectiveKind.SupervisionOrder, null, on.ProjectCode, department,
            "请限期反馈推进情况。", "办理结果", null));
        Require(issued.Outcome);
        if (stage == 0) return;
        Require((await directive.Respond(key + "-respond", Member(department), "已按要求推进。")).Outcome);
        if (stage == 1) return;
        Require((await directive.Accept(key + "-accept", Leader, "同意。")).Outcome);
    }

    private static Actor Member(string departmentId) => new($"gen-{departmentId}", $"{departmentId} 经办人", Role.Department, departmentId);

    private static readonly IReadOnlyList<string> Towns = DemoCity.Departments.Where(d => d.Kind == DepartmentKind.Town).Select(d => d.Name).ToList();

    private static ProjectProfile Project(int i, Random random, IReadOnlyList<string> departments, IReadOnlyList<string> leaders)
    {
        var stage = (ProjectStage)random.Next(8);
        var total = (decimal)random.Next(5_000, 400_000);
        var annual = Math.Round(total * 0.3m, 0);
        var started = stage is ProjectStage.UnderConstruction or ProjectStage.Completed or ProjectStage.InOperation or ProjectStage.Suspended;
        var plannedStart = new DateOnly(2026, 1 + i % 12, 1 + i % 28);
        return new ProjectProfile($"G-{i:00000}", $"城市规模项目 {i:00000}", (ProjectCategory)(i % 5), (ProjectType)(i % 3),
            i % 4 == 0 ? ProjectLevel.Provincial : ProjectLevel.City, stage, Towns[i % Towns.Count], "生成业主", leaders[i % leaders.Count],
            departments[i % departments.Count], total, annual, started ? Math.Round(annual * (decimal)random.NextDouble(), 0) : 0,
            plannedStart, plannedStart.AddYears(2), started ? plannedStart : null, started ? "主体施工" : "前期", started ? random.Next(5, 100) : 0, false);
    }

    private static void Require(CommandOutcome outcome)
    {
        if (!outcome.Succeeded) throw new InvalidOperationException($"Generation was refused: {outcome.Kind} {outcome.Code} {outcome.Field} {outcome.Message}");
    }
}
