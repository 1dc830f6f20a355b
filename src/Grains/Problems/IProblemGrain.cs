using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Problems;

/// <summary>
/// One coordination problem (协调事项) and every rule of its closed loop. Each command carries an idempotency key
/// (commandId): a retried command returns the first outcome and is not applied twice.
/// </summary>
public interface IProblemGrain : IGrainWithGuidKey
{
    Task<ProblemCommandResult> Raise(RaiseProblem command);

    /// <summary>认领: the lead department takes ownership. Exactly one claim succeeds.</summary>
    Task<ProblemCommandResult> Claim(string commandId, Actor actor);

    /// <summary>办结: the lead department submits its resolution.</summary>
    Task<ProblemCommandResult> SubmitResolution(string commandId, Actor actor, string resolution);

    /// <summary>销号: the raiser or the office verifies the resolution and closes the problem.</summary>
    Task<ProblemCommandResult> Close(string commandId, Actor actor, string? note);

    /// <summary>重办: the raiser or the office rejects the resolution and sends the problem back to its lead department.</summary>
    Task<ProblemCommandResult> SendBack(string commandId, Actor actor, string reason);

    Task<ProblemView?> Get();
}
