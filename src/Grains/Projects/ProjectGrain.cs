using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Projects;

public sealed class ProjectState
{
    public ProjectProfile? Profile { get; set; }

    /// <summary>How many times the profile was registered or changed: the sequence of the project's events.</summary>
    public long Version { get; set; }

    /// <summary>Events written with the state and not yet confirmed in the event log (the outbox).</summary>
    public List<DomainEvent> Outbox { get; set; } = [];
}

/// <summary>
/// A key project: its profile and its rules. Its problems, light and figures are read from the read model, which
/// follows the project's events and its problems' events.
/// </summary>
public sealed class ProjectGrain(
    [PersistentState("project")] IPersistentState<ProjectState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<ProjectGrain> logger) : Grain, IProjectGrain
{
    private ProjectState S => state.State;

    public async Task<CommandOutcome> Register(Actor actor, ProjectProfile profile)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("project.register_forbidden", "Only the command office registers projects.");
        if (!string.Equals(profile.Code, this.GetPrimaryKeyString(), StringComparison.Ordinal))
            return CommandOutcome.Invalid("code", "project.code_mismatch", "The profile's code does not match the project.");
        if (S.Profile == profile)
        {
            await HandOn(); // a retry: finish what the first attempt may have left undone
            return CommandOutcome.Ok;
        }

        var kind = S.Profile is null ? "project.registered" : "project.changed";
        S.Profile = profile;
        S.Version++;
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Project, profile.Code), S.Version, kind, actor.UserName, actor.DisplayName, clock.GetUtcNow(),
            new EventConcerns(profile.Code, profile.Code, profile.ResponsibleDepartmentId, [profile.ResponsibleDepartmentId],
                profile.ResponsibleLeaderId, profile.Name, []),
            EventJson.Write(new ProjectChanged(ProjectSummary.From(profile)))));
        await GrainState.Persist(this, state);
        await HandOn();
        return CommandOutcome.Ok;
    }

    public Task<ProjectProfile?> GetProfile() => Task.FromResult(S.Profile);

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Project {this.GetPrimaryKeyString()}");

    private Task HandOn() => Delivery.HandOn();

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        Delivery.HandOnAtActivation();
}
