using KeyProjects.Grains.Settings;

namespace KeyProjects.Web.Services;

/// <summary>How a deadline reads today: its last day, and the working days left or the days it is overdue.</summary>
public sealed record DeadlineReading(DateOnly LastDay, TimeOnly? EndsAt, int? WorkingDaysLeft, int? DaysOverdue, DateOnly Today)
{
    public bool DueToday => LastDay == Today && DaysOverdue is null;
}

/// <summary>
/// Reads deadlines against the city's working-day calendar (the settings grain's, cached for a few minutes) and the
/// clock. A deadline at 24:00 reads as its last day ("11月27日 24:00"), never as the next morning.
/// </summary>
public sealed class DeadlineClock(SettingsService settings, TimeProvider time)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);
    private Task<WorkingCalendar>? _calendar;
    private DateTimeOffset _loadedAt;

    public async Task<DeadlineReading> Read(DateTimeOffset deadline)
    {
        var calendar = await Calendar();
        var local = deadline.ToOffset(WorkingCalendar.ChinaOffset);
        var atDayEnd = local.TimeOfDay == TimeSpan.Zero;
        var lastDay = atDayEnd ? DateOnly.FromDateTime(local.DateTime).AddDays(-1) : DateOnly.FromDateTime(local.DateTime);
        var now = time.GetUtcNow();
        var today = WorkingCalendar.LocalDate(now);
        if (now >= deadline)
            return new DeadlineReading(lastDay, atDayEnd ? null : TimeOnly.FromTimeSpan(local.TimeOfDay), null, Math.Max(1, today.DayNumber - lastDay.DayNumber), today);
        return new DeadlineReading(lastDay, atDayEnd ? null : TimeOnly.FromTimeSpan(local.TimeOfDay),
            calendar.WorkingDaysBetween(today, lastDay.AddDays(1)), null, today);
    }

    /// <summary>The end of the Nth working day from today (a deadline a leader or the office sets: "3 个工作日内").</summary>
    public async Task<DateTimeOffset> WorkingDaysFromNow(int workingDays) => (await Calendar()).Deadline(time.GetUtcNow(), workingDays);

    private Task<WorkingCalendar> Calendar()
    {
        var now = time.GetUtcNow();
        if (_calendar is null || _calendar.IsFaulted || now - _loadedAt > Refresh)
        {
            _loadedAt = now;
            _calendar = Load();
        }
        return _calendar;
    }

    private async Task<WorkingCalendar> Load() => new(await settings.GetCalendar());
}
