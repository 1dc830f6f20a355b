using System.Security.Claims;
using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Meetings;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Meetings;

namespace KeyProjects.Web.Services;

public sealed record ScheduleMeetingRequest(
    MeetingKind? Kind, string? Title, string? Series, DateTimeOffset? ScheduledAt, string? Place, string? Chair,
    IReadOnlyList<string>? AttendeeDepartmentIds, IReadOnlyList<string>? AttendeeLeaders);
public sealed record AgendaItemRequest(string? Title, string? DepartmentId, string? ProjectCode, string? Note);
public sealed record AgendaMoveRequest(int? Position);
public sealed record HandOverRequest(string? UserName);
public sealed record MoveToRequest(string? ItemId);
public sealed record StatusPostRequest(string? Text);
public sealed record DecisionRequest(
    string? ItemId, DecisionKind? Kind, string? Text, string? DepartmentId, DateTimeOffset? Deadline, ProblemCategory? Category, string? ProjectCode);
public sealed record MinutesRequest(string? Text);

/// <summary>Where the work a decision became stands now (from the read model).</summary>
public sealed record WorkStatus(Guid Id, string StatusKey, bool Open, bool Overdue, string DepartmentId, DateTimeOffset? Deadline);

/// <summary>The facts of the item on the screen: the problem, order or decision behind it and its project.</summary>
public sealed record ItemFacts(AgendaItem Item, ProblemSummary? Problem, DirectiveSummary? Directive, WorkStatus? Work, ProjectSummary? Project);

/// <summary>A meeting as its pages show it: the meeting, where its decisions stand, the current item's facts, the previous meeting.</summary>
public sealed record MeetingDetail(
    MeetingView Meeting,
    IReadOnlyDictionary<Guid, WorkStatus> Work,
    ItemFacts? Current,
    MeetingView? Previous,
    IReadOnlyDictionary<string, string> ProjectNames);

/// <summary>A department's items on the agenda of a meeting to come.</summary>
public sealed record AgendaForDepartment(MeetingSummary Meeting, IReadOnlyList<AgendaItem> Items);

/// <summary>Coordination meetings: thin calls to the meeting grains, with the agenda built from the read model.</summary>
public sealed class MeetingService(IGrainFactory grains, ReadModelQueries readModel, TimeProvider clock)
{
    public const string ScheduleScope = "schedule-meeting";

    private IMeetingGrain Grain(Guid id) => grains.GetGrain<IMeetingGrain>(id);

    /// <summary>The meetings a user may see, the latest first.</summary>
    public async Task<IReadOnlyList<MeetingSummary>?> List(ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        if (actor.Role is Role.ProjectReporter) return null;
        var all = await readModel.Meetings(new MeetingFilter { LatestFirst = true });
        return all.Where(m => MeetingRules.MayRead(actor, m)).ToList();
    }

    public async Task<(InboxAccess Access, MeetingDetail? Detail)> GetFor(ClaimsPrincipal user, Guid id)
    {
        var view = await Grain(id).Get();
        if (view is null) return (InboxAccess.NotFound, null);
        if (!MeetingRules.MayRead(user.ToActor(), view.Summary)) return (InboxAccess.Forbidden, null);
        return (InboxAccess.Allowed, await Detail(view));
    }

    /// <summary>The meeting running now (the big screen switches to it), if any.</summary>
    public async Task<MeetingDetail?> Live()
    {
        var live = await readModel.Meetings(new MeetingFilter { Status = MeetingStatus.Live, LatestFirst = true }, 1);
        return live.Count == 0 || await Grain(live[0].Id).Get() is not { Summary.Status: MeetingStatus.Live } view ? null : await Detail(view);
    }

    /// <summary>The department's items on the agenda of the meetings to come (its desk shows them).</summary>
    public async Task<IReadOnlyList<AgendaForDepartment>> AgendaFor(string departmentId)
    {
        var coming = await readModel.Meetings(new MeetingFilter { Open = true }, 10);
        var result = new List<AgendaForDepartment>();
        foreach (var m in coming)
            if (await Grain(m.Id).Get() is { } view && view.Agenda.Where(i => i.DepartmentId == departmentId).ToList() is { Count: > 0 } items)
                result.Add(new AgendaForDepartment(view.Summary, items));
        return result;
    }

    private async Task<MeetingDetail> Detail(MeetingView view)
    {
        var previous = view.Summary.PreviousMeetingId is { } p ? await Grain(p).Get() : null;
        var current = view.Current;
        var ids = view.Decisions.Select(d => d.WorkId)
            .Concat(previous?.Decisions.Select(d => d.WorkId) ?? [])
            .Concat(view.Agenda.Where(i => i.Kind == AgendaItemKind.Decision).Select(i => Guid.Parse(i.SubjectId!)))
            .Concat(current is { Kind: AgendaItemKind.Problem or AgendaItemKind.Directive } ? [Guid.Parse(current.SubjectId!)] : [])
            .Distinct().ToList();
        var (problems, directives) = ids.Count == 0 ? ([], [])
            : (await readModel.ProblemList(new ProblemFilter { Ids = ids }, ReadModelQueries.MaxLimit),
               await readModel.Directives(new DirectiveFilter { Ids = ids }, ReadModelQueries.MaxLimit));
        var now = clock.GetUtcNow();
        var work = problems.Select(p => new WorkStatus(p.Id, "ProblemStatus." + p.Status, p.IsOpen, p.Overdue, p.LeadDepartmentId, p.CurrentDeadline))
            .Concat(directives.Select(d => new WorkStatus(d.Id, "DirectiveStatus." + d.Status, d.IsOpen, d.IsOverdue(now), d.DepartmentId, d.Deadline)))
            .DistinctBy(w => w.Id).ToDictionary(w => w.Id);

        ItemFacts? facts = null;
        if (current is not null)
        {
            var subject = current.SubjectId is { } s && Guid.TryParse(s, out var g) ? g : (Guid?)null;
            var problem = subject is { } pid ? problems.FirstOrDefault(x => x.Id == pid) : null;
            var directive = subject is { } did ? directives.FirstOrDefault(x => x.Id == did) : null;
            var projectCode = current.ProjectCode ?? problem?.ProjectCode ?? directive?.ProjectCode;
            var project = projectCode is null ? null : await readModel.Project(projectCode);
            facts = new ItemFacts(current, problem, directive, subject is { } w && work.TryGetValue(w, out var ws) ? ws : null, project);
        }
        var codes = view.Agenda.Select(i => i.ProjectCode).OfType<string>().Distinct().ToList();
        var names = codes.Count == 0 ? new Dictionary<string, string>()
            : (await readModel.Projects(codes)).ToDictionary(p => p.Code, p => p.Name);
        return new MeetingDetail(view, work, facts, previous, names);
    }

    public async Task<MeetingCommandResult> Schedule(ClaimsPrincipal user, ScheduleMeetingRequest request, string key)
    {
        var actor = user.ToActor();
        if (request.Kind is not { } kind)
            return MeetingCommandResult.Rejected(CommandOutcome.Invalid("kind", "field.required", "WeeklyDispatch, MonthlyReport, JointMeeting, OnSiteOffice or InspectionTour."));
        if (request.ScheduledAt is not { } at)
            return MeetingCommandResult.Rejected(CommandOutcome.Invalid("scheduledAt", "field.required", "When the meeting is held."));
        var id = CommandId.DeriveGuid(ScheduleScope, actor.UserName + "\n" + key);
        var series = string.IsNullOrWhiteSpace(request.Series) ? kind.ToString() : request.Series.Trim();
        // The series' latest meeting held (a planned one that never met carries nothing).
        var previous = (await readModel.Meetings(new MeetingFilter { Series = series, Before = at, Status = MeetingStatus.Closed, LatestFirst = true }, 1)).FirstOrDefault();
        var agenda = await Agenda(previous is null ? null : await Grain(previous.Id).Get());
        var title = string.IsNullOrWhiteSpace(request.Title) ? MeetingText.DefaultTitle(kind, at) : request.Title;
        return await Grain(id).Schedule(new ScheduleMeeting(
            key, actor, kind, title, series, at, request.Place ?? "", request.Chair ?? "",
            request.AttendeeDepartmentIds ?? [], request.AttendeeLeaders ?? [], agenda, previous?.Id));
    }

    /// <summary>
    /// The agenda the office starts from: the decisions of the series' previous meeting not yet done (its own and those
    /// it carried, so an open decision stays on the agenda until it is done), then the escalated problems, the other
    /// red problems, and the overdue orders and instructions; each piece of work once (at most
    /// <see cref="MeetingRules.MaxAgendaItems"/>).
    /// </summary>
    public async Task<IReadOnlyList<AgendaItem>> Agenda(MeetingView? previous)
    {
        var items = new List<AgendaItem>();
        if (previous is not null)
        {
            var carried = previous.Decisions.Select(d => (d.WorkId, d.Text, d.DepartmentId))
                .Concat(previous.Agenda.Where(i => i.Kind == AgendaItemKind.Decision && Guid.TryParse(i.SubjectId, out _))
                    .Select(i => (WorkId: Guid.Parse(i.SubjectId!), Text: i.Title, DepartmentId: i.DepartmentId ?? "")))
                .DistinctBy(d => d.WorkId).ToList();
            var ids = carried.Select(d => d.WorkId).ToList();
            var openProblems = ids.Count == 0 ? [] : (await readModel.ProblemList(new ProblemFilter { Ids = ids, Open = true }, ReadModelQueries.MaxLimit)).ToDictionary(p => p.Id);
            var openDirectives = ids.Count == 0 ? [] : (await readModel.Directives(new DirectiveFilter { Ids = ids, Open = true }, ReadModelQueries.MaxLimit)).ToDictionary(d => d.Id);
            foreach (var d in carried)
            {
                string? project;
                if (openProblems.TryGetValue(d.WorkId, out var p)) project = p.ProjectCode;
                else if (openDirectives.TryGetValue(d.WorkId, out var o)) project = o.ProjectCode;
                else continue; // done
                items.Add(new AgendaItem($"decision:{d.WorkId}", AgendaItemKind.Decision, AgendaSource.OpenDecision, d.WorkId.ToString(),
                    Shorten(d.Text), project, d.DepartmentId.Length > 0 ? d.DepartmentId : null, null));
            }
        }
        var onAgenda = items.Select(i => i.SubjectId).ToHashSet();
        var escalated = await readModel.ProblemList(new ProblemFilter { Open = true, MinEscalation = 1 });
        var red = await readModel.ProblemList(new ProblemFilter { Open = true, Light = WarningLight.Red });
        foreach (var p in escalated.Concat(red).DistinctBy(p => p.Id).Where(p => onAgenda.Add(p.Id.ToString())))
            items.Add(new AgendaItem($"problem:{p.Id}", AgendaItemKind.Problem, p.EscalationLevel > 0 ? AgendaSource.Escalated : AgendaSource.RedProblem,
                p.Id.ToString(), Shorten(p.Title), p.ProjectCode, p.LeadDepartmentId is { Length: > 0 } lead ? lead : null, null));
        foreach (var d in (await readModel.Directives(new DirectiveFilter { OverdueAt = clock.GetUtcNow() })).Where(d => onAgenda.Add(d.Id.ToString())))
            items.Add(new AgendaItem($"directive:{d.Id}", AgendaItemKind.Directive, AgendaSource.OverdueOrder, d.Id.ToString(),
                Shorten(d.SubjectTitle + "：" + d.Text), d.ProjectCode, d.DepartmentId, null));
        return items.Take(MeetingRules.MaxAgendaItems).ToList();
    }

    private static string Shorten(string text) => text.Length <= MeetingRules.TitleMaxLength ? text : text[..(MeetingRules.TitleMaxLength - 1)] + "…";

    public Task<MeetingCommandResult> AddItem(ClaimsPrincipal user, Guid id, AgendaItemRequest request, string key) =>
        Grain(id).AddItem(key, user.ToActor(), request.Title ?? "", request.DepartmentId, request.ProjectCode, request.Note);

    public Task<MeetingCommandResult> RemoveItem(ClaimsPrincipal user, Guid id, string itemId, string key) =>
        Grain(id).RemoveItem(key, user.ToActor(), itemId);

    public Task<MeetingCommandResult> MoveItem(ClaimsPrincipal user, Guid id, string itemId, int? position, string key) =>
        position is { } p ? Grain(id).MoveItem(key, user.ToActor(), itemId, p)
            : Task.FromResult(MeetingCommandResult.Rejected(CommandOutcome.Invalid("position", "field.required", "The new position (from 0).")));

    public Task<MeetingCommandResult> Start(ClaimsPrincipal user, Guid id, string key) => Grain(id).Start(key, user.ToActor());

    public Task<MeetingCommandResult> TakeFloor(ClaimsPrincipal user, Guid id, string key) => Grain(id).TakeFloor(key, user.ToActor());

    public async Task<MeetingCommandResult> HandOver(ClaimsPrincipal user, Guid id, string? userName, string key)
    {
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > 100)
            return MeetingCommandResult.Rejected(CommandOutcome.Invalid("userName", "field.required", "Whom the floor goes to."));
        var account = await grains.GetGrain<IAccountGrain>(userName.Trim().ToUpperInvariant()).Get();
        if (account is null || account.LockoutEnd > clock.GetUtcNow())
            return MeetingCommandResult.Rejected(CommandOutcome.Invalid("userName", "account.not_found", $"No active account '{userName}'."));
        return await Grain(id).HandOver(key, user.ToActor(), new Actor(account.UserName, account.DisplayName, account.Role, account.DepartmentId));
    }

    public Task<MeetingCommandResult> MoveTo(ClaimsPrincipal user, Guid id, string? itemId, string key) =>
        Grain(id).MoveTo(key, user.ToActor(), itemId ?? "");

    public Task<MeetingCommandResult> PostStatus(ClaimsPrincipal user, Guid id, string? text, string key) =>
        Grain(id).PostStatus(key, user.ToActor(), text ?? "");

    public Task<MeetingCommandResult> Decide(ClaimsPrincipal user, Guid id, DecisionRequest request, string key)
    {
        if (request.Kind is not { } kind)
            return Task.FromResult(MeetingCommandResult.Rejected(CommandOutcome.Invalid("kind", "field.required", "Problem, SupervisionOrder or Instruction.")));
        if (request.Deadline is not { } deadline)
            return Task.FromResult(MeetingCommandResult.Rejected(CommandOutcome.Invalid("deadline", "field.required", "The deadline of the decided work.")));
        if (string.IsNullOrWhiteSpace(request.DepartmentId))
            return Task.FromResult(MeetingCommandResult.Rejected(CommandOutcome.Invalid("departmentId", "field.required", "The department that owns the decided work.")));
        return Grain(id).RecordDecision(new RecordDecision(key, user.ToActor(), request.ItemId, kind, request.Text ?? "", request.DepartmentId,
            deadline, request.Category ?? ProblemCategory.Other, request.ProjectCode));
    }

    public Task<MeetingCommandResult> Close(ClaimsPrincipal user, Guid id, string key) => Grain(id).Close(key, user.ToActor());

    public Task<MeetingCommandResult> SaveMinutes(ClaimsPrincipal user, Guid id, string? text, string key) =>
        Grain(id).SaveMinutes(key, user.ToActor(), text ?? "");

    public Task<MeetingCommandResult> ApproveMinutes(ClaimsPrincipal user, Guid id, string? text, string key) =>
        Grain(id).ApproveMinutes(key, user.ToActor(), text ?? "");

    /// <summary>A device says it is on the meeting; a page of the meeting (not a wall screen) counts as attending.</summary>
    public Task Heartbeat(ClaimsPrincipal user, Guid id, string presenceId, bool attending) => Grain(id).Heartbeat(presenceId, user.ToActor(), attending);

    public Task Leave(Guid id, string presenceId) => Grain(id).Leave(presenceId);
}
