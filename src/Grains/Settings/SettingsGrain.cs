using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using Orleans.Runtime;

namespace KeyProjects.Grains.Settings;

public sealed class SettingsState
{
    public List<ProblemSettings> ProblemSettingsVersions { get; set; } = [];

    /// <summary>Null until first use, then the shipped 2025–2027 calendar as admins have edited it.</summary>
    public Dictionary<DateOnly, CalendarDay>? Calendar { get; set; }

    public int EventVersion { get; set; }
    public List<DomainEvent> Outbox { get; set; } = [];
}

/// <summary>A change of the settings, as its event carries it: the rules' new version, or the calendar day set or removed.</summary>
public sealed record SettingsChanged(string Action, ProblemSettings? Rules, CalendarDay? Day, DateOnly? RemovedDay);

/// <summary>
/// The city's rules (versioned; old versions kept) and its working calendar. Every change an administrator makes is also
/// an event (stream settings-city) with who and when: the settings' history in the event log.
/// </summary>
public sealed class SettingsGrain(
    [PersistentState("settings")] IPersistentState<SettingsState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<SettingsGrain> logger) : Grain, ISettingsGrain
{
    private SettingsState S => state.State;

    public Task<ProblemSettings> GetProblemSettings() =>
        Task.FromResult(S.ProblemSettingsVersions.Count > 0 ? S.ProblemSettingsVersions[^1] : ProblemSettings.Defaults);

    public Task<IReadOnlyList<ProblemSettings>> GetProblemSettingsHistory() =>
        Task.FromResult<IReadOnlyList<ProblemSettings>>(S.ProblemSettingsVersions.Count > 0
            ? S.ProblemSettingsVersions.AsEnumerable().Reverse().ToList()
            : [ProblemSettings.Defaults]);

    public async Task<(CommandOutcome Outcome, ProblemSettings Current)> UpdateProblemSettings(Actor actor, ProblemSettings proposal)
    {
        var current = await GetProblemSettings();
        if (actor.Role != Role.Admin)
            return (CommandOutcome.Forbidden("settings.forbidden", "Only an administrator changes settings."), current);
        if (proposal.Validate() is { } invalid) return (invalid, current);

        if (S.ProblemSettingsVersions.Count == 0) S.ProblemSettingsVersions.Add(ProblemSettings.Defaults);
        // A proposal that leaves out the project rules keeps the current ones.
        var next = proposal with { Version = current.Version + 1, ChangedAt = clock.GetUtcNow(), ChangedBy = actor.UserName, Projects = proposal.Projects ?? current.ProjectRules };
        S.ProblemSettingsVersions.Add(next);
        await Commit(actor, new SettingsChanged("rules-changed", next, null, null), $"第 {next.Version} 版");
        return (CommandOutcome.Ok, next);
    }

    public Task<IReadOnlyList<CalendarDay>> GetCalendar() =>
        Task.FromResult<IReadOnlyList<CalendarDay>>(Calendar().Values.OrderBy(d => d.Date).ToList());

    public async Task<CommandOutcome> SetCalendarDay(Actor actor, CalendarDay day)
    {
        if (actor.Role != Role.Admin)
            return CommandOutcome.Forbidden("settings.forbidden", "Only an administrator edits the calendar.");
        if (!Enum.IsDefined(day.Kind))
            return CommandOutcome.Invalid("kind", "field.unknown_value", "Holiday or MakeUpWorkday.");
        if (string.IsNullOrWhiteSpace(day.Name) || day.Name.Length > 50)
            return CommandOutcome.Invalid("name", "field.required", "A name of 1 to 50 characters is required.");
        if (day.Date.Year is < 2000 or > 2100)
            return CommandOutcome.Invalid("date", "field.out_of_range", "The date is out of range.");
        var kept = Calendar()[day.Date] = day with { Name = day.Name.Trim() };
        await Commit(actor, new SettingsChanged("calendar-day-set", null, kept, null), $"{kept.Date:yyyy-MM-dd} {kept.Name}");
        return CommandOutcome.Ok;
    }

    public async Task<CommandOutcome> RemoveCalendarDay(Actor actor, DateOnly date)
    {
        if (actor.Role != Role.Admin)
            return CommandOutcome.Forbidden("settings.forbidden", "Only an administrator edits the calendar.");
        if (!Calendar().Remove(date))
            return CommandOutcome.NotFound("calendar.day_not_found", $"{date:yyyy-MM-dd} is an ordinary day already.");
        await Commit(actor, new SettingsChanged("calendar-day-removed", null, null, date), $"{date:yyyy-MM-dd}");
        return CommandOutcome.Ok;
    }

    /// <summary>Writes the change with its event, then hands the event to the log.</summary>
    private async Task Commit(Actor actor, SettingsChanged change, string title)
    {
        S.EventVersion++;
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Settings, ISettingsGrain.City), S.EventVersion, "settings." + change.Action, actor.UserName, actor.DisplayName, clock.GetUtcNow(),
            new EventConcerns(ISettingsGrain.City, null, null, [], null, title, []), EventJson.Write(change)));
        await GrainState.Persist(this, state);
        await Delivery.HandOn();
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, "Settings");

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Delivery.HandOnAtActivation();

    private Dictionary<DateOnly, CalendarDay> Calendar() =>
        S.Calendar ??= WorkingCalendar.ShippedDays().ToDictionary(d => d.Date);
}
