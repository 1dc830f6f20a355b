using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Projects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Factors;

public sealed class FactorPoolState
{
    public decimal Capacity { get; set; }
    public List<FactorAllocation> Allocations { get; set; } = [];
    public int Version { get; set; }
    public List<ProcessedCommand> RecentCommands { get; set; } = [];
    public List<DomainEvent> Outbox { get; set; } = [];
}

public sealed class FactorPoolGrain(
    [PersistentState("factor-pool")] IPersistentState<FactorPoolState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<FactorPoolGrain> logger) : Grain, IFactorPoolGrain
{
    private FactorPoolState S => state.State;
    private string Key => this.GetPrimaryKeyString();
    private FactorKind Kind => Enum.Parse<FactorKind>(Key[..Key.IndexOf(':')]);
    private int Year => int.Parse(Key[(Key.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public Task<FactorPoolView> Get() => Task.FromResult(View());

    public async Task<FactorCommandResult> SetCapacity(string commandId, Actor actor, decimal capacity)
    {
        if (await Replay(commandId, "capacity", actor) is { } replay) return replay;
        if (actor.Role is not Role.Office) return FactorCommandResult.Rejected(CommandOutcome.Forbidden("factor.forbidden", "The command office keeps the factor ledger."));
        if (FactorRules.Amount(capacity, "capacity", positive: false) is { } bad) return FactorCommandResult.Rejected(bad);
        var allocated = S.Allocations.Where(a => a.IsActive).Sum(a => a.Amount);
        if (capacity < allocated)
            return FactorCommandResult.Rejected(CommandOutcome.Conflict("factor.below_allocated", $"{allocated} is allocated already: the capacity cannot be less."));
        S.Capacity = capacity;
        return await Commit(commandId, "capacity", actor, "capacity-set", null);
    }

    public async Task<FactorCommandResult> Allocate(string commandId, Actor actor, string projectCode, decimal amount, string reason)
    {
        if (await Replay(commandId, "allocate", actor) is { } replay) return replay;
        if (actor.Role is not Role.Office) return FactorCommandResult.Rejected(CommandOutcome.Forbidden("factor.forbidden", "The command office keeps the factor ledger."));
        if (FactorRules.Amount(amount, "amount", positive: true) is { } bad) return FactorCommandResult.Rejected(bad);
        if (CommandOutcome.RequiredText("reason", reason, FactorRules.ReasonMaxLength) is { } noReason) return FactorCommandResult.Rejected(noReason);
        if (await GrainFactory.GetGrain<IProjectGrain>(projectCode).GetProfile() is null)
            return FactorCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", $"Project '{projectCode}' does not exist."));
        var balance = S.Capacity - S.Allocations.Where(a => a.IsActive).Sum(a => a.Amount);
        if (amount > balance)
            return FactorCommandResult.Rejected(CommandOutcome.Conflict("factor.insufficient", $"The pool has {balance} left; {amount} was asked for."));
        if (S.Allocations.Count >= FactorRules.MaxAllocations)
            return FactorCommandResult.Rejected(CommandOutcome.Conflict("factor.too_many_allocations", "This pool has no room for more allocations."));
        S.Allocations.Add(new FactorAllocation(S.Allocations.Count + 1, projectCode, Math.Round(amount, 2), reason.Trim(), actor.UserName, actor.DisplayName, clock.GetUtcNow()));
        return await Commit(commandId, "allocate", actor, "allocated", projectCode);
    }

    public async Task<FactorCommandResult> Release(string commandId, Actor actor, int sequence, string reason)
    {
        if (await Replay(commandId, "release", actor) is { } replay) return replay;
        if (actor.Role is not Role.Office) return FactorCommandResult.Rejected(CommandOutcome.Forbidden("factor.forbidden", "The command office keeps the factor ledger."));
        if (CommandOutcome.RequiredText("reason", reason, FactorRules.ReasonMaxLength) is { } noReason) return FactorCommandResult.Rejected(noReason);
        var index = S.Allocations.FindIndex(a => a.Sequence == sequence);
        if (index < 0) return FactorCommandResult.Rejected(CommandOutcome.NotFound("factor.allocation_not_found", $"The pool has no allocation {sequence}."));
        if (!S.Allocations[index].IsActive) return FactorCommandResult.Rejected(CommandOutcome.Conflict("factor.already_released", $"Allocation {sequence} was taken back already."));
        S.Allocations[index] = S.Allocations[index] with { ReleasedAt = clock.GetUtcNow(), ReleasedByName = actor.DisplayName, ReleaseReason = reason.Trim() };
        return await Commit(commandId, "release", actor, "released", S.Allocations[index].ProjectCode);
    }

    private FactorPoolView View() => new(Kind, Year, S.Capacity, S.Allocations.ToList(), S.Version);

    private Task<FactorCommandResult?> Replay(string commandId, string kind, Actor actor) =>
        CommandLog.Replay(S.RecentCommands, commandId, kind, actor, Delivery.HandOn, () => new FactorCommandResult(CommandOutcome.Ok, View()), FactorCommandResult.Rejected);

    private async Task<FactorCommandResult> Commit(string commandId, string kind, Actor actor, string action, string? projectCode)
    {
        var now = clock.GetUtcNow();
        S.Version++;
        CommandLog.Remember(S.RecentCommands, commandId, kind, actor, now);
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Factor, Key), S.Version, "factor." + action, actor.UserName, actor.DisplayName, now,
            new EventConcerns(Key, projectCode, null, [], null, $"{FactorRules.NameOf(Kind)}（{Year}年）", []),
            EventJson.Write(new FactorPoolChanged(View(), action, projectCode))));
        await GrainState.Persist(this, state);
        await Delivery.HandOn();
        return new FactorCommandResult(CommandOutcome.Ok, View());
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Factor pool {Key}");

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Delivery.HandOnAtActivation();
}
