using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>What a user asks for when raising a problem. Everything is checked by the problem grain.</summary>
public sealed record RaiseProblemRequest(
    string? Title,
    string? Description,
    ProblemCategory? Category,
    string? LeadDepartmentId,
    IReadOnlyList<string>? AssistingDepartmentIds,
    DateTimeOffset? ClaimDeadline,
    DateTimeOffset? ResolutionDeadline);

public sealed record ResolutionRequest(string? Resolution);
public sealed record CloseRequest(string? Note);
public sealed record SendBackRequest(string? Reason);

/// <summary>
/// The thin service pages and the API share for the problem loop: it turns the signed-in user into an actor and
/// passes commands to the problem grain, which owns every rule.
/// </summary>
public sealed class ProblemService(IGrainFactory grains)
{
    public const string RaiseScope = "raise-problem";

    public Task<ProblemView?> Get(Guid id) => grains.GetGrain<IProblemGrain>(id).Get();

    /// <summary>The problem id follows from the idempotency key, so a retried raise reaches the same problem.</summary>
    public Task<ProblemCommandResult> Raise(ClaimsPrincipal user, string projectCode, RaiseProblemRequest request, string idempotencyKey)
    {
        var actor = user.ToActor();
        var id = CommandId.DeriveGuid(RaiseScope, actor.UserName + "\n" + idempotencyKey);
        return grains.GetGrain<IProblemGrain>(id).Raise(new RaiseProblem(
            idempotencyKey, actor, projectCode, request.Title ?? "", request.Description ?? "",
            request.Category ?? ProblemCategory.Other, request.LeadDepartmentId ?? "",
            request.AssistingDepartmentIds?.Where(d => !string.IsNullOrWhiteSpace(d)).ToList() ?? [],
            request.ClaimDeadline, request.ResolutionDeadline));
    }

    public Task<ProblemCommandResult> Claim(ClaimsPrincipal user, Guid id, string idempotencyKey) =>
        grains.GetGrain<IProblemGrain>(id).Claim(idempotencyKey, user.ToActor());

    public Task<ProblemCommandResult> SubmitResolution(ClaimsPrincipal user, Guid id, string? resolution, string idempotencyKey) =>
        grains.GetGrain<IProblemGrain>(id).SubmitResolution(idempotencyKey, user.ToActor(), resolution ?? "");

    public Task<ProblemCommandResult> Close(ClaimsPrincipal user, Guid id, string? note, string idempotencyKey) =>
        grains.GetGrain<IProblemGrain>(id).Close(idempotencyKey, user.ToActor(), note);

    public Task<ProblemCommandResult> SendBack(ClaimsPrincipal user, Guid id, string? reason, string idempotencyKey) =>
        grains.GetGrain<IProblemGrain>(id).SendBack(idempotencyKey, user.ToActor(), reason ?? "");
}
