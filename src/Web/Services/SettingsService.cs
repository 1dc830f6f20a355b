using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Settings;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

public sealed record CalendarDayRequest(CalendarDayKind? Kind, string? Name);

/// <summary>Problem settings (deadlines, light rules; versioned) and the working-day calendar.</summary>
public sealed class SettingsService(IGrainFactory grains, KeyProjects.Silo.ReadModel.ReadModelQueries readModel, AuditLog audit)
{
    /// <summary>Every change of the rules and the calendar as the event log keeps it (who, when, what), newest first.</summary>
    public async Task<IReadOnlyList<LoggedHistoryEntry>> Changes() =>
        (await readModel.Stream(Grains.Events.Streams.Of(Grains.Events.Streams.Settings, ISettingsGrain.City))).Select(e =>
        {
            var change = Grains.Events.EventJson.Read<SettingsChanged>(e.Data);
            var note = change switch
            {
                { Rules: { } rules } => $"第 {rules.Version} 版",
                { Day: { } day } => $"{day.Date:yyyy-MM-dd} {Office.ChineseNames.Of(day.Kind)} {day.Name}",
                { RemovedDay: { } removed } => $"{removed:yyyy-MM-dd}",
                _ => null,
            };
            return new LoggedHistoryEntry(e.Position, e.Sequence, e.At, e.Kind, e.Actor, e.ActorName, null, null, note, e.PrevHash, e.Hash);
        }).Reverse().Take(200).ToList();

    private ISettingsGrain Settings => grains.GetGrain<ISettingsGrain>(ISettingsGrain.City);

    public Task<ProblemSettings> GetProblemSettings() => Settings.GetProblemSettings();
    public Task<IReadOnlyList<ProblemSettings>> GetHistory() => Settings.GetProblemSettingsHistory();
    public Task<IReadOnlyList<CalendarDay>> GetCalendar() => Settings.GetCalendar();

    public async Task<(CommandOutcome Outcome, ProblemSettings Current)> Update(ClaimsPrincipal user, ProblemSettings proposal)
    {
        var result = await Settings.UpdateProblemSettings(user.ToActor(), proposal);
        if (result.Outcome.Succeeded) await audit.Admin(user, "settings.changed", "problems", $"第 {result.Current.Version} 版");
        return result;
    }

    public async Task<CommandOutcome> SetDay(ClaimsPrincipal user, DateOnly date, CalendarDayRequest request)
    {
        if (request.Kind is not { } kind) return CommandOutcome.Invalid("kind", "field.required", "Holiday or MakeUpWorkday.");
        var outcome = await Settings.SetCalendarDay(user.ToActor(), new CalendarDay(date, kind, request.Name ?? ""));
        if (outcome.Succeeded) await audit.Admin(user, "calendar.day-set", date.ToString("yyyy-MM-dd"), $"{Office.ChineseNames.Of(kind)} {request.Name}");
        return outcome;
    }

    public async Task<CommandOutcome> RemoveDay(ClaimsPrincipal user, DateOnly date)
    {
        var outcome = await Settings.RemoveCalendarDay(user.ToActor(), date);
        if (outcome.Succeeded) await audit.Admin(user, "calendar.day-removed", date.ToString("yyyy-MM-dd"));
        return outcome;
    }
}
