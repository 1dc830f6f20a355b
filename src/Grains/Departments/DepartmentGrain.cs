using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using Orleans.Runtime;

namespace KeyProjects.Grains.Departments;

public sealed class DepartmentState
{
    public DepartmentProfile? Profile { get; set; }
    public Dictionary<Guid, InboxItem> Inbox { get; set; } = [];
}

public sealed class DepartmentGrain(
    [PersistentState("department")] IPersistentState<DepartmentState> state) : Grain, IDepartmentGrain
{
    public async Task<CommandOutcome> Register(Actor actor, DepartmentProfile profile)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("department.register_forbidden", "Only the command office registers departments.");
        if (!string.Equals(profile.Id, this.GetPrimaryKeyString(), StringComparison.Ordinal))
            return CommandOutcome.Invalid("id", "department.id_mismatch", "The profile's id does not match the department.");
        state.State.Profile = profile;
        await GrainState.Persist(this, state);
        await GrainFactory.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).TrackDepartment(profile);
        return CommandOutcome.Ok;
    }

    public Task<DepartmentProfile?> GetProfile() => Task.FromResult(state.State.Profile);

    public Task<IReadOnlyList<InboxItem>> GetInbox() =>
        Task.FromResult<IReadOnlyList<InboxItem>>(state.State.Inbox.Values
            .OrderBy(i => i.Problem.Status == ProblemStatus.Closed)
            .ThenBy(i => i.Problem.Status == ProblemStatus.Routed ? i.Problem.ClaimDeadline : i.Problem.ResolutionDeadline)
            .ToList());

    public async Task TrackProblem(ProblemSummary summary, Involvement involvement)
    {
        if (state.State.Inbox.TryGetValue(summary.Id, out var known) && known.Problem.Version >= summary.Version) return;
        state.State.Inbox[summary.Id] = new InboxItem(summary, involvement);
        await GrainState.Persist(this, state);
    }
}
