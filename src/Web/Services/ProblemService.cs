using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Problems;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>One event of a problem's or directive's stream as its history shows it; the hashes chain it to the one before.</summary>
public sealed record LoggedHistoryEntry(
    long Position, long Sequence, DateTimeOffset At, string Kind, string ActorUserName, string ActorName,
    ProblemStatus? FromStatus, ProblemStatus? ToStatus, string? Note, string PreviousHash, string Hash)
{
    /// <summary>The action without its aggregate ("claimed" of "problem.claimed").</summary>
    public string Action => Kind[(Kind.IndexOf('.', StringComparison.Ordinal) + 1)..];
}

/// <summary>What a user asks for when raising a problem. Everything is checked by the problem grain.</summary>
public sealed record RaiseProblemRequest(
    string? Title,
    string? Description,
    ProblemCategory? Category,
    string? LeadDepartmentId,
    IReadOnlyList<string>? AssistingDepartmentIds,
    DateTimeOffset? ClaimDeadline,
    DateTimeOffset? ResolutionDeadline,
    ProblemSeverity? Severity = null);

public sealed record RouteRequest(string? LeadDepartmentId, IReadOnlyList<string>? AssistingDepartmentIds, DateTimeOffset? ClaimDeadline, DateTimeOffset? ResolutionDeadline);
public sealed record ReturnRequest(ReturnReason? Reason, string? Text);
public sealed record RulingRequest(string? OwnerDepartmentId, string? Text);
public sealed record InputRequest(string? Text);
public sealed record PauseRequest(string? Reason);
public sealed record PauseDecisionRequest(bool? Approve, string? Note);
public sealed record ResolutionRequest(string? Resolution);
public sealed record CloseRequest(string? Note);
public sealed record SendBackRequest(string? Reason);

/// <summary>
/// The thin service pages and the API share for the problem loop: it turns the signed-in user into an actor and
/// passes commands to the problem grain, which owns every rule.
/// </summary>
public sealed class ProblemService(IGrainFactory grains, ReadModelQueries readModel, ReadAccess access)
{
    public const string RaiseScope = "raise-problem";

    /// <summary>A problem in full, when the reader may read it (<see cref="ReadScope.Problem"/>).</summary>
    public async Task<Readable<ProblemView>> Get(ClaimsPrincipal user, Guid id)
    {
        if (await grains.GetGrain<IProblemGrain>(id).Get() is not { } view) return Readable<ProblemView>.NotFound("problem.not_found", "No such problem.");
        return (await access.Of(user)).Problem(view) ? Readable<ProblemView>.Found(view) : Readable<ProblemView>.No(ReadScope.ProblemRefused());
    }

    /// <summary>The problem's history as the event log keeps it (who, when, from → to, the chain's hashes), when the reader may read the problem.</summary>
    public async Task<Readable<IReadOnlyList<LoggedHistoryEntry>>> History(ClaimsPrincipal user, Guid id)
    {
        var problem = await Get(user, id);
        return problem.Value is null ? Readable<IReadOnlyList<LoggedHistoryEntry>>.No(problem.Refused!) : Readable<IReadOnlyList<LoggedHistoryEntry>>.Found(await History(id));
    }

    private async Task<IReadOnlyList<LoggedHistoryEntry>> History(Guid id) =>
        (await readModel.Stream(Streams.Of(Streams.Problem, id.ToString()))).Select(e =>
        {
            var change = EventJson.Read<ProblemChanged>(e.Data);
            return new LoggedHistoryEntry(e.Position, e.Sequence, e.At, e.Kind, e.Actor, e.ActorName, change.From, change.Problem.Status, change.Note, e.PrevHash, e.Hash);
        }).ToList();

    /// <summary>The most rows a ledger export carries.</summary>
    public const int LedgerLimit = 20_000;

    /// <summary>The problems a ledger (台账) exports: every match, most urgent first, up to <see cref="LedgerLimit"/>.</summary>
    public Task<IReadOnlyList<ProblemSummary>> Ledger(ProblemFilter filter) => readModel.ProblemList(filter, LedgerLimit);

    /// <summary>The city's problems the reader may list, one page (the read model).</summary>
    public async Task<Page<ProblemSummary>> List(ClaimsPrincipal user, ProblemFilter filter, int offset, int limit) =>
        await readModel.Problems((await access.Of(user)).Narrow(filter), offset, limit);

    /// <summary>The problem id follows from the idempotency key, so a retried raise reaches the same problem.</summary>
    public async Task<ProblemCommandResult> Raise(ClaimsPrincipal user, string projectCode, RaiseProblemRequest request, string idempotencyKey)
    {
        var actor = user.ToActor();
        if (await access.RefuseAct(user, projectCode) is { } refused) return ProblemCommandResult.Rejected(refused);
        var id = CommandId.DeriveGuid(RaiseScope, actor.UserName + "\n" + idempotencyKey);
        return await grains.GetGrain<IProblemGrain>(id).Raise(new RaiseProblem(
            idempotencyKey, actor, projectCode, request.Title ?? "", request.Description ?? "",
            request.Category ?? ProblemCategory.Other, request.LeadDepartmentId,
            request.AssistingDepartmentIds?.Where(d => !string.IsNullOrWhiteSpace(d)).ToList() ?? [],
            request.ClaimDeadline, request.ResolutionDeadline, request.Severity ?? ProblemSeverity.Normal));
    }

    public Task<ProblemCommandResult> Route(ClaimsPrincipal user, Guid id, RouteRequest request, string key) =>
        Act(user, id, grain => grain.Route(key, user.ToActor(), new RouteProblem(request.LeadDepartmentId ?? "",
            request.AssistingDepartmentIds ?? [], request.ClaimDeadline, request.ResolutionDeadline)));

    public Task<ProblemCommandResult> Claim(ClaimsPrincipal user, Guid id, string key) => Act(user, id, grain => grain.Claim(key, user.ToActor()));

    public Task<ProblemCommandResult> Return(ClaimsPrincipal user, Guid id, ReturnRequest request, string key) =>
        request.Reason is { } reason
            ? Act(user, id, grain => grain.Return(key, user.ToActor(), reason, request.Text ?? ""))
            : Task.FromResult(ProblemCommandResult.Rejected(CommandOutcome.Invalid("reason", "field.required", "The reason is Territory, Ownership or Function.")));

    public Task<ProblemCommandResult> Rule(ClaimsPrincipal user, Guid id, RulingRequest request, string key) =>
        Act(user, id, grain => grain.Rule(key, user.ToActor(), request.OwnerDepartmentId ?? "", request.Text ?? ""));

    public Task<ProblemCommandResult> PostInput(ClaimsPrincipal user, Guid id, string? text, string key) =>
        Act(user, id, grain => grain.PostInput(key, user.ToActor(), text ?? ""));

    public Task<ProblemCommandResult> RequestPause(ClaimsPrincipal user, Guid id, string? reason, string key) =>
        Act(user, id, grain => grain.RequestPause(key, user.ToActor(), reason ?? ""));

    public Task<ProblemCommandResult> DecidePause(ClaimsPrincipal user, Guid id, PauseDecisionRequest request, string key) =>
        request.Approve is { } approve
            ? Act(user, id, grain => grain.DecidePause(key, user.ToActor(), approve, request.Note))
            : Task.FromResult(ProblemCommandResult.Rejected(CommandOutcome.Invalid("approve", "field.required", "Say whether the pause is approved.")));

    public Task<ProblemCommandResult> Resume(ClaimsPrincipal user, Guid id, string key) => Act(user, id, grain => grain.Resume(key, user.ToActor()));

    public Task<ProblemCommandResult> SubmitResolution(ClaimsPrincipal user, Guid id, string? resolution, string key) =>
        Act(user, id, grain => grain.SubmitResolution(key, user.ToActor(), resolution ?? ""));

    public Task<ProblemCommandResult> Close(ClaimsPrincipal user, Guid id, string? note, string key) =>
        Act(user, id, grain => grain.Close(key, user.ToActor(), note));

    public Task<ProblemCommandResult> SendBack(ClaimsPrincipal user, Guid id, string? reason, string key) =>
        Act(user, id, grain => grain.SendBack(key, user.ToActor(), reason ?? ""));

    /// <summary>A command to a problem; a project reporter's only on its own projects' problems (ReadAccess).</summary>
    private async Task<ProblemCommandResult> Act(ClaimsPrincipal user, Guid id, Func<IProblemGrain, Task<ProblemCommandResult>> command)
    {
        var grain = grains.GetGrain<IProblemGrain>(id);
        if (user.ToActor().Role == Role.ProjectReporter && await grain.Get() is { } view
            && await access.RefuseAct(user, view.Summary.ProjectCode) is { } refused)
            return ProblemCommandResult.Rejected(refused);
        return await command(grain);
    }
}
