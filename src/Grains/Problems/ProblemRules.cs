namespace KeyProjects.Grains.Problems;

/// <summary>Limits of the problem loop. Deadlines and light rules are settings (see Settings/ProblemSettings).</summary>
public static class ProblemRules
{
    public const int TitleMaxLength = 200;
    public const int TextMaxLength = 4000;
    public const int MaxAssistingDepartments = 20;

    /// <summary>The reminder that keeps a problem's deadlines (durable: it survives restarts of the whole system).</summary>
    public const string DeadlineReminder = "deadlines";
}

/// <summary>How often an open problem checks its deadlines (KeyProjects:Deadlines:CheckPeriod; Orleans reminders).</summary>
public sealed class DeadlineWatchOptions
{
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
