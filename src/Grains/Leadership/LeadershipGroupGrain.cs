using KeyProjects.Grains.Domain;
using Orleans.Runtime;

namespace KeyProjects.Grains.Leadership;

public sealed class LeadershipGroupState
{
    public Dictionary<string, LeaderAssignment> Members { get; set; } = [];
}

public sealed class LeadershipGroupGrain(
    [PersistentState("leadership-group")] IPersistentState<LeadershipGroupState> state) : Grain, ILeadershipGroupGrain
{
    public async Task<CommandOutcome> SetMember(Actor actor, Leader leader, IReadOnlyList<string> projectCodes)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("leadership.forbidden", "Only the command office maintains the leadership group.");
        if (string.IsNullOrWhiteSpace(leader.Id))
            return CommandOutcome.Invalid("id", "field.required", "The leader id is required.");
        if (string.IsNullOrWhiteSpace(leader.Name))
            return CommandOutcome.Invalid("name", "field.required", "The leader's name is required.");
        state.State.Members[leader.Id] = new LeaderAssignment(leader, projectCodes.Distinct().ToList());
        await GrainState.Persist(this, state);
        return CommandOutcome.Ok;
    }

    public async Task<CommandOutcome> AssignProjects(Actor actor, IReadOnlyDictionary<string, string> leaderOf)
    {
        if (actor.Role is not (Role.Office or Role.Admin))
            return CommandOutcome.Forbidden("leadership.forbidden", "Only the command office maintains the leadership group.");
        var changed = false;
        foreach (var (id, member) in state.State.Members.ToList())
        {
            var codes = member.ProjectCodes.Where(c => !leaderOf.TryGetValue(c, out var leader) || leader == id)
                .Concat(leaderOf.Where(x => x.Value == id).Select(x => x.Key)).Distinct().ToList();
            if (codes.SequenceEqual(member.ProjectCodes)) continue;
            state.State.Members[id] = member with { ProjectCodes = codes };
            changed = true;
        }
        if (changed) await GrainState.Persist(this, state);
        return CommandOutcome.Ok;
    }

    public Task<IReadOnlyList<LeaderAssignment>> GetMembers() =>
        Task.FromResult<IReadOnlyList<LeaderAssignment>>(state.State.Members.Values.OrderBy(m => m.Leader.Id, StringComparer.Ordinal).ToList());
}
