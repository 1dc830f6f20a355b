using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Factors;

/// <summary>What a project needs from the city's factors (要素需求), each in its own unit.</summary>
public enum FactorNeedKind
{
    Land,                  // 用地（亩）
    FundingGap,            // 资金缺口（万元）
    Energy,                // 能耗（吨标煤）
    EnvironmentalCapacity, // 环境容量（吨）
    Power,                 // 用电（千伏安）
    Water,                 // 用水（吨/日）
}

/// <summary>
/// A project's need for one factor: how much, the department that can meet it, how much of it is met (for the
/// factors the city keeps pools of — land, energy, environmental capacity — what is met is what the ledger allocated
/// to the project, so <see cref="Met"/> is kept for the others only), a note, who set it last and when.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FactorNeed(FactorNeedKind Kind, decimal Amount, string DepartmentId, decimal Met, string? Note, string By, string ByName, DateTimeOffset At);

/// <summary>A need as the office or its department sets it: an amount of 0 withdraws it.</summary>
[GenerateSerializer, Immutable]
public sealed record FactorNeedUpdate(FactorNeedKind Kind, decimal Amount, string? DepartmentId, decimal? Met, string? Note);

public static class FactorNeedRules
{
    public const int NoteMaxLength = 500;

    /// <summary>The pool a need draws on, when the city keeps one for it.</summary>
    public static FactorKind? PoolOf(FactorNeedKind kind) => kind switch
    {
        FactorNeedKind.Land => FactorKind.Land,
        FactorNeedKind.Energy => FactorKind.EnergyQuota,
        FactorNeedKind.EnvironmentalCapacity => FactorKind.EnvironmentalCapacity,
        _ => null,
    };

    /// <summary>The problems about a need: those of its category on the same project.</summary>
    public static ProblemCategory CategoryOf(FactorNeedKind kind) => kind switch
    {
        FactorNeedKind.Land => ProblemCategory.Land,
        FactorNeedKind.FundingGap => ProblemCategory.Funds,
        FactorNeedKind.Energy => ProblemCategory.Energy,
        FactorNeedKind.EnvironmentalCapacity => ProblemCategory.Environment,
        _ => ProblemCategory.Utilities,
    };
}
