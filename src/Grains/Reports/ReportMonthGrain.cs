using KeyProjects.Grains.Domain;
using Orleans.Runtime;

namespace KeyProjects.Grains.Reports;

/// <summary>
/// A reporting month (keyed yyyy-MM): once the office locks it, its reports take no submission or correction — not
/// even one that was not yet in the lists when the month was locked.
/// </summary>
public interface IReportMonthGrain : IGrainWithStringKey
{
    Task<CommandOutcome> Lock(Actor actor);
    Task<bool> IsLocked();
}

public sealed class ReportMonthState
{
    public bool Locked { get; set; }
    public string? LockedBy { get; set; }
    public DateTimeOffset? LockedAt { get; set; }
}

public sealed class ReportMonthGrain(
    [PersistentState("report-month")] IPersistentState<ReportMonthState> state,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(CityClock.Key)] TimeProvider clock) : Grain, IReportMonthGrain
{
    public async Task<CommandOutcome> Lock(Actor actor)
    {
        if (actor.Role is not Role.Office) return CommandOutcome.Forbidden("report.lock_forbidden", "The command office locks a month.");
        if (state.State.Locked) return CommandOutcome.Ok;
        state.State.Locked = true;
        state.State.LockedBy = actor.UserName;
        state.State.LockedAt = clock.GetUtcNow();
        await GrainState.Persist(this, state);
        return CommandOutcome.Ok;
    }

    public Task<bool> IsLocked() => Task.FromResult(state.State.Locked);
}
