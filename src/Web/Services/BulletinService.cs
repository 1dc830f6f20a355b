using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Reports;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Office;

namespace KeyProjects.Web.Services;

/// <summary>What the monthly bulletin (月通报) holds: the figures, the 红黑榜, red and overdue problems, the reports behind the figures.</summary>
public sealed record BulletinContent(
    string Month,
    FigureTable Towns,
    FigureTable Departments,
    RankingView Ranking,
    IReadOnlyList<ProblemSummary> Red,
    IReadOnlyList<ProblemSummary> Overdue,
    IReadOnlyList<ProgressReport> Reports,
    IReadOnlyDictionary<string, string> DepartmentNames);

/// <summary>
/// The monthly bulletin: drafted from the read model whenever asked; it is the office's reviewed bulletin once the
/// office publishes the month's 红黑榜 (the ranking it prints is then the frozen one, and it says who published it).
/// </summary>
public sealed class BulletinService(FigureService figures, RankingService rankings, ReadModelQueries readModel, DepartmentService departments)
{
    public async Task<BulletinContent> Content(string month)
    {
        var towns = await figures.Table(FigureGroup.Town, month);
        var units = await figures.Table(FigureGroup.Department, month);
        var ranking = await rankings.Get(month);
        var red = await readModel.ProblemList(new ProblemFilter { Open = true, Light = WarningLight.Red }, ReadModelQueries.MaxLimit);
        var overdue = await readModel.ProblemList(new ProblemFilter { Open = true, Overdue = true }, ReadModelQueries.MaxLimit);
        var reports = await readModel.ReportsOfMonth(month);
        var names = (await departments.GetDepartments()).ToDictionary(d => d.Id, d => d.Name);
        return new BulletinContent(month, towns, units, ranking, red, overdue, reports, names);
    }

    public async Task<byte[]> Document(string month) => MonthlyBulletin.Document(await Content(month));
}
