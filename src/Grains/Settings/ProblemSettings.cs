using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Settings;

/// <summary>Claim and resolution periods, in working days, for a severity (and optionally one category).</summary>
[GenerateSerializer, Immutable]
public sealed record DeadlineRule(ProblemCategory? Category, ProblemSeverity Severity, int ClaimWorkingDays, int ResolutionWorkingDays);

/// <summary>
/// The warning-light rules (预警规则). A problem is yellow at a pre-breach warning or once it has been returned
/// (退回) the given number of times while not yet claimed again; red at a breach or while escalated; and, when
/// TwoYellowsMakeRed, two yellow causes at once make red. A project takes the worst of its open problems, and two
/// yellow problems make a red project under the same rule.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LightRules(bool YellowAtPreBreach, int YellowAfterReturns, bool RedAtBreach, bool RedAtEscalation, bool TwoYellowsMakeRed);

/// <summary>
/// The project warning rules (项目预警规则), judged on a project's schedule: yellow when its investment completion
/// is <see cref="YellowBehindPoints"/> or more percentage points behind 时序进度, red at <see cref="RedBehindPoints"/>
/// or more; red when it has not started <see cref="RedUnstartedMonths"/> months after its planned start; red when a
/// project under construction has missed <see cref="RedReportLateMonths"/> monthly reports.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProjectLightRules(int YellowBehindPoints, int RedBehindPoints, int RedUnstartedMonths, int RedReportLateMonths)
{
    public static ProjectLightRules Defaults { get; } = new(10, 30, 3, 2);

    public CommandOutcome? Validate()
    {
        if (YellowBehindPoints is < 1 or > 100)
            return CommandOutcome.Invalid("projects.yellowBehindPoints", "settings.range", "1 to 100 percentage points.");
        if (RedBehindPoints <= YellowBehindPoints || RedBehindPoints > 100)
            return CommandOutcome.Invalid("projects.redBehindPoints", "settings.range", "More than the yellow threshold, up to 100 percentage points.");
        if (RedUnstartedMonths is < 1 or > 24)
            return CommandOutcome.Invalid("projects.redUnstartedMonths", "settings.range", "1 to 24 months.");
        if (RedReportLateMonths is < 1 or > 12)
            return CommandOutcome.Invalid("projects.redReportLateMonths", "settings.range", "1 to 12 months.");
        return null;
    }
}

/// <summary>
/// How problems and projects are timed and judged. Every change makes a new version; old versions are kept.
/// <see cref="Projects"/> is null in versions kept before project rules existed: they judged by the defaults.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProblemSettings(
    int Version,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    IReadOnlyList<DeadlineRule> DeadlineRules,
    int PreBreachWorkingDays,
    int EscalateToGroupAfterWorkingDays,
    int DirectiveWorkingDays,
    LightRules Lights,
    ProjectLightRules? Projects = null)
{
    /// <summary>The project warning rules of this version.</summary>
    public ProjectLightRules ProjectRules => Projects ?? ProjectLightRules.Defaults;

    public static ProblemSettings Defaults { get; } = new(
        1, DateTimeOffset.UnixEpoch, "system",
        [
            new DeadlineRule(null, ProblemSeverity.Normal, 2, 10),
            new DeadlineRule(null, ProblemSeverity.Major, 1, 7),
            new DeadlineRule(null, ProblemSeverity.Urgent, 1, 3),
            new DeadlineRule(ProblemCategory.Land, ProblemSeverity.Normal, 2, 15),
            new DeadlineRule(ProblemCategory.Demolition, ProblemSeverity.Normal, 2, 20),
        ],
        PreBreachWorkingDays: 1,
        EscalateToGroupAfterWorkingDays: 2,
        DirectiveWorkingDays: 5,
        new LightRules(YellowAtPreBreach: true, YellowAfterReturns: 1, RedAtBreach: true, RedAtEscalation: true, TwoYellowsMakeRed: true),
        ProjectLightRules.Defaults);

    /// <summary>The rule for a category and severity: the category's own rule if any, else the severity's.</summary>
    public DeadlineRule DeadlineFor(ProblemCategory category, ProblemSeverity severity) =>
        DeadlineRules.FirstOrDefault(r => r.Category == category && r.Severity == severity)
        ?? DeadlineRules.FirstOrDefault(r => r.Category is null && r.Severity == severity)
        ?? new DeadlineRule(null, severity, 2, 10);

    /// <summary>Checks a proposed version; the field named is the JSON name a client sent.</summary>
    public CommandOutcome? Validate()
    {
        if (DeadlineRules is null || DeadlineRules.Count == 0)
            return CommandOutcome.Invalid("deadlineRules", "field.required", "At least one deadline rule is required.");
        foreach (var rule in DeadlineRules)
        {
            if (!Enum.IsDefined(rule.Severity) || (rule.Category is { } c && !Enum.IsDefined(c)))
                return CommandOutcome.Invalid("deadlineRules", "field.unknown_value", "Unknown category or severity.");
            if (rule.ClaimWorkingDays is < 1 or > 30)
                return CommandOutcome.Invalid("deadlineRules", "settings.claim_days", "Claim periods are 1 to 30 working days.");
            if (rule.ResolutionWorkingDays < rule.ClaimWorkingDays || rule.ResolutionWorkingDays > 250)
                return CommandOutcome.Invalid("deadlineRules", "settings.resolution_days", "Resolution periods are from the claim period up to 250 working days.");
        }
        if (DeadlineRules.GroupBy(r => (r.Category, r.Severity)).Any(g => g.Count() > 1))
            return CommandOutcome.Invalid("deadlineRules", "settings.duplicate_rule", "One rule per category and severity.");
        if (PreBreachWorkingDays is < 0 or > 10)
            return CommandOutcome.Invalid("preBreachWorkingDays", "settings.range", "0 to 10 working days.");
        if (EscalateToGroupAfterWorkingDays is < 1 or > 30)
            return CommandOutcome.Invalid("escalateToGroupAfterWorkingDays", "settings.range", "1 to 30 working days.");
        if (DirectiveWorkingDays is < 1 or > 60)
            return CommandOutcome.Invalid("directiveWorkingDays", "settings.range", "1 to 60 working days.");
        if (Lights is null)
            return CommandOutcome.Invalid("lights", "field.required", "The light rules are required.");
        if (Lights.YellowAfterReturns is < 1 or > 10)
            return CommandOutcome.Invalid("lights.yellowAfterReturns", "settings.range", "1 to 10 returns.");
        return Projects?.Validate();
    }
}
