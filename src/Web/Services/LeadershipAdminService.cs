using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Services;

/// <summary>A member of the leadership group as an administrator writes it: name, title (职务), sign-in account.</summary>
public sealed record LeaderRequest(string? Name, string? Title, string? UserName);

/// <summary>Which leader answers for a project (包联).</summary>
public sealed record ProjectLeaderRequest(string? LeaderId);

/// <summary>
/// Administration of the leadership group (admin): members added, changed and removed, and each project's 包联 leader —
/// kept on the project (the figures by leader, new problems' escalation) and in the group (each leader's list), each
/// change an event with who and when and a line in the audit log.
/// </summary>
public sealed class LeadershipAdminService(IGrainFactory grains, ReadModelQueries readModel, IServiceScopeFactory scopes, AuditLog audit)
{
    private ILeadershipGroupGrain Group => grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City);

    public Task<IReadOnlyList<LeaderAssignment>> Members() => Group.GetMembers();

    /// <summary>The group's changes as the event log keeps them, newest first.</summary>
    public async Task<IReadOnlyList<LoggedHistoryEntry>> History() =>
        (await readModel.Stream(Streams.Of(Streams.Leadership, ILeadershipGroupGrain.City))).Select(e =>
        {
            var change = EventJson.Read<LeadershipChanged>(e.Data);
            var member = change.Members.FirstOrDefault(m => m.Leader.Id == change.LeaderId);
            var note = member is null ? change.LeaderId : $"{member.Leader.Name}（{member.Leader.Title}）· 包联 {member.ProjectCodes.Count} 个项目";
            return new LoggedHistoryEntry(e.Position, e.Sequence, e.At, e.Kind, e.Actor, e.ActorName, null, null, note, e.PrevHash, e.Hash);
        }).Reverse().Take(200).ToList();

    /// <summary>Adds a leader or changes one's name, title or account; the leader keeps their 包联 projects.</summary>
    public async Task<CommandOutcome> SetMember(ClaimsPrincipal user, string id, LeaderRequest request)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        var account = string.IsNullOrWhiteSpace(request.UserName) ? null : request.UserName.Trim();
        if (account is not null)
        {
            using var scope = scopes.CreateScope();
            if (await scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>().FindByNameAsync(account) is not { } found)
                return CommandOutcome.Invalid("userName", "leadership.no_account", $"No account '{account}'.");
            account = found.UserName;
        }
        var outcome = await Group.SetLeader(user.ToActor(), new Leader(id, request.Name ?? "", request.Title ?? "", account));
        if (outcome.Succeeded) await audit.Admin(user, "leadership.member-set", id, $"{request.Name?.Trim()}（{request.Title?.Trim()}）");
        return outcome;
    }

    public async Task<CommandOutcome> RemoveMember(ClaimsPrincipal user, string id)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        var outcome = await Group.RemoveMember(user.ToActor(), id);
        if (outcome.Succeeded) await audit.Admin(user, "leadership.member-removed", id);
        return outcome;
    }

    /// <summary>
    /// Gives a project to a leader (包联): the project's responsible leader (its figures, the escalation of problems
    /// raised from now on) and the group's lists. Both steps are idempotent: a retry finishes what the first left undone.
    /// </summary>
    public async Task<CommandOutcome> AssignProject(ClaimsPrincipal user, string code, ProjectLeaderRequest request)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        if (code.Length > 64 || await grains.GetGrain<IProjectGrain>(code).GetProfile() is not { } profile)
            return CommandOutcome.NotFound("project.not_found", $"Project '{code}' does not exist.");
        if (string.IsNullOrWhiteSpace(request.LeaderId) || (await Group.GetMembers()).All(m => m.Leader.Id != request.LeaderId))
            return CommandOutcome.Invalid("leaderId", "leadership.not_found", $"No leader '{request.LeaderId}'.");
        var actor = user.ToActor();
        if (await grains.GetGrain<IProjectGrain>(code).Register(actor, profile with { ResponsibleLeaderId = request.LeaderId }) is { Succeeded: false } notMoved)
            return notMoved;
        var outcome = await Group.AssignProjects(actor, new Dictionary<string, string> { [code] = request.LeaderId });
        if (outcome.Succeeded) await audit.Admin(user, "leadership.project-assigned", code, $"{profile.Name} → {request.LeaderId}");
        return outcome;
    }

    private static CommandOutcome? RefuseUnlessAdmin(ClaimsPrincipal user) => user.ToActor().Role is Role.Admin ? null
        : CommandOutcome.Forbidden("leadership.forbidden", "Administrators keep the leadership group.");
}
