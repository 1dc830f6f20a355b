using KeyProjects.Grains.Figures;
using KeyProjects.Web.Services;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace KeyProjects.Web.Office;

/// <summary>The figures of a month as a workbook: one row per group (the city first), and the city's monthly series.</summary>
public static class FigureWorkbook
{
    public static byte[] Export(FigureTable table)
    {
        var unit = table.Group switch
        {
            FigureGroup.Department => "责任单位",
            FigureGroup.Town => "镇街",
            FigureGroup.Leader => "包联领导",
            _ => "范围",
        };
        var rows = new[] { table.City with { Name = "全市" } }.Concat(table.Rows).Select(r => new Dictionary<string, object?>
        {
            [unit] = r.Name,
            ["项目数"] = r.Sums.Projects,
            ["计划开工"] = r.Sums.PlannedToStart,
            ["已开工"] = r.Sums.Started,
            ["开工率(%)"] = Percent(r.StartRate),
            ["年度计划投资(万元)"] = r.Sums.AnnualPlanned,
            ["完成投资(万元)"] = r.Sums.Completed,
            ["投资完成率(%)"] = Percent(r.CompletionRate),
            ["时序进度(%)"] = Percent(r.TimeProgress),
            ["与时序进度差(百分点)"] = r.GapPoints,
            ["签约项目"] = r.Sums.Signed,
            ["到位资金(万元)"] = r.Sums.FundsArrived,
            ["资金到位率(%)"] = Percent(r.FundsRate),
            ["合同履约率(%)"] = Percent(r.ContractRate),
            ["建成投产率(%)"] = Percent(r.CommissioningRate),
        }).ToList();
        var series = table.CitySeries.Select(m => new Dictionary<string, object?>
        {
            ["月份"] = m.Month,
            ["时序进度(%)"] = Percent(m.TimeProgress),
            ["累计完成投资(万元)"] = m.Completed,
            ["投资完成率(%)"] = Percent(m.CompletionRate),
            ["与时序进度差(百分点)"] = m.GapPoints,
            ["已开工"] = m.Started,
            ["开工率(%)"] = Percent(m.StartRate),
        }).ToList();
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, new Dictionary<string, object> { [$"{table.Month} 指标"] = rows, ["全市逐月"] = series });
        return stream.ToArray();
    }

    private static double? Percent(double? rate) => rate is { } r ? Math.Round(r * 100, 1, MidpointRounding.AwayFromZero) : null;
}
