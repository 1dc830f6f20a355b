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

/// <summary>
/// A problem's deadline reminder is due at its next instant, or after <see cref="LongestWait"/> if that is sooner
/// (KeyProjects:Deadlines:LongestWait, default one day): the longest a running deadline goes without a look at the
/// clock, so that a changed calendar or warning rule is seen within it.
/// </summary>
public sealed class DeadlineWatchOptions
{
    public TimeSpan LongestWait { get; set; } = TimeSpan.FromDays(1);
}
