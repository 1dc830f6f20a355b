using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Settings;

namespace KeyProjects.Grains.Projects;

/// <summary>The approval items (手续) a project goes through before it may start building.</summary>
public enum ApprovalKind
{
    Initiation,              // 立项（审批/核准/备案）
    LandPreExamination,      // 用地预审与选址
    LandUsePlanning,         // 用地规划许可
    EngineeringPlanning,     // 工程规划许可
    LandSupply,              // 供地
    EnergyAssessment,        // 能评
    EnvironmentalAssessment, // 环评
    SafetyAssessment,        // 安评
    SoilWaterConservation,   // 水保
    ConstructionPermit,      // 施工许可
}

public enum ApprovalStatus
{
    NotStarted,           // 未启动
    InProgress,           // 办理中
    Done,                 // 已办结
    ToleratedAcceptance,  // 容缺受理
    NotRequired,          // 不需要
}

/// <summary>
/// One approval item of a project: the department that owns it, where it stands, its planned and actual days, the
/// items it waits for (serial) — items with no common prerequisite run in parallel —, the helper assigned to it
/// (代办/帮办), the problem raised when it ran late (and how many were raised about it so far), who changed it last and when.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ApprovalItem(
    ApprovalKind Kind,
    string DepartmentId,
    ApprovalStatus Status,
    IReadOnlyList<ApprovalKind> DependsOn,
    DateOnly PlannedStart,
    DateOnly PlannedDone,
    DateOnly? ActualDone,
    string? Helper,
    Guid? ProblemId,
    string? Note,
    string By,
    string ByName,
    DateTimeOffset At,
    int ProblemsRaised = 0)
{
    /// <summary>Still to be done: not finished and not waived. 容缺受理 is open: the missing papers are still owed.</summary>
    public bool IsOpen => Status is not (ApprovalStatus.Done or ApprovalStatus.NotRequired);

    /// <summary>Past its planned day and still open.</summary>
    public bool IsOverdue(DateOnly today) => IsOpen && PlannedDone < today;

    /// <summary>Whether the items waiting for this one may go on: done, accepted with papers owed (容缺受理), or not needed.</summary>
    public bool LetsOthersGo => Status is ApprovalStatus.Done or ApprovalStatus.ToleratedAcceptance or ApprovalStatus.NotRequired;
}

/// <summary>A step of a template: the item, how many working days it normally takes, what it waits for, whether the type needs it.</summary>
public sealed record ApprovalStep(ApprovalKind Kind, int WorkingDays, IReadOnlyList<ApprovalKind> DependsOn, bool Required = true);

/// <summary>What changes in one item. Null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record ApprovalUpdate(
    ApprovalKind Kind,
    ApprovalStatus? Status = null,
    DateOnly? ActualDone = null,
    DateOnly? PlannedDone = null,
    string? DepartmentId = null,
    string? Helper = null,
    string? Note = null);

/// <summary>
/// The approval path (审批路径) each project type starts from, and the rules of its items. The office generates a
/// project's path from its type's template (planned days counted in working days from a start day, an item starting
/// when the items it waits for are planned to be done) and may then waive or re-plan items one by one.
/// </summary>
public static class ApprovalRules
{
    public const int NoteMaxLength = 500;
    public const int HelperMaxLength = 100;

    /// <summary>How far from today a path may be planned from (years either way).</summary>
    public const int PlanYears = 5;

    /// <summary>The earliest finish day an item may be recorded with.</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    private static readonly ApprovalKind[] AfterInitiation = [ApprovalKind.Initiation];

    /// <summary>
    /// 新建: site and land pre-examination → 立项 → the assessments (能评, 环评, 安评, 水保) in parallel with land-use planning
    /// → land supply → engineering planning; the construction permit waits for planning and the assessments. 扩建: the same
    /// on land next to the plant (no 水保). 技改: on the plant's own land: 立项 → 能评, 环评, 安评 → 施工许可; land and planning
    /// items are not needed.
    /// </summary>
    public static IReadOnlyList<ApprovalStep> Template(ProjectType type)
    {
        var renovation = type == ProjectType.Renovation;
        var expansion = type == ProjectType.Expansion;
        return
        [
            new(ApprovalKind.LandPreExamination, 20, [], Required: !renovation),
            new(ApprovalKind.Initiation, 10, [ApprovalKind.LandPreExamination]),
            new(ApprovalKind.EnergyAssessment, 20, AfterInitiation),
            new(ApprovalKind.EnvironmentalAssessment, 30, AfterInitiation),
            new(ApprovalKind.SafetyAssessment, 20, AfterInitiation),
            new(ApprovalKind.SoilWaterConservation, 20, AfterInitiation, Required: !renovation && !expansion),
            new(ApprovalKind.LandUsePlanning, 15, AfterInitiation, Required: !renovation),
            new(ApprovalKind.LandSupply, 30, [ApprovalKind.LandUsePlanning], Required: !renovation),
            new(ApprovalKind.EngineeringPlanning, 20, [ApprovalKind.LandSupply], Required: !renovation),
            new(ApprovalKind.ConstructionPermit, 10,
                [ApprovalKind.EngineeringPlanning, ApprovalKind.EnergyAssessment, ApprovalKind.EnvironmentalAssessment,
                 ApprovalKind.SafetyAssessment, ApprovalKind.SoilWaterConservation]),
        ];
    }

    /// <summary>
    /// The path of a project type, planned from a day: an item starts on the working day after the last of its
    /// (needed) prerequisites is planned to be done, and takes its template's working days. Waived items take no time.
    /// </summary>
    public static IReadOnlyList<ApprovalItem> Plan(ProjectType type, DateOnly from, IReadOnlyDictionary<ApprovalKind, string> owners,
        WorkingCalendar calendar, Actor actor, DateTimeOffset now)
    {
        var done = new Dictionary<ApprovalKind, DateOnly>();
        var items = new List<ApprovalItem>();
        foreach (var step in Template(type))
        {
            var waits = step.DependsOn.Where(done.ContainsKey).Select(k => done[k]).DefaultIfEmpty().Max();
            var start = waits == default ? (calendar.IsWorkingDay(from) ? from : calendar.WorkingDayAfter(from, 1)) : calendar.WorkingDayAfter(waits, 1);
            var end = step.Required ? calendar.WorkingDayAfter(start, step.WorkingDays - 1) : start;
            if (step.Required) done[step.Kind] = end;
            items.Add(new ApprovalItem(step.Kind, owners.GetValueOrDefault(step.Kind) ?? "",
                step.Required ? ApprovalStatus.NotStarted : ApprovalStatus.NotRequired, step.DependsOn, start, end, null, null, null, null,
                actor.UserName, actor.DisplayName, now));
        }
        return items;
    }

    /// <summary>The earliest day an item can have been finished: not before what it waits for was finished.</summary>
    public static DateOnly EarliestDone(IReadOnlyList<ApprovalItem> path, ApprovalItem item) =>
        item.DependsOn.Select(k => path.FirstOrDefault(i => i.Kind == k)?.ActualDone).OfType<DateOnly>().Append(Earliest).Max();

    /// <summary>The problem about an item's current lateness: the same for every attempt (any user, any key) until one is raised.</summary>
    public static Guid ProblemId(string projectCode, ApprovalItem item) =>
        CommandId.DeriveGuid("approval-problem", $"{projectCode}\n{item.Kind}\n{item.ProblemsRaised + 1}");

    /// <summary>The prerequisites still holding an item back (none: it may go on).</summary>
    public static IReadOnlyList<ApprovalKind> Waiting(IReadOnlyList<ApprovalItem> path, ApprovalItem item) =>
        item.DependsOn.Where(k => path.FirstOrDefault(i => i.Kind == k) is { LetsOthersGo: false }).ToList();

    /// <summary>The item's name as the city says it (problem titles are data, written in the city's language).</summary>
    public static string NameOf(ApprovalKind kind) => kind switch
    {
        ApprovalKind.Initiation => "立项",
        ApprovalKind.LandPreExamination => "用地预审与选址",
        ApprovalKind.LandUsePlanning => "用地规划许可",
        ApprovalKind.EngineeringPlanning => "工程规划许可",
        ApprovalKind.LandSupply => "供地",
        ApprovalKind.EnergyAssessment => "能评",
        ApprovalKind.EnvironmentalAssessment => "环评",
        ApprovalKind.SafetyAssessment => "安评",
        ApprovalKind.SoilWaterConservation => "水保",
        _ => "施工许可",
    };
}
