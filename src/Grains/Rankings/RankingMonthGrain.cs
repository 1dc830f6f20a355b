using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Reports;
using KeyProjects.Grains.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Rankings;

public sealed class RankingMonthState
{
    public List<Exemption> Exemptions { get; set; } = [];
    public RankingSnapshot? Published { get; set; }
    public int Version { get; set; }
    public List<ProcessedCommand> RecentCommands { get; set; } = [];
    public List<DomainEvent> Outbox { get; set; } = [];
}

public sealed class RankingMonthGrain(
    [PersistentState("ranking-month")] IPersistentState<RankingMonthState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<RankingMonthGrain> logger) : Grain, IRankingMonthGrain
{
    private RankingMonthState S => state.State;
    private string Month => this.GetPrimaryKeyString();

    public Task<RankingMonthView> Get() => Task.FromResult(View());

    public async Task<RankingCommandResult> Exempt(string commandId, Actor actor, string unitId, string reason)
    {
        if (await Replay(commandId, "exempt", actor) is { } replay) return replay;
        if (Refusal(actor) is { } refused) return RankingCommandResult.Rejected(refused);
        if (string.IsNullOrWhiteSpace(unitId) || unitId.Length > 64) return RankingCommandResult.Rejected(CommandOutcome.Invalid("unitId", "field.required", "The department or town exempted."));
        if (CommandOutcome.RequiredText("reason", reason, RankingMonthRules.ReasonMaxLength) is { } noReason) return RankingCommandResult.Rejected(noReason);
        if (S.Exemptions.Count >= RankingMonthRules.MaxExemptions && S.Exemptions.All(e => e.UnitId != unitId))
            return RankingCommandResult.Rejected(CommandOutcome.Conflict("ranking.too_many_exemptions", "This month has no room for more exemptions."));
        S.Exemptions.RemoveAll(e => e.UnitId == unitId);
        S.Exemptions.Add(new Exemption(unitId, reason.Trim(), actor.UserName, actor.DisplayName, clock.GetUtcNow()));
        return await Commit(commandId, "exempt", actor, "exempted", unitId);
    }

    public async Task<RankingCommandResult> Revoke(string commandId, Actor actor, string unitId)
    {
        if (await Replay(commandId, "revoke", actor) is { } replay) return replay;
        if (Refusal(actor) is { } refused) return RankingCommandResult.Rejected(refused);
        if (S.Exemptions.RemoveAll(e => e.UnitId == unitId) == 0)
            return RankingCommandResult.Rejected(CommandOutcome.NotFound("ranking.no_exemption", $"'{unitId}' has no exemption this month."));
        return await Commit(commandId, "revoke", actor, "exemption-revoked", unitId);
    }

    public async Task<RankingCommandResult> Publish(string commandId, Actor actor, IReadOnlyList<UnitRecord> units)
    {
        if (await Replay(commandId, "publish", actor) is { } replay) return replay;
        if (Refusal(actor) is { } refused) return RankingCommandResult.Rejected(refused);
        ReportRules.TryMonth(Month, out var first);
        if (!RankingMonthRules.MayPublish(first, WorkingCalendar.LocalDate(clock.GetUtcNow())))
            return RankingCommandResult.Rejected(CommandOutcome.Conflict("ranking.month_not_over",
                $"A month's ranking is published once the month is over and its reports are due (after day {ReportRules.DueDay} of the next month)."));
        if (units.Count > RankingMonthRules.MaxUnits)
            return RankingCommandResult.Rejected(CommandOutcome.Invalid("units", "ranking.too_many_units", $"At most {RankingMonthRules.MaxUnits} units."));
        var standings = RankingRules.Rank(units, S.Exemptions.ToDictionary(e => e.UnitId));
        S.Published = new RankingSnapshot(Month, RankingRules.FormulaVersion, standings, actor.UserName, actor.DisplayName, clock.GetUtcNow());
        return await Commit(commandId, "publish", actor, "published", null);
    }

    /// <summary>The office keeps the 红黑榜; a month is a month (yyyy-MM); a published month is frozen.</summary>
    private CommandOutcome? Refusal(Actor actor) =>
        actor.Role is not Role.Office ? CommandOutcome.Forbidden("ranking.forbidden", "The command office keeps the 红黑榜.")
        : !ReportRules.TryMonth(Month, out _) ? CommandOutcome.Invalid("month", "ranking.month", "A month is written yyyy-MM.")
        : S.Published is not null ? CommandOutcome.Conflict("ranking.published", "This month's 红黑榜 is published and frozen.")
        : null;

    private RankingMonthView View() => new(Month, S.Exemptions.ToList(), S.Published, S.Version);

    private Task<RankingCommandResult?> Replay(string commandId, string kind, Actor actor) =>
        CommandLog.Replay(S.RecentCommands, commandId, kind, actor, Delivery.HandOn, () => new RankingCommandResult(CommandOutcome.Ok, View()), RankingCommandResult.Rejected);

    private async Task<RankingCommandResult> Commit(string commandId, string kind, Actor actor, string action, string? unitId)
    {
        var now = clock.GetUtcNow();
        S.Version++;
        CommandLog.Remember(S.RecentCommands, commandId, kind, actor, now);
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Ranking, Month), S.Version, "ranking." + action, actor.UserName, actor.DisplayName, now,
            new EventConcerns(Month, null, unitId, unitId is null ? [] : [unitId], null, $"{Month} 红黑榜", []),
            EventJson.Write(new RankingChanged(View(), action, unitId))));
        await GrainState.Persist(this, state);
        await Delivery.HandOn();
        return new RankingCommandResult(CommandOutcome.Ok, View());
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Ranking {Month}");

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Delivery.HandOnAtActivation();
}
