using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Factors;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>A pool's capacity as the office sets it.</summary>
public sealed record CapacityRequest(decimal? Capacity);

/// <summary>Why an allocation is taken back.</summary>
public sealed record ReleaseRequest(string? Reason);

/// <summary>An allocation asked for: to which project, how much, why.</summary>
public sealed record AllocationRequest(string? ProjectCode, decimal? Amount, string? Reason);

/// <summary>The factor ledger (要素保障): the year's pools from the read model; capacity and allocations through the pool grains.</summary>
public sealed class FactorService(IGrainFactory grains, ReadModelQueries readModel)
{
    /// <summary>Null when the year may be kept; the ledger keeps years 2000 to 2100.</summary>
    public static string? YearProblem(int year) => year is < 2000 or > 2100 ? "A year from 2000 to 2100." : null;

    /// <summary>Every pool of the year, one per kind (a pool not set up yet reads as empty).</summary>
    public async Task<IReadOnlyList<FactorPoolView>> Pools(int year)
    {
        var kept = (await readModel.FactorPools(year)).ToDictionary(p => p.Kind);
        return Enum.GetValues<FactorKind>().Select(k => kept.GetValueOrDefault(k) ?? new FactorPoolView(k, year, 0, [], 0)).ToList();
    }

    /// <summary>The city's factor needs by kind (every project's, from the read model): projects, amount, what departments recorded as met.</summary>
    public Task<IReadOnlyList<NeedTotal>> NeedTotals() => readModel.NeedTotals();

    /// <summary>What a project was allocated this year (and still holds), pool by pool.</summary>
    public async Task<IReadOnlyList<(FactorKind Kind, FactorAllocation Allocation)>> Of(string projectCode, int year) =>
        (await readModel.FactorPools(year)).SelectMany(p => p.Allocations.Where(a => a.ProjectCode == projectCode && a.IsActive).Select(a => (p.Kind, a))).ToList();

    public Task<FactorCommandResult> SetCapacity(ClaimsPrincipal user, int year, FactorKind kind, CapacityRequest request, string key) =>
        Check(year, kind) ?? (request.Capacity is not { } capacity
            ? Refuse(CommandOutcome.Invalid("capacity", "field.required", "The pool's capacity."))
            : Pool(kind, year).SetCapacity(key, user.ToActor(), capacity));

    public Task<FactorCommandResult> Allocate(ClaimsPrincipal user, int year, FactorKind kind, AllocationRequest request, string key) =>
        Check(year, kind)
        ?? (string.IsNullOrWhiteSpace(request.ProjectCode) || request.ProjectCode.Length > 64 ? Refuse(CommandOutcome.Invalid("projectCode", "field.required", "The project allocated to."))
            : request.Amount is not { } amount ? Refuse(CommandOutcome.Invalid("amount", "field.required", "How much is allocated."))
            : Pool(kind, year).Allocate(key, user.ToActor(), request.ProjectCode.Trim(), amount, request.Reason ?? ""));

    public Task<FactorCommandResult> Release(ClaimsPrincipal user, int year, FactorKind kind, int sequence, ReleaseRequest request, string key) =>
        Check(year, kind) ?? Pool(kind, year).Release(key, user.ToActor(), sequence, request.Reason ?? "");

    private static Task<FactorCommandResult>? Check(int year, FactorKind kind) =>
        !Enum.IsDefined(kind) ? Refuse(CommandOutcome.Invalid("kind", "field.unknown_value", "Land, EnergyQuota or EnvironmentalCapacity."))
        : YearProblem(year) is { } bad ? Refuse(CommandOutcome.Invalid("year", "factor.year", bad))
        : null;

    private static Task<FactorCommandResult> Refuse(CommandOutcome outcome) => Task.FromResult(FactorCommandResult.Rejected(outcome));

    private IFactorPoolGrain Pool(FactorKind kind, int year) => grains.GetGrain<IFactorPoolGrain>(FactorRules.Key(kind, year));
}
