using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Factors;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;

namespace KeyProjects.Web.Demo;

/// <summary>
/// The demo city's approval paths (手续), factor needs and factor pools, recorded through the grains' own commands with
/// fixed ids (an interrupted seeding completes on the next start): projects in preparation walk their path up to
/// today — the latest items running, some of them late —, projects that have started have their path done, and the
/// year's pools hold what the city allocated to the projects that needed land, energy and environmental capacity.
/// </summary>
internal static class DemoFactors
{
    private static readonly Actor Office = new("office", "项目办 周主任", Role.Office, null);

    /// <summary>Who owns each approval item in the demo city (its 职责清单).</summary>
    public static readonly IReadOnlyDictionary<ApprovalKind, string> Owners = new Dictionary<ApprovalKind, string>
    {
        [ApprovalKind.LandPreExamination] = "zrzy",
        [ApprovalKind.Initiation] = "fgw",
        [ApprovalKind.EnergyAssessment] = "fgw",
        [ApprovalKind.EnvironmentalAssessment] = "sthj",
        [ApprovalKind.SafetyAssessment] = "yjj",
        [ApprovalKind.SoilWaterConservation] = "slj",
        [ApprovalKind.LandUsePlanning] = "zrzy",
        [ApprovalKind.LandSupply] = "zrzy",
        [ApprovalKind.EngineeringPlanning] = "zrzy",
        [ApprovalKind.ConstructionPermit] = "xzsp",
    };

    private static readonly string[] Helpers = ["行政审批服务局 代办员 陈静", "开发区 帮办员 刘洋", "行政审批服务局 代办员 孙悦"];

    public static async Task Seed(IGrainFactory grains, DateOnly today)
    {
        var projects = DemoCity.Projects.Select((p, i) => (Project: p, Index: i)).ToList();
        foreach (var (p, i) in projects.Where(x => x.Project.Stage is ProjectStage.Preparatory or ProjectStage.Signed
                     || x.Project.Stage == ProjectStage.UnderConstruction && x.Index < 40))
            await Walk(grains.GetGrain<IProjectGrain>(p.Code), p, i, today);

        var year = today.Year;
        var capacity = new Dictionary<FactorKind, decimal> { [FactorKind.Land] = 5000, [FactorKind.EnergyQuota] = 150_000, [FactorKind.EnvironmentalCapacity] = 800 };
        foreach (var (kind, amount) in capacity)
            DemoSeeder.Require((await Pool(grains, kind, year).SetCapacity($"demo-pool-{kind}-{year}", Office, amount)).Outcome);

        foreach (var (p, i) in projects.Where(x => x.Project.Stage is ProjectStage.Preparatory or ProjectStage.Signed))
        {
            var grain = grains.GetGrain<IProjectGrain>(p.Code);
            var needs = new List<(FactorNeedKind Kind, decimal Amount, string Department, decimal? Met)>();
            if (p.Type != ProjectType.Renovation) needs.Add((FactorNeedKind.Land, 40 + i * 7 % 260, "zrzy", null));
            if (i % 3 == 0) needs.Add((FactorNeedKind.FundingGap, 2000 + i * 331 % 18000, "jrb", i % 2 == 0 ? 1000 : 0));
            if (p.Category == ProjectCategory.Industrial) needs.Add((FactorNeedKind.Energy, 1500 + i * 613 % 20000, "fgw", null));
            if (p.Category is ProjectCategory.Industrial or ProjectCategory.Ecological) needs.Add((FactorNeedKind.EnvironmentalCapacity, 5 + i % 40, "sthj", null));
            if (i % 4 == 1) needs.Add((FactorNeedKind.Power, 2000 + i * 97 % 8000, "gdgs", i % 8 == 1 ? 2000 : 0));
            foreach (var (kind, amount, department, met) in needs)
            {
                DemoSeeder.Require((await grain.SetNeed($"demo-need-{p.Code}-{kind}", Office, new FactorNeedUpdate(kind, amount, department, met, null))).Outcome);
                // Half of the projects in preparation have had their land, energy and capacity allocated, in part.
                if (FactorNeedRules.PoolOf(kind) is { } pool && i % 2 == 0)
                    DemoSeeder.Require((await Pool(grains, pool, year).Allocate($"demo-allocate-{p.Code}-{kind}", Office, p.Code,
                        Math.Round(amount * (i % 4 == 0 ? 1m : 0.5m), 0), "年度重点项目要素保障")).Outcome);
            }
        }
    }

    /// <summary>
    /// Plans the project's path from a day far enough back for its stage and records every item planned to be done a
    /// week ago (for one project in four, forty days ago: those run late) as done on its planned day (a started
    /// project's whole path), and the items that may begin as running.
    /// </summary>
    private static async Task Walk(IProjectGrain grain, ProjectProfile p, int i, DateOnly today)
    {
        var started = p.Stage == ProjectStage.UnderConstruction;
        var from = started ? (p.ActualStart ?? today).AddDays(-200) : today.AddDays(-(60 + i % 5 * 25));
        var view = Required(await grain.PlanApprovals($"demo-approvals-{p.Code}", Office, from, Owners));
        // The city's today is the grains' (a test may stand the silo on another date than this host's clock).
        today = WorkingCalendar.LocalDate(view.Approvals[0].At);
        foreach (var item in view.Approvals)
        {
            if (item.Status == ApprovalStatus.NotRequired) continue;
            var current = view.Approvals.First(a => a.Kind == item.Kind);
            var waiting = ApprovalRules.Waiting(view.Approvals, current).Count > 0;
            ApprovalUpdate? update =
                started || item.PlannedDone < today.AddDays(i % 4 == 1 ? -40 : -7) ? new ApprovalUpdate(item.Kind, ApprovalStatus.Done, item.PlannedDone < today ? item.PlannedDone : today.AddDays(-1))
                : !waiting && item.PlannedStart <= today ? new ApprovalUpdate(item.Kind, i % 5 == 0 ? ApprovalStatus.ToleratedAcceptance : ApprovalStatus.InProgress,
                    Helper: item.Kind == ApprovalKind.ConstructionPermit || i % 3 == 0 ? Helpers[i % Helpers.Length] : null)
                : null;
            if (update is not null) view = Required(await grain.UpdateApproval($"demo-approval-{p.Code}-{item.Kind}", Office, update));
        }
    }

    private static ProjectView Required(ProjectCommandResult result)
    {
        DemoSeeder.Require(result.Outcome);
        return result.Project!;
    }

    private static IFactorPoolGrain Pool(IGrainFactory grains, FactorKind kind, int year) => grains.GetGrain<IFactorPoolGrain>(FactorRules.Key(kind, year));
}
