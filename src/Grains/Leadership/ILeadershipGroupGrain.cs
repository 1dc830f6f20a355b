using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Leadership;

/// <summary>A member of the leadership group (组长 mayor, 副组长 vice-mayors, 成员).</summary>
[GenerateSerializer, Immutable]
public sealed record Leader(string Id, string Name, string Title, string? UserName);

/// <summary>A leader and the projects the leader answers for (包联).</summary>
[GenerateSerializer, Immutable]
public sealed record LeaderAssignment(Leader Leader, IReadOnlyList<string> ProjectCodes);

/// <summary>The group as a change left it: every member, what changed, whom it was about.</summary>
public sealed record LeadershipChanged(IReadOnlyList<LeaderAssignment> Members, string Action, string? LeaderId);

/// <summary>The leadership group (领导小组) of the city: its members and their 包联 projects.</summary>
public interface ILeadershipGroupGrain : IGrainWithStringKey
{
    const string City = "city";

    /// <summary>A member with exactly these 包联 projects (the demo city's set-up).</summary>
    Task<CommandOutcome> SetMember(Actor actor, Leader leader, IReadOnlyList<string> projectCodes);

    /// <summary>A leader added, or one's name, post or account changed; an existing leader keeps their 包联 projects.</summary>
    Task<CommandOutcome> SetLeader(Actor actor, Leader leader);
    Task<IReadOnlyList<LeaderAssignment>> GetMembers();

    /// <summary>A leader leaves the group; refused while the leader answers for projects (包联).</summary>
    Task<CommandOutcome> RemoveMember(Actor actor, string leaderId);

    /// <summary>
    /// 包联 in one step: each project (code → leader id) joins its leader's list and leaves any other's. Atomic in the
    /// grain, so two imports at once cannot lose each other's changes; a leader who is not a member is refused.
    /// </summary>
    Task<CommandOutcome> AssignProjects(Actor actor, IReadOnlyDictionary<string, string> leaderOf);
}
