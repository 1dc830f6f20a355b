using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KeyProjects.Grains.Settings;

public enum CalendarDayKind
{
    Holiday,        // 法定节假日 / 放假调休: no work on this date
    MakeUpWorkday,  // 调休上班: a weekend date that is a working day
}

/// <summary>A date that differs from the plain Monday-to-Friday week.</summary>
[GenerateSerializer, Immutable]
public sealed record CalendarDay(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>
/// China's working-day calendar: Monday to Friday, minus official holidays, plus make-up working days (调休).
/// Deadlines are given in working days and fall at the end (24:00 Beijing time) of the last working day counted.
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>Deadlines are read in Beijing time: a working day ends at 24:00 UTC+8.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private readonly Dictionary<DateOnly, CalendarDayKind> _special;

    public WorkingCalendar(IEnumerable<CalendarDay> days) => _special = days.ToDictionary(d => d.Date, d => d.Kind);

    public bool IsWorkingDay(DateOnly date) => _special.TryGetValue(date, out var kind)
        ? kind == CalendarDayKind.MakeUpWorkday
        : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(ChinaOffset).DateTime);

    /// <summary>24:00 Beijing time at the end of a date.</summary>
    public static DateTimeOffset EndOf(DateOnly date) => new(date.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset);

    /// <summary>The Nth working day after the given date (N ≥ 1), or the date itself for N = 0.</summary>
    public DateOnly WorkingDayAfter(DateOnly date, int workingDays)
    {
        var day = date;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }

    /// <summary>The Nth working day before the given date.</summary>
    public DateOnly WorkingDayBefore(DateOnly date, int workingDays)
    {
        var day = date;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(-1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }

    /// <summary>"Within N working days" of an instant: the end of the Nth working day after the day it falls on.</summary>
    public DateTimeOffset Deadline(DateTimeOffset from, int workingDays) => EndOf(WorkingDayAfter(LocalDate(from), workingDays));

    /// <summary>The last working day a deadline allows (the day whose end is the deadline, or the working day before).</summary>
    public DateOnly LastDayOf(DateTimeOffset deadline)
    {
        var day = LocalDate(deadline.AddTicks(-1));
        while (!IsWorkingDay(day)) day = day.AddDays(-1);
        return day;
    }

    /// <summary>When a deadline is N working days away: the end of the Nth working day before its last day.</summary>
    public DateTimeOffset WarningBefore(DateTimeOffset deadline, int workingDays) =>
        workingDays <= 0 ? deadline : EndOf(WorkingDayBefore(LastDayOf(deadline), workingDays));

    /// <summary>N working days after a deadline: the end of the Nth working day after its last day.</summary>
    public DateTimeOffset After(DateTimeOffset deadline, int workingDays) => EndOf(WorkingDayAfter(LastDayOf(deadline), workingDays));

    /// <summary>Working days in [from, to): used to extend deadlines by the working days a pause lasted.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from; day < to; day = day.AddDays(1))
            if (IsWorkingDay(day)) count++;
        return count;
    }

    /// <summary>Moves a deadline later by N working days, keeping its time of day at 24:00.</summary>
    public DateTimeOffset Extend(DateTimeOffset deadline, int workingDays) =>
        workingDays <= 0 ? deadline : EndOf(WorkingDayAfter(LastDayOf(deadline), workingDays));

    /// <summary>China's official holidays and make-up working days for 2025–2027, shipped as data with the grains.</summary>
    public static IReadOnlyList<CalendarDay> ShippedDays() => Shipped.Value;

    private static readonly Lazy<IReadOnlyList<CalendarDay>> Shipped = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("KeyProjects.Grains.Settings.china-working-calendar.json")
            ?? throw new InvalidOperationException("The shipped working calendar is missing from the assembly.");
        var file = JsonSerializer.Deserialize<ShippedCalendar>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } })
            ?? throw new InvalidOperationException("The shipped working calendar is empty.");
        return file.Days;
    });

    private sealed record ShippedCalendar(string Source, List<CalendarDay> Days);
}
