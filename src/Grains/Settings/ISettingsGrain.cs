using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Settings;

/// <summary>The city's settings: problem deadlines and light rules (versioned), and the working-day calendar.</summary>
public interface ISettingsGrain : IGrainWithStringKey
{
    const string City = "city";

    Task<ProblemSettings> GetProblemSettings();

    /// <summary>Every version so far, newest first.</summary>
    Task<IReadOnlyList<ProblemSettings>> GetProblemSettingsHistory();

    /// <summary>Admin only. The version and audit fields of the proposal are ignored: the grain sets them.</summary>
    Task<(CommandOutcome Outcome, ProblemSettings Current)> UpdateProblemSettings(Actor actor, ProblemSettings proposal);

    /// <summary>The dates that differ from a Monday-to-Friday week (holidays, make-up working days).</summary>
    Task<IReadOnlyList<CalendarDay>> GetCalendar();

    /// <summary>Admin only: marks a date as a holiday or a make-up working day.</summary>
    Task<CommandOutcome> SetCalendarDay(Actor actor, CalendarDay day);

    /// <summary>Admin only: the date goes back to the plain week.</summary>
    Task<CommandOutcome> RemoveCalendarDay(Actor actor, DateOnly date);
}
