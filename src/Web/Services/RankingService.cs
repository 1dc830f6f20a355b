using System.Security.Claims;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Figures;
using KeyProjects.Grains.Rankings;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>
/// A month's 红黑榜 as its page reads it: the frozen standings once published (else a draft computed now by the same
/// rules), the exemptions, and each unit's rank in the last month published before (to compare month to month).
/// </summary>
public sealed record RankingView(
    string Month,
    RankingSnapshot? Published,
    IReadOnlyList<UnitStanding> Standings,
    IReadOnlyList<Exemption> Exemptions,
    string? PreviousMonth,
    IReadOnlyDictionary<string, int> PreviousRanks,
    int FormulaVersion);

/// <summary>An exemption asked for: which unit and why (force majeure).</summary>
public sealed record ExemptionRequest(string? UnitId, string? Reason);

/// <summary>The monthly 红黑榜: drafts from the read model, exemptions and publishing through the month's grain.</summary>
public sealed class RankingService(IGrainFactory grains, DepartmentService departments, FigureService figureService, ReadModelQueries readModel)
{
    public async Task<RankingView> Get(string month)
    {
        var record = await Grain(month).Get();
        var standings = record.Published?.Standings
            ?? RankingRules.Rank(await UnitsFor(month), record.Exemptions.ToDictionary(e => e.UnitId));
        var previous = await readModel.PublishedBefore(month);
        return new RankingView(month, record.Published, standings, record.Exemptions, previous?.Month,
            previous?.Published?.Standings.Where(s => s.HasRecord).ToDictionary(s => s.UnitId, s => s.Rank) ?? new Dictionary<string, int>(),
            record.Published?.FormulaVersion ?? RankingRules.FormulaVersion);
    }

    public async Task<RankingCommandResult> Exempt(ClaimsPrincipal user, string month, ExemptionRequest request, string key)
    {
        if (figureService.MonthProblem(month) is { } bad) return RankingCommandResult.Rejected(CommandOutcome.Invalid("month", "ranking.month", bad));
        if (string.IsNullOrWhiteSpace(request.UnitId)) return RankingCommandResult.Rejected(CommandOutcome.Invalid("unitId", "field.required", "The department or town exempted."));
        if ((await departments.GetDepartments()).All(d => d.Id != request.UnitId))
            return RankingCommandResult.Rejected(CommandOutcome.NotFound("department.not_found", $"'{request.UnitId}' is no department or town."));
        return await Grain(month).Exempt(key, user.ToActor(), request.UnitId, request.Reason ?? "");
    }

    public Task<RankingCommandResult> Revoke(ClaimsPrincipal user, string month, string unitId, string key) =>
        figureService.MonthProblem(month) is { } bad
            ? Task.FromResult(RankingCommandResult.Rejected(CommandOutcome.Invalid("month", "ranking.month", bad)))
            : Grain(month).Revoke(key, user.ToActor(), unitId);

    /// <summary>Publishes the month: the units' outcomes now (problem handling) and as of the month (projects), frozen by the grain.</summary>
    public async Task<RankingCommandResult> Publish(ClaimsPrincipal user, string month, string key)
    {
        if (figureService.MonthProblem(month) is { } bad) return RankingCommandResult.Rejected(CommandOutcome.Invalid("month", "ranking.month", bad));
        var actor = user.ToActor();
        // A refusal the grain would give (not the office, published already) costs no reading of figures.
        if (actor.Role != Role.Office) return RankingCommandResult.Rejected(CommandOutcome.Forbidden("ranking.forbidden", "The command office keeps the 红黑榜."));
        return await Grain(month).Publish(key, actor, (await UnitsFor(month)).ToList());
    }

    /// <summary>What the 红黑榜 judges of every unit for a month: problem handling as it stands, projects as of the month.</summary>
    private async Task<IReadOnlyList<UnitRecord>> UnitsFor(string month)
    {
        var roster = await departments.GetDepartments();
        var handling = await departments.GetAllFigures();
        var projects = UnitProjects((await figureService.Table(FigureGroup.Department, month)).Rows, (await figureService.Table(FigureGroup.Town, month)).Rows);
        return Units(handling, roster, projects).ToList();
    }

    /// <summary>A unit's projects' figures: a department's responsible projects, a town's projects (by its name).</summary>
    public static Func<DepartmentProfile, GroupFigures?> UnitProjects(IReadOnlyList<GroupFigures> byDepartment, IReadOnlyList<GroupFigures> byTown)
    {
        var byId = byDepartment.ToDictionary(g => g.Key);
        var byName = byTown.ToDictionary(g => g.Key);
        return unit => unit.Kind == DepartmentKind.Town ? byName.GetValueOrDefault(unit.Name) : byId.GetValueOrDefault(unit.Id);
    }

    /// <summary>What the 红黑榜 judges of each unit: its problem handling and its projects' outcomes.</summary>
    public static IEnumerable<UnitRecord> Units(IReadOnlyList<DepartmentFigures> figures, IReadOnlyList<DepartmentProfile> roster,
        Func<DepartmentProfile, GroupFigures?>? projects = null)
    {
        var profiles = roster.ToDictionary(d => d.Id);
        foreach (var f in figures)
        {
            var profile = profiles.GetValueOrDefault(f.DepartmentId) ?? new DepartmentProfile(f.DepartmentId, f.Name, DepartmentKind.Department);
            var p = projects?.Invoke(profile);
            var onTime = (int)Math.Round((f.OnTimeCloseRate ?? 0) * f.Closed);
            yield return new UnitRecord(f.DepartmentId, f.Name, profile.Kind, f.Closed, onTime, f.Overdue, f.Returns, f.OverdueDirectives,
                p?.Sums.AnnualPlanned ?? 0, p?.Sums.Completed ?? 0, p?.TimeProgress ?? 0, p?.Sums.PlannedToStart ?? 0, p?.Sums.Started ?? 0,
                p is { Sums.OnRecord: > 0 });
        }
    }

    private IRankingMonthGrain Grain(string month) => grains.GetGrain<IRankingMonthGrain>(month);
}
