using KeyProjects.Grains.Settings;

namespace KeyProjects.Tests.Domain;

/// <summary>Deadlines over real 2026 dates: weekends and official holidays are skipped, make-up working days count.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar China = new(WorkingCalendar.ShippedDays());

    private static DateTimeOffset Beijing(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, WorkingCalendar.ChinaOffset);

    [Theory]
    // An ordinary week: Tuesday + 2 working days ends on Thursday.
    [InlineData(3, 3, 2, 3, 5)]
    // Friday + 1 skips the weekend.
    [InlineData(3, 6, 1, 3, 9)]
    // 国庆 2026: Wednesday 30 Sep + 1 skips 1–7 Oct; 10 Oct (Saturday) is a make-up working day.
    [InlineData(9, 30, 1, 10, 8)]
    [InlineData(10, 9, 1, 10, 10)]
    // Friday 18 Sep + 2: Sunday 20 Sep is a make-up working day, so Monday 21 Sep.
    [InlineData(9, 18, 2, 9, 21)]
    // 春节 2026: Friday 13 Feb + 3 → Saturday 14 Feb (make-up), 15–23 Feb off, then 24 and 25 Feb.
    [InlineData(2, 13, 3, 2, 25)]
    // 劳动节 2026: Thursday 30 Apr + 2 → 1–5 May off, 6 May, 7 May.
    [InlineData(4, 30, 2, 5, 7)]
    // 元旦 2026: Friday 2 Jan is a holiday; Sunday 4 Jan is a make-up working day.
    [InlineData(1, 2, 1, 1, 4)]
    public void Deadlines_count_working_days_on_the_2026_calendar(int month, int day, int workingDays, int dueMonth, int dueDay)
    {
        var deadline = China.Deadline(Beijing(month, day), workingDays);
        Assert.Equal(new DateTimeOffset(2026, dueMonth, dueDay, 0, 0, 0, WorkingCalendar.ChinaOffset).AddDays(1), deadline);
    }

    [Fact]
    public void Holidays_and_make_up_days_are_known()
    {
        Assert.False(China.IsWorkingDay(new DateOnly(2026, 10, 5)));   // 国庆
        Assert.False(China.IsWorkingDay(new DateOnly(2026, 2, 17)));   // 春节
        Assert.True(China.IsWorkingDay(new DateOnly(2026, 2, 28)));    // Saturday, 调休上班
        Assert.True(China.IsWorkingDay(new DateOnly(2026, 5, 9)));     // Saturday, 调休上班
        Assert.False(China.IsWorkingDay(new DateOnly(2026, 3, 7)));    // an ordinary Saturday
        Assert.True(China.IsWorkingDay(new DateOnly(2026, 3, 9)));     // an ordinary Monday
        Assert.False(China.IsWorkingDay(new DateOnly(2025, 10, 8)));   // 2025 国庆中秋
        Assert.True(China.IsWorkingDay(new DateOnly(2025, 10, 11)));   // 2025 调休上班
    }

    [Fact]
    public void Warning_falls_one_working_day_before_the_last_day_and_escalation_after_it()
    {
        // Deadline: end of Thursday 8 Oct 2026 (the first working day after 国庆). The working day before it is Wednesday
        // 30 Sep, so the warning is due at its end; two working days after it are Friday 9 Oct and Saturday 10 Oct (调休).
        var deadline = China.Deadline(Beijing(9, 30), 1);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, WorkingCalendar.ChinaOffset), China.WarningBefore(deadline, 1));
        Assert.Equal(new DateTimeOffset(2026, 10, 11, 0, 0, 0, WorkingCalendar.ChinaOffset), China.After(deadline, 2));
    }

    [Fact]
    public void A_pause_extends_by_the_working_days_it_lasted()
    {
        // Paused Thursday 24 Sep, resumed Monday 28 Sep 2026: 25–27 Sep is 中秋, so only 24 Sep counts.
        Assert.Equal(1, China.WorkingDaysBetween(new DateOnly(2026, 9, 24), new DateOnly(2026, 9, 28)));
        var deadline = new DateTimeOffset(2026, 9, 30, 0, 0, 0, WorkingCalendar.ChinaOffset); // end of Tuesday 29 Sep
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, WorkingCalendar.ChinaOffset), China.Extend(deadline, 1));
    }
}
