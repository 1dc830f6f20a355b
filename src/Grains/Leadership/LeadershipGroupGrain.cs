using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Leadership;

public sealed class LeadershipGroupState
{
    public Dictionary<string, LeaderAssignment> Members { get; set; } = [];
    public int Version { get; set; }
    public List<DomainEvent> Outbox { get; set; } = [];
}

/// <summary>
/// The leadership group: its members (leaders, titles, accounts) and their 包联 projects, kept by the office and
/// administrators. Every change is an event (stream leadership-city) with who and when: the group's history.
/// </summary>
public sealed class LeadershipGroupGrain(
    [PersistentState("leadership-group")] IPersistentState<LeadershipGroupState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<LeadershipGroupGrain> logger) : Grain, ILeadershipGroupGrain
{
    public const int TextMaxLength = 64;

    private LeadershipGroupState S => state.State;

    public Task<CommandOutcome> SetLeader(Actor actor, Leader leader) =>
        SetMember(actor, leader, S.Members.TryGetValue(leader.Id ?? "", out var known) ? known.ProjectCodes : []);

    public async Task<CommandOutcome> SetMember(Actor actor, Leader leader, IReadOnlyList<string> projectCodes)
    {
        if (Refused(actor) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(leader.Id) || !DepartmentRules.IsWellFormedId(leader.Id))
            return CommandOutcome.Invalid("id", "leadership.bad_id", "The leader's code: letters, digits, '-' and '_', at most 64.");
        if (CommandOutcome.RequiredText("name", leader.Name, TextMaxLength) is { } badName) return badName;
        if (leader.Title is { Length: > TextMaxLength }) return CommandOutcome.Invalid("title", "text.too_long", $"At most {TextMaxLength} characters.");
        var member = new LeaderAssignment(leader with { Name = leader.Name.Trim(), Title = leader.Title?.Trim() ?? "" }, projectCodes.Distinct().ToList());
        if (S.Members.TryGetValue(leader.Id, out var known) && known.Leader == member.Leader && known.ProjectCodes.SequenceEqual(member.ProjectCodes))
        {
            await Delivery.HandOn(); // a retry: finish what the first attempt may have left undone
            return CommandOutcome.Ok;
        }
        S.Members[leader.Id] = member;
        await Commit(actor, known is null ? "member-added" : "member-changed", leader.Id);
        return CommandOutcome.Ok;
    }

    public async Task<CommandOutcome> RemoveMember(Actor actor, string leaderId)
    {
        if (Refused(actor) is { } refused) return refused;
        if (!S.Members.TryGetValue(leaderId, out var member))
        {
            await Delivery.HandOn();
            return CommandOutcome.NotFound("leadership.not_found", $"No leader '{leaderId}'.");
        }
        if (member.ProjectCodes.Count > 0)
            return CommandOutcome.Conflict("leadership.has_projects", $"{member.Leader.Name} answers for {member.ProjectCodes.Count} projects (包联): assign them to another leader first.");
        S.Members.Remove(leaderId);
        await Commit(actor, "member-removed", leaderId);
        return CommandOutcome.Ok;
    }

    public async Task<CommandOutcome> AssignProjects(Actor actor, IReadOnlyDictionary<string, string> leaderOf)
    {
        if (Refused(actor) is { } refused) return refused;
        if (leaderOf.Values.FirstOrDefault(id => !S.Members.ContainsKey(id)) is { } stranger)
            return CommandOutcome.Invalid("leaderId", "leadership.not_found", $"No leader '{stranger}'.");
        var changed = false;
        foreach (var (id, member) in S.Members.ToList())
        {
            var codes = member.ProjectCodes.Where(c => !leaderOf.TryGetValue(c, out var leader) || leader == id)
                .Concat(leaderOf.Where(x => x.Value == id).Select(x => x.Key)).Distinct().ToList();
            if (codes.SequenceEqual(member.ProjectCodes)) continue;
            S.Members[id] = member with { ProjectCodes = codes };
            changed = true;
        }
        if (changed) await Commit(actor, "projects-assigned", leaderOf.Count == 1 ? leaderOf.Single().Value : null);
        else await Delivery.HandOn();
        return CommandOutcome.Ok;
    }

    public Task<IReadOnlyList<LeaderAssignment>> GetMembers() => Task.FromResult(Members());

    private IReadOnlyList<LeaderAssignment> Members() => S.Members.Values.OrderBy(m => m.Leader.Id, StringComparer.Ordinal).ToList();

    private static CommandOutcome? Refused(Actor actor) => actor.Role is Role.Office or Role.Admin ? null
        : CommandOutcome.Forbidden("leadership.forbidden", "Only the command office and administrators maintain the leadership group.");

    private async Task Commit(Actor actor, string action, string? leaderId)
    {
        S.Version++;
        var title = leaderId is not null && S.Members.TryGetValue(leaderId, out var m) ? m.Leader.Name : "领导小组";
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Leadership, ILeadershipGroupGrain.City), S.Version, "leadership." + action, actor.UserName, actor.DisplayName, clock.GetUtcNow(),
            new EventConcerns(ILeadershipGroupGrain.City, null, null, [], leaderId, title, []),
            EventJson.Write(new LeadershipChanged(Members(), action, leaderId))));
        await GrainState.Persist(this, state);
        await Delivery.HandOn();
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, "Leadership group");

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Delivery.HandOnAtActivation();
}
