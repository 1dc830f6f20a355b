namespace KeyProjects.Grains.Problems;

/// <summary>Limits and defaults of the problem loop.</summary>
public static class ProblemRules
{
    public const int TitleMaxLength = 200;
    public const int TextMaxLength = 4000;
    public const int MaxAssistingDepartments = 20;
    public const int RememberedCommands = 100;

    /// <summary>Until the working-day calendar lands, default deadlines count calendar days from dispatch.</summary>
    public static readonly TimeSpan DefaultClaimPeriod = TimeSpan.FromDays(2);
    public static readonly TimeSpan DefaultResolutionPeriod = TimeSpan.FromDays(15);
}
