using System.Globalization;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Rankings;
using KeyProjects.Grains.Settings;
using KeyProjects.Web.Components.Shared;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Office;

/// <summary>
/// 月通报 as a Word document: the city's figures, the towns' and departments' figures, the 红黑榜 (with exemptions and
/// the published formula), the red items, the overdue problems, and every report the month's figures came from with
/// who reported it and when (数出有据).
/// </summary>
public static class MonthlyBulletin
{
    public static byte[] Document(BulletinContent c)
    {
        var (year, month) = (c.Month[..4], int.Parse(c.Month[5..], CultureInfo.InvariantCulture));
        var city = c.Towns.City;
        var published = c.Ranking.Published;
        return WordDocument.Create(b =>
        {
            b.Append(WordDocument.Paragraph("重点项目建设月通报", bold: true, size: 44, centred: true));
            b.Append(WordDocument.Paragraph($"（{year}年{month}月）", bold: true, size: 32, centred: true));
            b.Append(WordDocument.Paragraph(published is { } p
                ? $"已审定发布：{p.ByName}　{p.At.ToOffset(WorkingCalendar.ChinaOffset):yyyy年M月d日}" : "草稿（项目办审定前）", size: 21, centred: true));

            b.Append(WordDocument.Paragraph("一、总体情况", bold: true, size: 28));
            b.Append(WordDocument.Paragraph(
                $"截至{month}月末，全市重点项目{city.Sums.Projects}个，年度计划投资{Figures.Money(city.Sums.AnnualPlanned)}万元，" +
                $"完成投资{Figures.Money(city.Sums.Completed)}万元，投资完成率{Figures.Percent(city.CompletionRate)}，时序进度{Figures.Percent(city.TimeProgress)}，" +
                $"{Gap(city.GapPoints)}；计划本年开工{city.Sums.PlannedToStart}个，已开工{city.Sums.Started}个，开工率{Figures.Percent(city.StartRate)}；" +
                $"签约项目{city.Sums.Signed}个，资金到位率{Figures.Percent(city.FundsRate)}，合同履约率{Figures.Percent(city.ContractRate)}，建成投产率{Figures.Percent(city.CommissioningRate)}。"));

            b.Append(WordDocument.Paragraph("二、各镇街指标", bold: true, size: 28));
            b.Append(FigureTable("镇街", c.Towns.Rows));
            b.Append(WordDocument.Paragraph("三、各责任单位指标", bold: true, size: 28));
            b.Append(FigureTable("责任单位", c.Departments.Rows));

            b.Append(WordDocument.Paragraph("四、红黑榜", bold: true, size: 28));
            b.Append(WordDocument.Paragraph(
                $"计分公式（第{c.Ranking.FormulaVersion}版）：办结分 = 100 × 按期办结率；投资分 = 100 × （投资完成率 ÷ 时序进度，超过 1 按 1 计）；开工分 = 100 × 开工率；" +
                "得分 = 已有分项的加权平均（办结 40、投资 40、开工 20）− 5 × 退回次数 − 10 × 逾期督办单。部门、镇街分组排名，同分同名次；只按结果指标计分。", size: 21));
            foreach (var group in c.Ranking.Standings.GroupBy(s => s.Group).OrderBy(g => g.Key))
            {
                b.Append(WordDocument.Paragraph(group.Key == DepartmentKind.Town ? "镇街" : "部门", bold: true));
                b.Append(WordDocument.Table(["名次", "单位", "得分", "办结分", "投资分", "开工分", "上期名次", "榜单"],
                    group.Where(s => s.HasRecord).Select(s => (IReadOnlyList<string>)[Int(s.Rank), s.Name, Number(s.Score), Number(s.HandlingPart),
                        Number(s.InvestmentPart), Number(s.StartPart), c.Ranking.PreviousRanks.TryGetValue(s.UnitId, out var before) ? Int(before) : "—",
                        s.Standing switch { Standing.Red => "红榜", Standing.Black => "黑榜", _ => "" }])));
                foreach (var exempt in group.Where(s => s.Exempted is not null))
                    b.Append(WordDocument.Paragraph($"豁免：{exempt.Name}（{exempt.Exempted!.Reason}；{exempt.Exempted.ByName}批准）", size: 21));
            }

            b.Append(WordDocument.Paragraph("五、红灯事项", bold: true, size: 28));
            b.Append(ProblemTable(c.Red, c));
            b.Append(WordDocument.Paragraph("六、超期问题", bold: true, size: 28));
            b.Append(ProblemTable(c.Overdue, c));

            b.Append(WordDocument.Paragraph("七、数据来源（本月月报）", bold: true, size: 28));
            b.Append(WordDocument.Table(["项目代码", "月份", "当月完成投资(万元)", "到位资金(万元)", "填报人", "填报时间", "状态"],
                c.Reports.Select(r => (IReadOnlyList<string>)[r.ProjectCode, r.Month, Figures.Money(r.Figures.CompletedThisMonth),
                    Figures.Money(r.Figures.FundsArrivedThisMonth), r.ReportedByName, r.ReportedAt.ToOffset(WorkingCalendar.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    string.Join("、", new[] { r.Late ? "迟报" : null, r.Corrections > 0 ? $"更正{r.Corrections}次" : null, r.Locked ? "已锁定" : null }.Where(x => x is not null))])));
        });
    }

    private static DocumentFormat.OpenXml.Wordprocessing.Table FigureTable(string unit, IReadOnlyList<GroupFigures> rows) =>
        WordDocument.Table([unit, "项目数", "开工率", "投资完成率", "与时序进度差", "资金到位率", "合同履约率", "建成投产率"],
            rows.Select(r => (IReadOnlyList<string>)[r.Name, Int(r.Sums.Projects), Figures.Percent(r.StartRate), Figures.Percent(r.CompletionRate),
                Number(r.GapPoints), Figures.Percent(r.FundsRate), Figures.Percent(r.ContractRate), Figures.Percent(r.CommissioningRate)]));

    private static DocumentFormat.OpenXml.Wordprocessing.Table ProblemTable(IReadOnlyList<KeyProjects.Grains.Problems.ProblemSummary> problems, BulletinContent c) =>
        WordDocument.Table(["问题", "项目", "牵头单位", "时限", "超期"],
            problems.Select(p => (IReadOnlyList<string>)[p.Title, p.ProjectName, c.DepartmentNames.GetValueOrDefault(p.LeadDepartmentId, p.LeadDepartmentId),
                p.CurrentDeadline?.ToOffset(WorkingCalendar.ChinaOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—", p.Overdue ? "是" : "否"]));

    private static string Gap(double? points) => points is { } g ? (g >= 0 ? $"高出时序进度{Number(g)}个百分点" : $"低于时序进度{Number(-g)}个百分点") : "尚无投资数据";

    private static string Number(double? value) => Figures.Number(value);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
