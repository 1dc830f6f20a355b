using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Office;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Departments;

public sealed class DepartmentState
{
    public DepartmentProfile? Profile { get; set; }
    public List<string> Duties { get; set; } = [];
    public DateTimeOffset? RetiredAt { get; set; }
    public string? RetiredByName { get; set; }
    public string? RetiredReason { get; set; }
    public int Version { get; set; }
    public List<ProcessedCommand> RecentCommands { get; set; } = [];
    public List<DomainEvent> Outbox { get; set; } = [];
}

/// <summary>
/// A department or town: its profile and duty list, who may change them, and its retirement. Every change is an event
/// (the roster in the read model follows them) and is told to the command office's roster. Its desk (inbox, orders)
/// and figures are read from the read model; the grain keeps nothing that grows with the city.
/// </summary>
public sealed class DepartmentGrain(
    [PersistentState("department")] IPersistentState<DepartmentState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<DepartmentGrain> logger) : Grain, IDepartmentGrain
{
    private DepartmentState S => state.State;
    private string Key => this.GetPrimaryKeyString();

    public async Task<CommandOutcome> Register(Actor actor, DepartmentProfile profile)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("department.register_forbidden", "Only the command office registers departments.");
        if (!string.Equals(profile.Id, Key, StringComparison.Ordinal))
            return CommandOutcome.Invalid("id", "department.id_mismatch", "The profile's id does not match the department.");
        if (CommandOutcome.RequiredText("name", profile.Name, DepartmentRules.NameMaxLength) is { } badName) return badName;
        var registered = profile with { Name = profile.Name.Trim(), Retired = S.Profile?.Retired ?? false };
        if (S.Profile != registered || S.Version == 0) // a unit kept before its changes were events gets its first one
        {
            var former = S.Profile;
            S.Profile = registered;
            await Commit(actor, former is null ? "registered" : "updated", former?.Name != registered.Name ? former?.Name : null);
        }
        else await HandOn();
        return CommandOutcome.Ok;
    }

    public Task<DepartmentProfile?> GetProfile() => Task.FromResult(S.Profile);

    public Task<DepartmentView?> Get() => Task.FromResult(S.Profile is null ? null : View());

    public async Task<DepartmentCommandResult> Create(string commandId, Actor actor, DepartmentProfile profile, IReadOnlyList<string> duties)
    {
        if (await CommandLog.Replay(S.RecentCommands, commandId, "create", actor, HandOn, () => new DepartmentCommandResult(CommandOutcome.Ok, View()), DepartmentCommandResult.Rejected) is { } replay)
            return replay;
        if (actor.Role is not Role.Admin)
            return DepartmentCommandResult.Rejected(CommandOutcome.Forbidden("department.admin_forbidden", "Administrators keep the roster of departments and towns."));
        if (S.Profile is { } existing)
            return DepartmentCommandResult.Rejected(CommandOutcome.Conflict("department.exists", $"A unit '{Key}' exists ({existing.Name})."));
        if (!string.Equals(profile.Id, Key, StringComparison.Ordinal))
            return DepartmentCommandResult.Rejected(CommandOutcome.Invalid("id", "department.id_mismatch", "The profile's id does not match the department."));
        if (CommandOutcome.RequiredText("name", profile.Name, DepartmentRules.NameMaxLength) is { } badName) return DepartmentCommandResult.Rejected(badName);
        var (kept, badDuties) = DepartmentRules.Duties(duties);
        if (badDuties is not null) return DepartmentCommandResult.Rejected(badDuties);
        S.Profile = profile with { Name = profile.Name.Trim(), Retired = false };
        S.Duties = kept.ToList();
        return await Command(commandId, "create", actor, "registered", null);
    }

    public async Task<DepartmentCommandResult> Rename(string commandId, Actor actor, string name)
    {
        if (await Check(commandId, "rename", actor) is { } refused) return refused;
        if (CommandOutcome.RequiredText("name", name, DepartmentRules.NameMaxLength) is { } bad) return DepartmentCommandResult.Rejected(bad);
        var former = S.Profile!.Name;
        S.Profile = S.Profile with { Name = name.Trim() };
        return await Command(commandId, "rename", actor, "renamed", former);
    }

    public async Task<DepartmentCommandResult> SetDuties(string commandId, Actor actor, IReadOnlyList<string> duties)
    {
        if (await Check(commandId, "duties", actor) is { } refused) return refused;
        var (kept, bad) = DepartmentRules.Duties(duties);
        if (bad is not null) return DepartmentCommandResult.Rejected(bad);
        S.Duties = kept.ToList();
        return await Command(commandId, "duties", actor, "duties-set", null);
    }

    public async Task<DepartmentCommandResult> Retire(string commandId, Actor actor, string reason)
    {
        if (await Check(commandId, "retire", actor) is { } refused) return refused;
        if (CommandOutcome.RequiredText("reason", reason, DepartmentRules.ReasonMaxLength) is { } bad) return DepartmentCommandResult.Rejected(bad);
        if (S.Profile!.Retired) return DepartmentCommandResult.Rejected(CommandOutcome.Conflict("department.already_retired", $"'{S.Profile.Name}' is retired already."));
        S.Profile = S.Profile with { Retired = true };
        (S.RetiredAt, S.RetiredByName, S.RetiredReason) = (clock.GetUtcNow(), actor.DisplayName, reason.Trim());
        return await Command(commandId, "retire", actor, "retired", null);
    }

    public async Task<DepartmentCommandResult> Reinstate(string commandId, Actor actor)
    {
        if (await Check(commandId, "reinstate", actor) is { } refused) return refused;
        if (!S.Profile!.Retired) return DepartmentCommandResult.Rejected(CommandOutcome.Conflict("department.not_retired", $"'{S.Profile.Name}' is not retired."));
        S.Profile = S.Profile with { Retired = false };
        (S.RetiredAt, S.RetiredByName, S.RetiredReason) = (null, null, null);
        return await Command(commandId, "reinstate", actor, "reinstated", null);
    }

    private DepartmentView View() => new(S.Profile!, S.Duties.ToList(), S.RetiredAt, S.RetiredByName, S.RetiredReason, S.Version);

    /// <summary>A retry answered, a bad key, a non-administrator or an unknown unit refused; null to go on.</summary>
    private async Task<DepartmentCommandResult?> Check(string commandId, string kind, Actor actor)
    {
        if (await CommandLog.Replay(S.RecentCommands, commandId, kind, actor, HandOn, () => new DepartmentCommandResult(CommandOutcome.Ok, View()), DepartmentCommandResult.Rejected) is { } replay)
            return replay;
        if (actor.Role is not Role.Admin)
            return DepartmentCommandResult.Rejected(CommandOutcome.Forbidden("department.admin_forbidden", "Administrators keep the roster of departments and towns."));
        if (S.Profile is null)
            return DepartmentCommandResult.Rejected(CommandOutcome.NotFound("department.not_found", $"Department '{Key}' does not exist."));
        return null;
    }

    private async Task<DepartmentCommandResult> Command(string commandId, string kind, Actor actor, string action, string? formerName)
    {
        CommandLog.Remember(S.RecentCommands, commandId, kind, actor, clock.GetUtcNow());
        await Commit(actor, action, formerName);
        return new DepartmentCommandResult(CommandOutcome.Ok, View());
    }

    /// <summary>Writes the change with its event, then hands the event to the log and the profile to the office's roster.</summary>
    private async Task Commit(Actor actor, string action, string? formerName)
    {
        S.Version++;
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Department, Key), S.Version, "department." + action, actor.UserName, actor.DisplayName, clock.GetUtcNow(),
            new EventConcerns(Key, null, Key, [Key], null, S.Profile!.Name, []),
            EventJson.Write(new DepartmentChanged(View(), action, formerName))));
        await GrainState.Persist(this, state);
        await HandOn();
    }

    /// <summary>
    /// What a change leaves to do after its write (again on a retry and at activation): the office's roster first (the
    /// pickers and account checks read it), then the log — so a failing log never leaves the roster behind the unit.
    /// </summary>
    private async Task HandOn()
    {
        await TrackInRoster();
        await Delivery.HandOn();
    }

    private Task TrackInRoster() => S.Profile is null ? Task.CompletedTask
        : GrainFactory.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).TrackDepartment(S.Profile);

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Department {Key}");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await TrackInRoster(); // the office's roster as the unit is, whatever a failed attempt left undone
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Department {Key}: the office's roster is not yet told of its profile; the next change or retry tells it", Key);
        }
        await Delivery.HandOnAtActivation();
    }
}
