using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Factors;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.ReadModel;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace KeyProjects.Web.Office;

/// <summary>
/// The office's ledgers (台账) as workbooks, in the words the pages show: the problems (协调事项台账), the approval items
/// (审批手续台账) and the year's factor ledger (要素保障台账: each pool with its allocations, and the city's needs).
/// </summary>
public static class LedgerWorkbook
{
    public static byte[] Problems(IEnumerable<ProblemSummary> problems, IReadOnlyDictionary<string, string> departments) => Save(new()
    {
        ["协调事项台账"] = problems.Select(p => new Dictionary<string, object?>
        {
            ["项目编号"] = p.ProjectCode,
            ["项目名称"] = p.ProjectName,
            ["问题"] = p.Title,
            ["问题类别"] = ChineseNames.Of(p.Category),
            ["状态"] = ChineseNames.Of(p.Status),
            ["预警"] = ChineseNames.Text("Light." + p.Light.Light),
            ["牵头单位"] = Name(departments, p.LeadDepartmentId),
            ["配合单位"] = string.Join("、", p.AssistingDepartmentIds.Select(d => Name(departments, d))),
            ["提报时间"] = Local(p.RaisedAt),
            ["当前时限"] = p.CurrentDeadline is { } deadline ? Local(deadline) : "",
            ["超期"] = p.Overdue ? "是" : "否",
            ["升级层级"] = p.EscalationLevel,
            ["退回次数"] = p.ReturnCount,
        }).ToList(),
    });

    public static byte[] Approvals(IEnumerable<ApprovalLine> lines, IReadOnlyDictionary<string, string> departments, DateOnly today) => Save(new()
    {
        ["审批手续台账"] = lines.Select(l => new Dictionary<string, object?>
        {
            ["项目编号"] = l.ProjectCode,
            ["项目名称"] = l.ProjectName,
            ["手续事项"] = ChineseNames.Of(l.Item.Kind),
            ["责任部门"] = Name(departments, l.Item.DepartmentId),
            ["办理状态"] = ChineseNames.Of(l.Item.Status),
            ["计划开始"] = Day(l.Item.PlannedStart),
            ["计划办结"] = Day(l.Item.PlannedDone),
            ["实际办结"] = l.Item.ActualDone is { } done ? Day(done) : "",
            ["逾期天数"] = l.Item.IsOverdue(today) ? today.DayNumber - l.Item.PlannedDone.DayNumber : 0,
            ["代办帮办"] = l.Item.Helper ?? "",
            ["办理情况"] = l.Item.Note ?? "",
        }).ToList(),
    });

    public static byte[] Factors(int year, IReadOnlyList<FactorPoolView> pools, IReadOnlyList<NeedTotal> needs) => Save(new()
    {
        [$"{year}年指标池"] = pools.Select(p => new Dictionary<string, object?>
        {
            ["指标"] = ChineseNames.Of(p.Kind),
            ["年度总量"] = p.Capacity,
            ["已分配"] = p.Allocated,
            ["余额"] = p.Balance,
            ["项目总需求"] = needs.Where(n => FactorNeedRules.PoolOf(n.Kind) == p.Kind).Sum(n => n.Amount),
        }).ToList(),
        ["分配明细"] = pools.SelectMany(p => p.Allocations.Select(a => new Dictionary<string, object?>
        {
            ["指标"] = ChineseNames.Of(p.Kind),
            ["序号"] = a.Sequence,
            ["项目编号"] = a.ProjectCode,
            ["分配量"] = a.Amount,
            ["分配理由"] = a.Reason,
            ["经办"] = a.ByName,
            ["分配时间"] = Local(a.At),
            ["收回"] = a.IsActive ? "" : $"{a.ReleasedByName} {(a.ReleasedAt is { } at ? Local(at) : "")}：{a.ReleaseReason}",
        })).ToList(),
        ["要素需求汇总"] = needs.Select(n => new Dictionary<string, object?>
        {
            ["要素"] = ChineseNames.Of(n.Kind),
            ["项目数"] = n.Projects,
            ["需求量"] = n.Amount,
            ["部门登记已保障"] = FactorNeedRules.PoolOf(n.Kind) is null ? n.Met : null,
        }).ToList(),
    });

    private static string Name(IReadOnlyDictionary<string, string> departments, string id) => departments.GetValueOrDefault(id) ?? id;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd");

    private static string Local(DateTimeOffset at) => at.ToOffset(WorkingCalendar.ChinaOffset).ToString("yyyy-MM-dd HH:mm");

    private static byte[] Save(Dictionary<string, object> sheets)
    {
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheets);
        return stream.ToArray();
    }
}
