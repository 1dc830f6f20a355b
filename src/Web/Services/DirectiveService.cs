using System.Security.Claims;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

public sealed record IssueDirectiveRequest(
    DirectiveKind? Kind, Guid? ProblemId, string? ProjectCode, string? DepartmentId, string? Text, string? FeedbackRequired, DateTimeOffset? Deadline);
public sealed record DirectiveResponseRequest(string? Feedback);
public sealed record DirectiveAcceptRequest(string? Note);
public sealed record DirectiveSendBackRequest(string? Reason);

/// <summary>Supervision orders (督办单) and leaders' instructions (批示): thin calls to the directive grains.</summary>
public sealed class DirectiveService(IGrainFactory grains, ReadModelQueries readModel)
{
    public const string IssueScope = "issue-directive";

    public Task<DirectiveView?> Get(Guid id) => grains.GetGrain<IDirectiveGrain>(id).Get();

    /// <summary>A directive for a reader: not found, forbidden (another department's), or the directive.</summary>
    public async Task<(InboxAccess Access, DirectiveView? Directive)> GetFor(ClaimsPrincipal user, Guid id) =>
        await Get(id) is not { } view ? (InboxAccess.NotFound, null)
        : DirectiveRules.MayRead(user.ToActor(), view.Summary) ? (InboxAccess.Allowed, view)
        : (InboxAccess.Forbidden, null);

    /// <summary>The directive's history as the event log keeps it.</summary>
    public async Task<IReadOnlyList<LoggedHistoryEntry>> History(Guid id) =>
        (await readModel.Stream(Streams.Of(Streams.Directive, id.ToString()))).Select(e =>
        {
            var change = EventJson.Read<DirectiveChanged>(e.Data);
            return new LoggedHistoryEntry(e.Position, e.Sequence, e.At, e.Kind, e.Actor, e.ActorName, null, null, change.Note, e.PrevHash, e.Hash);
        }).ToList();

    /// <summary>The leadership and the office see every order and instruction of the city.</summary>
    public async Task<IReadOnlyList<DirectiveSummary>?> GetAll(ClaimsPrincipal user) =>
        user.ToActor().Role is Role.Leadership or Role.Office or Role.Admin
            ? await readModel.Directives(new DirectiveFilter())
            : null;

    public Task<DirectiveCommandResult> Issue(ClaimsPrincipal user, IssueDirectiveRequest request, string key)
    {
        var actor = user.ToActor();
        if (request.Kind is not { } kind)
            return Task.FromResult(DirectiveCommandResult.Rejected(CommandOutcome.Invalid("kind", "field.required", "SupervisionOrder or Instruction.")));
        var id = CommandId.DeriveGuid(IssueScope, actor.UserName + "\n" + key);
        return grains.GetGrain<IDirectiveGrain>(id).Issue(new IssueDirective(
            key, actor, kind, request.ProblemId, request.ProjectCode, request.DepartmentId ?? "", request.Text ?? "",
            request.FeedbackRequired, request.Deadline));
    }

    public Task<DirectiveCommandResult> Respond(ClaimsPrincipal user, Guid id, string? feedback, string key) =>
        grains.GetGrain<IDirectiveGrain>(id).Respond(key, user.ToActor(), feedback ?? "");

    public Task<DirectiveCommandResult> Accept(ClaimsPrincipal user, Guid id, string? note, string key) =>
        grains.GetGrain<IDirectiveGrain>(id).Accept(key, user.ToActor(), note);

    public Task<DirectiveCommandResult> SendBack(ClaimsPrincipal user, Guid id, string? reason, string key) =>
        grains.GetGrain<IDirectiveGrain>(id).SendBack(key, user.ToActor(), reason ?? "");
}
