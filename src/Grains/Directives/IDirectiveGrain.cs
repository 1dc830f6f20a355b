using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Directives;

/// <summary>
/// A supervision order (督办单) or a leader's instruction (批示) to one department: it has a deadline and the feedback
/// required; the department responds; the issuer (or, for orders, the office) accepts it or sends it back.
/// </summary>
public interface IDirectiveGrain : IGrainWithGuidKey
{
    Task<DirectiveCommandResult> Issue(IssueDirective command);
    Task<DirectiveCommandResult> Respond(string commandId, Actor actor, string feedback);
    Task<DirectiveCommandResult> Accept(string commandId, Actor actor, string? note);
    Task<DirectiveCommandResult> SendBack(string commandId, Actor actor, string reason);
    Task<DirectiveView?> Get();
}
