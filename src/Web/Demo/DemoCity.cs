using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;

namespace KeyProjects.Web.Demo;

/// <summary>A demo account: listed in README, created only in demo mode.</summary>
public sealed record DemoAccount(string UserName, string DisplayName, Role Role, string? DepartmentId);

/// <summary>Where a demo problem's history takes it (the first start shows every state of the loop, on time and late).</summary>
public enum DemoPath
{
    Unrouted,           // raised by a project owner without a lead: waits for the office
    Waiting,            // routed, not yet claimed, within its claim deadline
    ClaimOverdue,       // never claimed: the claim deadline breached, escalated
    Working,            // claimed, assisting input posted, within its deadline
    ResolutionOverdue,  // claimed, not solved by its deadline: breached, escalated to the leader, then the group
    ReturnedOnce,       // returned by the first lead, re-routed by the office, claimed by the second (yellow)
    AwaitingRuling,     // returned twice: the office must rule
    PauseRequested,     // the lead asks to stop the clock
    Paused,             // the office approved the pause
    Submitted,          // resolution submitted, waiting for the raiser to verify
    SentBack,           // resolution sent back once, being reworked
    ClosedOnTime,       // the whole loop within the deadlines
    ClosedLate,         // closed, but after the resolution deadline
}

/// <summary>A demo problem: what it is, who leads, and the path its history takes, starting <see cref="RaisedDaysAgo"/> days ago.</summary>
public sealed record DemoProblem(int Number, string ProjectCode, string Title, string Description, ProblemCategory Category,
    string LeadDepartmentId, IReadOnlyList<string> Assisting, DemoAccount RaisedBy, DemoPath Path, int RaisedDaysAgo);

/// <summary>A demo 督办单 or 批示 and how far it has gone: issued <see cref="IssuedDaysAgo"/> days ago about a demo problem.</summary>
public sealed record DemoDirective(int Number, int ProblemNumber, Grains.Directives.DirectiveKind Kind, string IssuedBy, string Text,
    int IssuedDaysAgo, Grains.Directives.DirectiveStatus Reach);

/// <summary>
/// The demo city (示范市), generated deterministically: 25 departments and towns, a leadership group of 8, 120 key
/// projects over every stage and category, 60 problems with a month of history in every state of the loop (overdue,
/// escalated, returned, awaiting a ruling, paused, closed on time and late), and supervision orders and instructions.
/// </summary>
public static class DemoCity
{
    public const string Password = "KeyProjects2026!";
    public const int Year = 2026;

    public static readonly IReadOnlyList<DepartmentProfile> Departments =
    [
        new("fgw", "发展和改革局", DepartmentKind.Department),
        new("zrzy", "自然资源和规划局", DepartmentKind.Department),
        new("xzsp", "行政审批服务局", DepartmentKind.Department),
        new("sthj", "生态环境局", DepartmentKind.Department),
        new("zjj", "住房和城乡建设局", DepartmentKind.Department),
        new("gxj", "工业和信息化局", DepartmentKind.Department),
        new("swj", "商务局", DepartmentKind.Department),
        new("czj", "财政局", DepartmentKind.Department),
        new("jtj", "交通运输局", DepartmentKind.Department),
        new("slj", "水务局", DepartmentKind.Department),
        new("tjj", "统计局", DepartmentKind.Department),
        new("jrb", "地方金融服务中心", DepartmentKind.Department),
        new("gdgs", "供电公司", DepartmentKind.Department),
        new("yjj", "应急管理局", DepartmentKind.Department),
        new("chengguan", "城关街道", DepartmentKind.Town),
        new("kaifaqu", "经济开发区", DepartmentKind.Town),
        new("gaoxin", "高新区", DepartmentKind.Town),
        new("dongcheng", "东城街道", DepartmentKind.Town),
        new("xicheng", "西城街道", DepartmentKind.Town),
        new("nanhu", "南湖镇", DepartmentKind.Town),
        new("beishan", "北山镇", DepartmentKind.Town),
        new("qingshi", "青石镇", DepartmentKind.Town),
        new("hekou", "河口镇", DepartmentKind.Town),
        new("liulin", "柳林镇", DepartmentKind.Town),
        new("baishui", "白水镇", DepartmentKind.Town),
    ];

    /// <summary>The departments' duty lists (职责清单), as short terms a problem's words are matched against.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Duties = new Dictionary<string, string[]>
    {
        ["fgw"] = ["项目立项、审批核准备案", "能耗指标、节能审查", "重点项目计划、投资计划"],
        ["zrzy"] = ["用地预审、选址", "土地供应、供地、用地指标、用地", "规划许可、规划调整", "征地"],
        ["xzsp"] = ["审批手续、施工许可", "容缺受理、并联审批", "代办帮办"],
        ["sthj"] = ["环评、环境影响评价", "环境容量、排污许可、总量指标"],
        ["zjj"] = ["施工图审查、工程质量、安全监督", "施工环境、扬尘治理", "竣工验收"],
        ["gxj"] = ["技术改造、技改", "工业项目、企业服务"],
        ["swj"] = ["招商引资、签约、合同履约", "外资"],
        ["czj"] = ["财政资金、资金、专项债、资金拨付"],
        ["jtj"] = ["道路、交通配套"],
        ["slj"] = ["水土保持、水保", "供水、排水、取水许可"],
        ["tjj"] = ["投资统计、入库"],
        ["jrb"] = ["融资、贷款、资金缺口、银行"],
        ["gdgs"] = ["供电、用电、电力、变电站", "水电气配套"],
        ["yjj"] = ["安评、安全评价、安全生产"],
    };

    public static readonly IReadOnlyList<Leader> Leaders =
    [
        new("L01", "张建国", "组长（市长）", "mayor"),
        new("L02", "李明", "副组长（常务副市长）", "vicemayor"),
        new("L03", "王海", "副组长（副市长）", null),
        new("L04", "刘芳", "副组长（副市长）", null),
        new("L05", "陈强", "副组长（副市长）", null),
        new("L06", "杨帆", "副组长（副市长）", null),
        new("L07", "赵磊", "成员（市政府秘书长）", null),
        new("L08", "孙静", "成员（市政府副秘书长）", null),
    ];

    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("admin", "系统管理员", Role.Admin, null),
        new("office", "项目办 周主任", Role.Office, null),
        new("mayor", "张建国", Role.Leadership, null),
        new("vicemayor", "李明", Role.Leadership, null),
        new("zrzy", "自然资源和规划局 刘科长", Role.Department, "zrzy"),
        new("zrzy2", "自然资源和规划局 陈干事", Role.Department, "zrzy"),
        new("fgw", "发展和改革局 王科长", Role.Department, "fgw"),
        new("xzsp", "行政审批服务局 吴科长", Role.Department, "xzsp"),
        new("reporter", "项目业主 郑经理", Role.ProjectReporter, null),
        new("screen", "指挥大屏", Role.BigScreen, null),
    ];

    private static readonly string[] Industrial = ["新能源电池材料", "高端装备制造", "生物医药产业园", "精密铸造", "智能家电", "光伏组件", "电子元器件", "新型建材", "食品精深加工", "汽车零部件"];
    private static readonly string[] Infrastructure = ["片区道路提升工程", "城市快速路工程", "污水处理厂扩建工程", "220千伏输变电工程", "地下综合管廊工程", "现代物流园区", "供水管网改造工程", "公交枢纽站"];
    private static readonly string[] Social = ["人民医院新院区", "中学新建工程", "保障性住房项目", "老旧小区改造工程", "养老服务中心", "妇幼保健院迁建工程"];
    private static readonly string[] Ecological = ["河道综合治理工程", "矿山生态修复工程", "垃圾焚烧发电项目", "湿地公园建设工程", "农村污水治理工程"];
    private static readonly string[] Culture = ["古镇文旅综合体", "全域旅游服务中心", "体育公园", "非遗文化街区", "乡村振兴示范片区"];
    /// <summary>The city-owned groups whose projects the demo's reporter (项目业主 郑经理) answers for.</summary>
    private static readonly string[] CityOwnedGroups = ["市城投集团", "市交投集团", "市文旅集团", "市水务集团"];

    /// <summary>The projects a demo account answers for: the reporter's are the city-owned groups' (every odd-numbered project).</summary>
    public static IReadOnlyList<string> ProjectsOf(DemoAccount account) =>
        account.Role == Role.ProjectReporter ? Projects.Where(p => CityOwnedGroups.Contains(p.OwnerUnit)).Select(p => p.Code).ToList() : [];

    private static readonly string[] Owners = ["市城投集团", "华能新材料有限公司", "市交投集团", "宏达装备股份有限公司", "市文旅集团", "康源医药有限公司", "市水务集团", "恒信置业有限公司"];

    public static IReadOnlyList<ProjectProfile> Projects { get; } = BuildProjects();
    public static IReadOnlyList<DemoProblem> Problems { get; } = BuildProblems();
    public static IReadOnlyList<DemoDirective> Directives { get; } = BuildDirectives();

    /// <summary>How far back the demo city's history starts.</summary>
    public const int HistoryDays = 30;

    /// <summary>Which leader answers for which projects (包联): every project's responsible leader.</summary>
    public static IReadOnlyList<string> ProjectsOf(string leaderId) =>
        Projects.Where(p => p.ResponsibleLeaderId == leaderId).Select(p => p.Code).ToList();

    private static IReadOnlyList<ProjectProfile> BuildProjects()
    {
        var random = new Random(Year);
        var towns = Departments.Where(d => d.Kind == DepartmentKind.Town).ToList();
        var stages = Enum.GetValues<ProjectStage>();
        var projects = new List<ProjectProfile>();
        for (var i = 0; i < 120; i++)
        {
            var category = (ProjectCategory)(i % 5);
            // Most of the list is under construction or in preparation, as on a real city's list.
            var stage = (i % 10) switch
            {
                0 => stages[i / 10 % stages.Length],
                1 or 2 or 3 or 4 => ProjectStage.UnderConstruction,
                5 or 6 => ProjectStage.Preparatory,
                7 => ProjectStage.Signed,
                8 => ProjectStage.Completed,
                _ => i % 20 == 9 ? ProjectStage.InOperation : ProjectStage.Negotiating,
            };
            var town = towns[(i * 3 + i / 11) % towns.Count];
            var name = category switch
            {
                ProjectCategory.Industrial => $"年产{random.Next(2, 60)}万{(i % 2 == 0 ? "吨" : "件")}{Industrial[i / 5 % Industrial.Length]}项目",
                ProjectCategory.Infrastructure => $"{town.Name}{Infrastructure[i / 5 % Infrastructure.Length]}",
                ProjectCategory.Social => $"{town.Name}{Social[i / 5 % Social.Length]}",
                ProjectCategory.Ecological => $"{town.Name}{Ecological[i / 5 % Ecological.Length]}",
                _ => $"{town.Name}{Culture[i / 5 % Culture.Length]}",
            };
            var total = Math.Round((decimal)(random.Next(5, 400) * 1000 + random.Next(0, 1000)), 0);
            var annual = Math.Round(total * (decimal)(0.2 + random.NextDouble() * 0.2), 0);
            var share = stage switch
            {
                ProjectStage.UnderConstruction => 0.25 + random.NextDouble() * 0.6,
                ProjectStage.Completed or ProjectStage.InOperation => 0.95 + random.NextDouble() * 0.1,
                ProjectStage.Preparatory => random.NextDouble() * 0.1,
                ProjectStage.Suspended => random.NextDouble() * 0.3,
                _ => 0,
            };
            var started = stage is ProjectStage.UnderConstruction or ProjectStage.Completed or ProjectStage.InOperation or ProjectStage.Suspended;
            var plannedStart = new DateOnly(Year, 1 + i % 9, 1 + i % 27);
            var percent = (int)Math.Min(100, Math.Round(share * 100));
            projects.Add(new ProjectProfile(
                Code: $"{Year}-{i + 1:000}",
                Name: name,
                Category: category,
                Type: (ProjectType)(i % 3),
                Level: i % 4 == 0 ? ProjectLevel.Provincial : ProjectLevel.City,
                Stage: stage,
                Town: town.Name,
                OwnerUnit: Owners[i % Owners.Length],
                ResponsibleLeaderId: Leaders[i % Leaders.Count].Id,
                ResponsibleDepartmentId: category == ProjectCategory.Industrial ? "gxj" : category == ProjectCategory.Infrastructure ? "zjj" : town.Id,
                TotalInvestment: total,
                AnnualPlannedInvestment: annual,
                CompletedInvestment: Math.Round(annual * (decimal)share, 0),
                PlannedStart: plannedStart,
                PlannedCompletion: plannedStart.AddYears(1 + i % 3),
                ActualStart: started ? plannedStart.AddDays(i % 30) : null,
                ImageProgress: started ? $"主体工程完成{percent}%" : stage == ProjectStage.Preparatory ? "前期手续办理中" : "项目洽谈推进中",
                ImageProgressPercent: started ? percent : 0,
                OnInspectionTour: i % 9 == 0));
        }
        return projects;
    }

    private static DemoPath Path(int i, string lead, ProblemCategory category)
    {
        var late = lead is "czj" or "gdgs" or "sthj" || lead.Length > 0 && Departments.Single(d => d.Id == lead).Kind == DepartmentKind.Town;
        var good = lead is "zrzy" or "fgw" or "xzsp";
        var tenDays = category is not (ProblemCategory.Land or ProblemCategory.Demolition); // 10 working days to resolve
        return (i % 12) switch
        {
            0 => i < 24 ? DemoPath.Unrouted : DemoPath.Waiting,
            1 => good ? DemoPath.Waiting : DemoPath.ClaimOverdue,
            2 => DemoPath.Working,
            3 => late && tenDays ? DemoPath.ResolutionOverdue : DemoPath.Working,
            4 => i < 30 ? DemoPath.ReturnedOnce : DemoPath.AwaitingRuling,
            5 => i < 30 ? DemoPath.PauseRequested : DemoPath.Paused,
            6 => DemoPath.Submitted,
            7 => DemoPath.SentBack,
            8 => late ? DemoPath.ClosedLate : DemoPath.ClosedOnTime,
            9 => late && tenDays ? DemoPath.ResolutionOverdue : DemoPath.ClosedOnTime,
            10 => good ? DemoPath.ClosedOnTime : DemoPath.ClaimOverdue,
            _ => late ? DemoPath.ClosedLate : DemoPath.ClosedOnTime,
        };
    }

    /// <summary>When a path's history starts: old enough for its deadlines to have run out, recent enough for the rest.</summary>
    private static int DaysAgo(DemoPath path, int i) => path switch
    {
        DemoPath.Unrouted or DemoPath.Waiting => i % 2,
        DemoPath.ClaimOverdue => 6 + i % 7,
        DemoPath.ResolutionOverdue => 19 + i % 8,
        DemoPath.ClosedLate => 24 + i % 5,
        DemoPath.ClosedOnTime => 8 + i % 20,
        _ => 3 + i % 6,
    };

    /// <summary>Orders from the office and the leaders' instructions, about the demo's overdue and escalated problems.</summary>
    private static IReadOnlyList<DemoDirective> BuildDirectives()
    {
        var overdue = Problems.Where(p => p.Path is DemoPath.ClaimOverdue or DemoPath.ResolutionOverdue).ToList();
        var directives = new List<DemoDirective>();
        for (var i = 0; i < overdue.Count; i++)
        {
            var p = overdue[i];
            var (kind, by, text) = i % 3 == 2
                ? (Grains.Directives.DirectiveKind.Instruction, i % 2 == 0 ? "mayor" : "vicemayor", "请牵头单位本周内拿出解决方案，主要负责同志亲自协调，结果报领导小组。")
                : (Grains.Directives.DirectiveKind.SupervisionOrder, "office", "该问题已超期，请于督办时限内反馈办理进展及下一步措施。");
            var (daysAgo, reach) = (i % 4) switch
            {
                0 => (9, Grains.Directives.DirectiveStatus.Open),       // overdue: no feedback within 5 working days
                1 => (2, Grains.Directives.DirectiveStatus.Open),       // running
                2 => (5, Grains.Directives.DirectiveStatus.Responded),  // feedback waiting to be accepted
                _ => (8, Grains.Directives.DirectiveStatus.Accepted),
            };
            directives.Add(new DemoDirective(i + 1, p.Number, kind, by, text, Math.Min(daysAgo, p.RaisedDaysAgo), reach));
        }
        return directives;
    }

    private static IReadOnlyList<DemoProblem> BuildProblems()
    {
        var office = Accounts.Single(a => a.UserName == "office");
        var reporter = Accounts.Single(a => a.UserName == "reporter");
        var active = Projects.Where(p => p.Stage is ProjectStage.UnderConstruction or ProjectStage.Preparatory or ProjectStage.Signed).ToList();
        var towns = Departments.Where(d => d.Kind == DepartmentKind.Town).ToDictionary(d => d.Name, d => d.Id);
        var problems = new List<DemoProblem>();
        for (var i = 0; i < 60; i++)
        {
            var project = active[i * 7 % active.Count];
            var category = (ProblemCategory)(i % 9);
            var townId = towns[project.Town];
            var (lead, title) = category switch
            {
                ProblemCategory.Land => ("zrzy", $"新增建设用地指标不足{10 + i % 40}亩，影响二期开工"),
                ProblemCategory.Funds => ("czj", $"项目资金缺口约{1000 + i * 150}万元，专项债申报待协调"),
                ProblemCategory.Approvals => ("xzsp", "施工许可办理滞后，容缺受理材料待补齐"),
                ProblemCategory.Energy => ("fgw", $"能耗指标{500 + i * 20}吨标煤尚未落实"),
                ProblemCategory.Environment => ("sthj", "环评批复未下达，环境容量需统筹"),
                ProblemCategory.Demolition => (townId, $"征地拆迁剩余{2 + i % 9}户未签约"),
                ProblemCategory.Utilities => ("gdgs", "高压线迁改及临时用电接入需协调"),
                ProblemCategory.SiteEnvironment => (townId, "施工周边道路受阻，存在阻工现象"),
                _ => ("zjj", "施工图审查意见反复，需住建部门统筹"),
            };
            var assisting = new List<string>();
            if (i % 3 != 0) assisting.Add(lead == "fgw" ? "tjj" : "fgw");
            if (i % 4 == 1 && lead != townId) assisting.Add(townId);
            // Departments differ (a 红黑榜 with spread): 自然资源 and 发改 mostly on time, 财政 and the towns often late.
            var path = Path(i, lead, category);
            // A reporter raises problems on its own projects only (the office on the others).
            var raisedBy = (path == DemoPath.Unrouted || i % 2 == 1) && ProjectsOf(reporter).Contains(project.Code) ? reporter : office;
            problems.Add(new DemoProblem(i + 1, project.Code, title,
                $"{project.Name}：{title}。请牵头单位会同配合单位研究解决，限时办结。",
                category, path == DemoPath.Unrouted ? "" : lead, path == DemoPath.Unrouted ? [] : assisting, raisedBy, path, DaysAgo(path, i)));
        }
        return problems;
    }
}
