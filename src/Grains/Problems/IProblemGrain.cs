using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Problems;

/// <summary>
/// One coordination problem (协调事项) and every rule of its closed loop. Each command carries an idempotency key
/// (commandId): a retried command returns the first outcome and is not applied twice. Deadlines are kept by a durable
/// reminder; warnings, breaches and escalations are transitions of their own.
/// </summary>
public interface IProblemGrain : IGrainWithGuidKey
{
    /// <summary>提报: with a lead department it is dispatched at once; without one it waits for the office to route it.</summary>
    Task<ProblemCommandResult> Raise(RaiseProblem command);

    /// <summary>分办 / 改派: the office routes (or re-routes) the problem; the deadlines' clock starts again.</summary>
    Task<ProblemCommandResult> Route(string commandId, Actor actor, RouteProblem route);

    /// <summary>认领: the lead department takes ownership. Exactly one claim succeeds.</summary>
    Task<ProblemCommandResult> Claim(string commandId, Actor actor);

    /// <summary>退回: the lead department says the problem is not its own. The second return goes to the office's ruling.</summary>
    Task<ProblemCommandResult> Return(string commandId, Actor actor, ReturnReason reason, string text);

    /// <summary>裁定: the office's binding ruling after a second return; the named owner can no longer return it.</summary>
    Task<ProblemCommandResult> Rule(string commandId, Actor actor, string ownerDepartmentId, string text);

    /// <summary>The lead or an assisting department posts its input (进展 / 配合意见).</summary>
    Task<ProblemCommandResult> PostInput(string commandId, Actor actor, string text);

    /// <summary>The lead department asks to stop the clock, with a reason; only the office's approval pauses it.</summary>
    Task<ProblemCommandResult> RequestPause(string commandId, Actor actor, string reason);

    Task<ProblemCommandResult> DecidePause(string commandId, Actor actor, bool approve, string? note);

    /// <summary>The clock runs again; the deadlines move by the working days the pause lasted.</summary>
    Task<ProblemCommandResult> Resume(string commandId, Actor actor);

    /// <summary>办结: the lead department submits its resolution.</summary>
    Task<ProblemCommandResult> SubmitResolution(string commandId, Actor actor, string resolution);

    /// <summary>销号: the raiser or the office verifies the resolution and closes the problem.</summary>
    Task<ProblemCommandResult> Close(string commandId, Actor actor, string? note);

    /// <summary>重办: the raiser or the office rejects the resolution and sends the problem back to its lead department.</summary>
    Task<ProblemCommandResult> SendBack(string commandId, Actor actor, string reason);

    /// <summary>A leader's instruction (批示) on this problem, recorded in its history (called by the instruction).</summary>
    Task<ProblemCommandResult> Annotate(string commandId, Actor actor, string text);

    Task<ProblemView?> Get();

    /// <summary>
    /// Looks at the deadlines now, as the deadline reminder does: gives every warning, breach and escalation due by the
    /// clock and sets the reminder for the next one. Idempotent (what was given is not given again).
    /// </summary>
    Task ReviewDeadlines();
}
