using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Settings;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

public sealed record CalendarDayRequest(CalendarDayKind? Kind, string? Name);

/// <summary>Problem settings (deadlines, light rules; versioned) and the working-day calendar.</summary>
public sealed class SettingsService(IGrainFactory grains)
{
    private ISettingsGrain Settings => grains.GetGrain<ISettingsGrain>(ISettingsGrain.City);

    public Task<ProblemSettings> GetProblemSettings() => Settings.GetProblemSettings();
    public Task<IReadOnlyList<ProblemSettings>> GetHistory() => Settings.GetProblemSettingsHistory();
    public Task<IReadOnlyList<CalendarDay>> GetCalendar() => Settings.GetCalendar();

    public Task<(CommandOutcome Outcome, ProblemSettings Current)> Update(ClaimsPrincipal user, ProblemSettings proposal) =>
        Settings.UpdateProblemSettings(user.ToActor(), proposal);

    public Task<CommandOutcome> SetDay(ClaimsPrincipal user, DateOnly date, CalendarDayRequest request) =>
        request.Kind is { } kind
            ? Settings.SetCalendarDay(user.ToActor(), new CalendarDay(date, kind, request.Name ?? ""))
            : Task.FromResult(CommandOutcome.Invalid("kind", "field.required", "Holiday or MakeUpWorkday."));

    public Task<CommandOutcome> RemoveDay(ClaimsPrincipal user, DateOnly date) => Settings.RemoveCalendarDay(user.ToActor(), date);
}
