using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Factors;

/// <summary>The city's yearly factor pools (要素保障): land quota (亩), energy quota (吨标煤), environmental capacity (吨).</summary>
public enum FactorKind
{
    Land,                   // 用地指标（亩）
    EnergyQuota,            // 能耗指标（吨标煤）
    EnvironmentalCapacity,  // 环境容量（吨）
}

/// <summary>
/// An allocation from a pool to a project: how much, why, who granted it and when; and, once the office takes it back
/// (收回: the project gave the land up, the quota was not used), when, by whom and why. A released allocation is kept
/// in the ledger and no longer counts against the pool.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FactorAllocation(int Sequence, string ProjectCode, decimal Amount, string Reason, string By, string ByName, DateTimeOffset At,
    DateTimeOffset? ReleasedAt = null, string? ReleasedByName = null, string? ReleaseReason = null)
{
    public bool IsActive => ReleasedAt is null;
}

/// <summary>A pool for a year: its capacity, what is allocated, the balance, and every allocation.</summary>
[GenerateSerializer, Immutable]
public sealed record FactorPoolView(FactorKind Kind, int Year, decimal Capacity, IReadOnlyList<FactorAllocation> Allocations, int Version)
{
    public decimal Allocated => Allocations.Where(a => a.IsActive).Sum(a => a.Amount);
    public decimal Balance => Capacity - Allocated;
}

[GenerateSerializer, Immutable]
public sealed record FactorCommandResult(CommandOutcome Outcome, FactorPoolView? Pool) : ICommandResult<FactorPoolView>
{
    FactorPoolView? ICommandResult<FactorPoolView>.Value => Pool;

    public static FactorCommandResult Rejected(CommandOutcome outcome) => new(outcome, null);
}

/// <summary>The payload of a pool's events.</summary>
public sealed record FactorPoolChanged(FactorPoolView Pool, string Action, string? ProjectCode);

/// <summary>The rules of the factor ledger.</summary>
public static class FactorRules
{
    public const decimal MaxAmount = 100_000_000m;
    public const int MaxAllocations = 2000;
    public const int ReasonMaxLength = 500;

    /// <summary>The pool's name as the city says it (event titles are data, written in the city's language).</summary>
    public static string NameOf(FactorKind kind) => kind switch
    {
        FactorKind.Land => "用地指标",
        FactorKind.EnergyQuota => "能耗指标",
        _ => "环境容量",
    };

    /// <summary>The pool grain's key: the kind and the year.</summary>
    public static string Key(FactorKind kind, int year) => $"{kind}:{year}";

    public static CommandOutcome? Amount(decimal amount, string field, bool positive) =>
        amount < 0 || (positive && amount == 0) || amount > MaxAmount
            ? CommandOutcome.Invalid(field, "factor.amount", positive ? $"More than 0, at most {MaxAmount}." : $"0 to {MaxAmount}.")
            : null;
}

/// <summary>
/// A factor pool for a year (keyed "{kind}:{year}"): the office sets its capacity and allocates from it to projects;
/// an allocation beyond the balance is refused (409 naming the balance), and so is a capacity below what is
/// allocated. One grain per pool: allocations are judged one at a time, so two at once cannot overdraw it.
/// </summary>
public interface IFactorPoolGrain : IGrainWithStringKey
{
    Task<FactorPoolView> Get();
    Task<FactorCommandResult> SetCapacity(string commandId, Actor actor, decimal capacity);
    Task<FactorCommandResult> Allocate(string commandId, Actor actor, string projectCode, decimal amount, string reason);

    /// <summary>Takes an allocation back into the pool (收回) with a reason (office): kept in the ledger, no longer counted.</summary>
    Task<FactorCommandResult> Release(string commandId, Actor actor, int sequence, string reason);
}
