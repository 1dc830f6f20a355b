using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Notifications;
using KeyProjects.Grains.Problems;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Meetings;

public sealed class MeetingState
{
    public bool Scheduled { get; set; }
    public MeetingKind Kind { get; set; }
    public string Title { get; set; } = "";
    public string Series { get; set; } = "";
    public DateTimeOffset ScheduledAt { get; set; }
    public string Place { get; set; } = "";
    public string Chair { get; set; } = "";
    public MeetingStatus Status { get; set; }
    public List<string> AttendeeDepartmentIds { get; set; } = [];
    public List<string> AttendeeLeaders { get; set; } = [];
    public List<AgendaItem> Agenda { get; set; } = [];
    public int ItemsAdded { get; set; }
    public string? CurrentItemId { get; set; }
    public Actor? Presenter { get; set; }
    public List<StatusPost> Posts { get; set; } = [];
    public List<Decision> Decisions { get; set; } = [];
    public List<Attendee> Attendance { get; set; } = [];
    public Guid? PreviousMeetingId { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public MinutesStatus Minutes { get; set; }
    public string? MinutesText { get; set; }
    public string? MinutesApprovedBy { get; set; }
    public DateTimeOffset? MinutesApprovedAt { get; set; }
    public int Version { get; set; }
    public List<ProcessedCommand> RecentCommands { get; set; } = [];

    /// <summary>Decisions whose work is being created (written before the work grain is called).</summary>
    public List<PendingDecision> PendingDecisions { get; set; } = [];

    /// <summary>Events written with the state and not yet confirmed in the event log (the outbox).</summary>
    public List<DomainEvent> Outbox { get; set; } = [];
}

public sealed class MeetingGrain(
    [PersistentState("meeting")] IPersistentState<MeetingState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<MeetingGrain> logger) : Grain, IMeetingGrain
{
    /// <summary>The devices connected now (not durable: they say so again within <see cref="MeetingRules.PresenceLifetime"/>).</summary>
    private readonly Dictionary<string, (Actor Actor, DateTimeOffset Seen)> _present = [];

    private MeetingState S => state.State;

    public Task<MeetingView?> Get() => Task.FromResult(S.Scheduled ? View() : null);

    public async Task<MeetingCommandResult> Schedule(ScheduleMeeting cmd)
    {
        if (await Replay(cmd.CommandId, "schedule", cmd.Actor) is { } replay) return replay;
        if (S.Scheduled) return Rejected(CommandOutcome.Conflict("meeting.already_scheduled", "This meeting has already been scheduled."));
        if (!MeetingRules.MayOrganise(cmd.Actor))
            return Rejected(CommandOutcome.Forbidden("meeting.organise_forbidden", "The command office prepares meetings."));
        if (!Enum.IsDefined(cmd.Kind)) return Rejected(CommandOutcome.Invalid("kind", "field.unknown_value", "An unknown kind of meeting."));
        if (CommandOutcome.RequiredText("title", cmd.Title, MeetingRules.TitleMaxLength) is { } badTitle) return Rejected(badTitle);
        if (CommandOutcome.RequiredText("series", cmd.Series, MeetingRules.ShortTextMaxLength) is { } badSeries) return Rejected(badSeries);
        if (cmd.Place is { Length: > MeetingRules.TitleMaxLength })
            return Rejected(CommandOutcome.Invalid("place", "text.too_long", $"At most {MeetingRules.TitleMaxLength} characters."));
        if (cmd.Chair is { Length: > MeetingRules.ShortTextMaxLength })
            return Rejected(CommandOutcome.Invalid("chair", "text.too_long", $"At most {MeetingRules.ShortTextMaxLength} characters."));
        if (cmd.ScheduledAt == default) return Rejected(CommandOutcome.Invalid("scheduledAt", "field.required", "When the meeting is held."));
        var departments = cmd.AttendeeDepartmentIds.Distinct().ToList();
        if (departments.Count > MeetingRules.MaxAttendeeDepartments)
            return Rejected(CommandOutcome.Invalid("attendeeDepartmentIds", "meeting.too_many", $"At most {MeetingRules.MaxAttendeeDepartments} departments."));
        foreach (var d in departments)
            if (await DepartmentRules.TakesWork(GrainFactory, d, "attendeeDepartmentIds") is { } badAttendee) return Rejected(badAttendee);
        var leaders = cmd.AttendeeLeaders.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).Distinct().ToList();
        if (leaders.Count > MeetingRules.MaxLeaders || leaders.Any(l => l.Length > MeetingRules.ShortTextMaxLength))
            return Rejected(CommandOutcome.Invalid("attendeeLeaders", "meeting.too_many", $"At most {MeetingRules.MaxLeaders} leaders, each name at most {MeetingRules.ShortTextMaxLength} characters."));
        if (cmd.Agenda.Count > MeetingRules.MaxAgendaItems)
            return Rejected(CommandOutcome.Invalid("agenda", "meeting.agenda_full", $"At most {MeetingRules.MaxAgendaItems} agenda items."));
        if (cmd.Agenda.Select(i => i.Id).Distinct().Count() != cmd.Agenda.Count || cmd.Agenda.Any(i => i.Title.Length > MeetingRules.TitleMaxLength))
            return Rejected(CommandOutcome.Invalid("agenda", "meeting.agenda_invalid", "Agenda items are distinct and their titles short."));

        S.Scheduled = true;
        S.Kind = cmd.Kind;
        S.Title = cmd.Title.Trim();
        S.Series = cmd.Series.Trim();
        S.ScheduledAt = cmd.ScheduledAt;
        S.Place = cmd.Place?.Trim() ?? "";
        S.Chair = cmd.Chair?.Trim() ?? "";
        S.Status = MeetingStatus.Planned;
        S.AttendeeDepartmentIds = departments;
        S.AttendeeLeaders = leaders;
        S.Agenda = cmd.Agenda.ToList();
        S.PreviousMeetingId = cmd.PreviousMeetingId;
        return await Commit(cmd.CommandId, "schedule", cmd.Actor, "scheduled", null, S.Title,
            [.. departments.Select(Mailboxes.ForDepartment), Mailboxes.Leadership]);
    }

    public async Task<MeetingCommandResult> AddItem(string commandId, Actor actor, string title, string? departmentId, string? projectCode, string? note)
    {
        if (await Replay(commandId, "add-item", actor) is { } replay) return replay;
        if (Prepare(actor) is { } refused) return Rejected(refused);
        if (CommandOutcome.RequiredText("title", title, MeetingRules.TitleMaxLength) is { } badTitle) return Rejected(badTitle);
        if (note is { Length: > MeetingRules.PostMaxLength })
            return Rejected(CommandOutcome.Invalid("note", "text.too_long", $"At most {MeetingRules.PostMaxLength} characters."));
        if (!string.IsNullOrWhiteSpace(departmentId) && await DepartmentRules.TakesWork(GrainFactory, departmentId, "departmentId") is { } badDepartment)
            return Rejected(badDepartment);
        if (projectCode is { Length: > 64 })
            return Rejected(CommandOutcome.Invalid("projectCode", "text.too_long", "At most 64 characters."));
        if (S.Agenda.Count >= MeetingRules.MaxAgendaItems)
            return Rejected(CommandOutcome.Conflict("meeting.agenda_full", $"The agenda holds at most {MeetingRules.MaxAgendaItems} items."));
        S.ItemsAdded++;
        var item = new AgendaItem($"item:{S.ItemsAdded}", AgendaItemKind.Other, AgendaSource.Added, null, title.Trim(),
            string.IsNullOrWhiteSpace(projectCode) ? null : projectCode.Trim(), string.IsNullOrWhiteSpace(departmentId) ? null : departmentId,
            string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        S.Agenda.Add(item);
        return await Commit(commandId, "add-item", actor, "item-added", item, item.Title, []);
    }

    public async Task<MeetingCommandResult> RemoveItem(string commandId, Actor actor, string itemId)
    {
        if (await Replay(commandId, "remove-item", actor) is { } replay) return replay;
        if (Prepare(actor) is { } refused) return Rejected(refused);
        var item = S.Agenda.Find(i => i.Id == itemId);
        if (item is null) return Rejected(CommandOutcome.NotFound("meeting.item_not_found", $"No agenda item '{itemId}'."));
        S.Agenda.Remove(item);
        return await Commit(commandId, "remove-item", actor, "item-removed", item, item.Title, []);
    }

    public async Task<MeetingCommandResult> MoveItem(string commandId, Actor actor, string itemId, int position)
    {
        if (await Replay(commandId, "move-item", actor) is { } replay) return replay;
        if (Prepare(actor) is { } refused) return Rejected(refused);
        var item = S.Agenda.Find(i => i.Id == itemId);
        if (item is null) return Rejected(CommandOutcome.NotFound("meeting.item_not_found", $"No agenda item '{itemId}'."));
        if (position < 0 || position >= S.Agenda.Count)
            return Rejected(CommandOutcome.Invalid("position", "meeting.position", $"A position from 0 to {S.Agenda.Count - 1}."));
        S.Agenda.Remove(item);
        S.Agenda.Insert(position, item);
        return await Commit(commandId, "move-item", actor, "item-moved", item, (position + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), []);
    }

    /// <summary>The agenda is the office's until the meeting starts.</summary>
    private CommandOutcome? Prepare(Actor actor)
    {
        if (!S.Scheduled) return CommandOutcome.NotFound("meeting.not_found", "No such meeting.");
        if (!MeetingRules.MayOrganise(actor)) return CommandOutcome.Forbidden("meeting.organise_forbidden", "The command office keeps the agenda.");
        if (S.Status != MeetingStatus.Planned)
            return CommandOutcome.Conflict("meeting.not_planned", "The agenda is kept before the meeting starts.");
        return null;
    }

    public async Task<MeetingCommandResult> Start(string commandId, Actor actor)
    {
        if (await Replay(commandId, "start", actor) is { } replay) return replay;
        if (!S.Scheduled) return Rejected(CommandOutcome.NotFound("meeting.not_found", "No such meeting."));
        if (!MeetingRules.MayPresent(actor)) return Rejected(CommandOutcome.Forbidden("meeting.present_forbidden", "The office or a leader runs the meeting."));
        if (S.Status != MeetingStatus.Planned) return Rejected(CommandOutcome.Conflict("meeting.not_planned", $"The meeting is {S.Status}."));
        if (S.Agenda.Count == 0) return Rejected(CommandOutcome.Conflict("meeting.agenda_empty", "The agenda is empty."));
        var now = clock.GetUtcNow();
        S.Status = MeetingStatus.Live;
        S.StartedAt = now;
        S.Presenter = actor;
        S.CurrentItemId = S.Agenda[0].Id;
        Attend(actor, now);
        return await Commit(commandId, "start", actor, "started", S.Agenda[0], S.Agenda[0].Title, []);
    }

    public async Task<MeetingCommandResult> TakeFloor(string commandId, Actor actor)
    {
        if (await Replay(commandId, "take-floor", actor) is { } replay) return replay;
        if (Live(actor) is { } refused) return Rejected(refused);
        if (S.Presenter is { } holder && holder.UserName != actor.UserName)
            return Rejected(CommandOutcome.Conflict("meeting.floor_held", $"{holder.DisplayName} holds the floor; it must be handed over."));
        S.Presenter = actor;
        Attend(actor, clock.GetUtcNow());
        return await Commit(commandId, "take-floor", actor, "floor-taken", null, actor.DisplayName, []);
    }

    public async Task<MeetingCommandResult> HandOver(string commandId, Actor actor, Actor to)
    {
        if (await Replay(commandId, "hand-over", actor) is { } replay) return replay;
        if (Live(actor) is { } refused) return Rejected(refused);
        if (S.Presenter?.UserName != actor.UserName && actor.Role != Role.Leadership)
            return Rejected(CommandOutcome.Conflict("meeting.floor_held", $"{S.Presenter?.DisplayName} holds the floor; only they (or a leader) hand it over."));
        if (!MeetingRules.MayPresent(to))
            return Rejected(CommandOutcome.Invalid("userName", "meeting.not_a_presenter", "The office or a leader takes the floor."));
        S.Presenter = to;
        return await Commit(commandId, "hand-over", actor, "floor-handed", null, to.DisplayName, []);
    }

    public async Task<MeetingCommandResult> MoveTo(string commandId, Actor actor, string itemId)
    {
        if (await Replay(commandId, "move-to", actor) is { } replay) return replay;
        if (Floor(actor) is { } refused) return Rejected(refused);
        var item = S.Agenda.Find(i => i.Id == itemId);
        if (item is null) return Rejected(CommandOutcome.Invalid("itemId", "meeting.item_not_found", $"No agenda item '{itemId}'."));
        S.CurrentItemId = item.Id;
        return await Commit(commandId, "move-to", actor, "moved", item, item.Title, []);
    }

    public async Task<MeetingCommandResult> PostStatus(string commandId, Actor actor, string text)
    {
        if (await Replay(commandId, "post-status", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("text", text, MeetingRules.PostMaxLength) is { } invalid) return Rejected(invalid);
        if (!S.Scheduled) return Rejected(CommandOutcome.NotFound("meeting.not_found", "No such meeting."));
        if (S.Status != MeetingStatus.Live) return Rejected(CommandOutcome.Conflict("meeting.not_live", "Status is posted while the meeting runs."));
        if (S.Agenda.Find(i => i.Id == S.CurrentItemId) is not { } item)
            return Rejected(CommandOutcome.Conflict("meeting.no_current_item", "No agenda item is under discussion."));
        if (!MeetingRules.MayPost(actor, Summary(), item))
            return Rejected(CommandOutcome.Forbidden("meeting.post_forbidden", "An attending department, or the item's department, posts its status."));
        if (S.Posts.Count >= MeetingRules.MaxPosts)
            return Rejected(CommandOutcome.Conflict("meeting.posts_full", $"A meeting holds at most {MeetingRules.MaxPosts} posts."));
        var now = clock.GetUtcNow();
        S.Posts.Add(new StatusPost(S.Posts.Count + 1, item.Id, actor.DepartmentId!, actor.DisplayName, text.Trim(), now));
        Attend(actor, now);
        return await Commit(commandId, "post-status", actor, "status-posted", item, text.Trim(), []);
    }

    public async Task<MeetingCommandResult> RecordDecision(RecordDecision cmd)
    {
        if (await Replay(cmd.CommandId, "decide", cmd.Actor) is { } replay) return replay;
        // A first attempt that wrote its intent and was cut off: finish it as it was first asked, whatever happened since.
        if (S.PendingDecisions.Find(p => p.Command.CommandId == cmd.CommandId) is { } pending)
            return pending.Command.Actor.UserName == cmd.Actor.UserName
                ? await Complete(pending)
                : Rejected(CommandOutcome.Conflict("command.key_reused", "This idempotency key was already used for another command."));
        if (Floor(cmd.Actor) is { } refused) return Rejected(refused);
        if (!Enum.IsDefined(cmd.Kind)) return Rejected(CommandOutcome.Invalid("kind", "field.unknown_value", "Problem, SupervisionOrder or Instruction."));
        if (!Enum.IsDefined(cmd.Category)) return Rejected(CommandOutcome.Invalid("category", "field.unknown_value", "An unknown problem category."));
        if (CommandOutcome.RequiredText("text", cmd.Text, MeetingRules.PostMaxLength) is { } badText) return Rejected(badText);
        var item = S.Agenda.Find(i => i.Id == (cmd.ItemId ?? S.CurrentItemId));
        if (item is null) return Rejected(CommandOutcome.Invalid("itemId", "meeting.item_not_found", $"No agenda item '{cmd.ItemId}'."));
        if (S.Decisions.Count + S.PendingDecisions.Count >= MeetingRules.MaxDecisions)
            return Rejected(CommandOutcome.Conflict("meeting.decisions_full", $"A meeting records at most {MeetingRules.MaxDecisions} decisions."));
        var now = clock.GetUtcNow();
        if (cmd.Deadline <= now) return Rejected(CommandOutcome.Invalid("deadline", "meeting.deadline_past", "The deadline must be in the future."));
        if (cmd.ProjectCode is { Length: > 64 }) return Rejected(CommandOutcome.Invalid("projectCode", "text.too_long", "At most 64 characters."));
        var projectCode = string.IsNullOrWhiteSpace(cmd.ProjectCode) ? item.ProjectCode : cmd.ProjectCode.Trim();
        var onProblem = item.Kind == AgendaItemKind.Problem && Guid.TryParse(item.SubjectId, out _);
        if (projectCode is null && (cmd.Kind == DecisionKind.Problem || !onProblem))
            return Rejected(CommandOutcome.Invalid("projectCode", "meeting.decision_needs_project", "Name the project the decision is about."));

        // The intent is durable before the work exists; the work's key comes from the command's, so finishing it twice
        // finds the work the first attempt created.
        var workId = CommandId.DeriveGuid("meeting-decision", $"{this.GetPrimaryKey()}\n{cmd.CommandId}");
        var intent = new PendingDecision(cmd with { Text = cmd.Text.Trim(), ItemId = item.Id }, item.Id, projectCode, workId, now);
        S.PendingDecisions.Add(intent);
        await GrainState.Persist(this, state);
        return await Complete(intent);
    }

    /// <summary>Creates the decision's work (or finds it made) and records the decision; a refusal drops the intent.</summary>
    private async Task<MeetingCommandResult> Complete(PendingDecision intent)
    {
        var (cmd, item) = (intent.Command, S.Agenda.Find(i => i.Id == intent.ItemId));
        var workCommand = $"m-{intent.WorkId:N}";
        CommandOutcome outcome;
        if (cmd.Kind == DecisionKind.Problem)
        {
            var title = "会议议定：" + cmd.Text;
            if (title.Length > ProblemRules.TitleMaxLength) title = title[..(ProblemRules.TitleMaxLength - 1)] + "…";
            outcome = (await GrainFactory.GetGrain<IProblemGrain>(intent.WorkId).Raise(new RaiseProblem(
                workCommand, cmd.Actor, intent.ProjectCode!, title, $"{S.Title}（{item?.Title}）议定：{cmd.Text}", cmd.Category,
                cmd.DepartmentId, [], null, cmd.Deadline))).Outcome;
        }
        else
        {
            Guid? problemId = item is { Kind: AgendaItemKind.Problem } && Guid.TryParse(item.SubjectId, out var p) ? p : null;
            outcome = (await GrainFactory.GetGrain<IDirectiveGrain>(intent.WorkId).Issue(new IssueDirective(
                workCommand, cmd.Actor, cmd.Kind == DecisionKind.Instruction ? DirectiveKind.Instruction : DirectiveKind.SupervisionOrder,
                problemId, problemId is null ? intent.ProjectCode : null, cmd.DepartmentId, cmd.Text, null, cmd.Deadline))).Outcome;
        }
        S.PendingDecisions.Remove(intent);
        if (!outcome.Succeeded)
        {
            await GrainState.Persist(this, state); // nothing was created: the intent goes
            return Rejected(AsDecisionField(outcome));
        }
        S.Decisions.Add(new Decision(S.Decisions.Count + 1, intent.ItemId, cmd.Kind, cmd.Text, cmd.DepartmentId, cmd.Deadline, intent.WorkId,
            cmd.Actor.DisplayName, clock.GetUtcNow()));
        return await Commit(cmd.CommandId, "decide", cmd.Actor, "decided", item, cmd.Text, []);
    }

    /// <summary>The work grain names its own fields; the decision's form names them thus.</summary>
    private static CommandOutcome AsDecisionField(CommandOutcome outcome) => outcome.Field switch
    {
        "leadDepartmentId" => outcome with { Field = "departmentId" },
        "resolutionDeadline" or "claimDeadline" => outcome with { Field = "deadline" },
        "title" or "description" => outcome with { Field = "text" },
        "category" => outcome with { Field = "category" },
        _ => outcome,
    };

    public async Task<MeetingCommandResult> Close(string commandId, Actor actor)
    {
        if (await Replay(commandId, "close", actor) is { } replay) return replay;
        if (Live(actor) is { } refused) return Rejected(refused);
        if (S.Presenter?.UserName != actor.UserName && actor.Role != Role.Leadership)
            return Rejected(CommandOutcome.Conflict("meeting.floor_held", $"{S.Presenter?.DisplayName} holds the floor; the presenter (or a leader) closes the meeting."));
        S.Status = MeetingStatus.Closed;
        S.ClosedAt = clock.GetUtcNow();
        S.Presenter = null;
        S.CurrentItemId = null;
        S.Minutes = MinutesStatus.Draft;
        return await Commit(commandId, "close", actor, "closed", null, S.Title, [Mailboxes.Office]);
    }

    public async Task<MeetingCommandResult> SaveMinutes(string commandId, Actor actor, string text)
    {
        if (await Replay(commandId, "save-minutes", actor) is { } replay) return replay;
        if (Minutes(actor, text) is { } refused) return Rejected(refused);
        S.MinutesText = text.Trim();
        return await Commit(commandId, "save-minutes", actor, "minutes-saved", null, null, []);
    }

    public async Task<MeetingCommandResult> ApproveMinutes(string commandId, Actor actor, string text)
    {
        if (await Replay(commandId, "approve-minutes", actor) is { } replay) return replay;
        if (Minutes(actor, text) is { } refused) return Rejected(refused);
        S.MinutesText = text.Trim();
        S.Minutes = MinutesStatus.Approved;
        S.MinutesApprovedBy = actor.DisplayName;
        S.MinutesApprovedAt = clock.GetUtcNow();
        return await Commit(commandId, "approve-minutes", actor, "minutes-approved", null, null,
            [.. S.AttendeeDepartmentIds.Select(Mailboxes.ForDepartment), Mailboxes.Leadership]);
    }

    private CommandOutcome? Minutes(Actor actor, string text)
    {
        if (CommandOutcome.RequiredText("text", text, MeetingRules.MinutesMaxLength) is { } invalid) return invalid;
        if (!S.Scheduled) return CommandOutcome.NotFound("meeting.not_found", "No such meeting.");
        if (!MeetingRules.MayOrganise(actor)) return CommandOutcome.Forbidden("meeting.organise_forbidden", "The command office keeps the minutes.");
        if (S.Minutes != MinutesStatus.Draft)
            return CommandOutcome.Conflict("meeting.minutes_not_draft", S.Minutes == MinutesStatus.Approved
                ? "The minutes are approved and kept as they are." : "The minutes are drafted when the meeting closes.");
        return null;
    }

    /// <summary>A command of the live meeting by a presenter.</summary>
    private CommandOutcome? Live(Actor actor)
    {
        if (!S.Scheduled) return CommandOutcome.NotFound("meeting.not_found", "No such meeting.");
        if (!MeetingRules.MayPresent(actor)) return CommandOutcome.Forbidden("meeting.present_forbidden", "The office or a leader runs the meeting.");
        if (S.Status != MeetingStatus.Live) return CommandOutcome.Conflict("meeting.not_live", $"The meeting is {S.Status}.");
        return null;
    }

    /// <summary>A command only the presenter holding the floor gives.</summary>
    private CommandOutcome? Floor(Actor actor)
    {
        if (Live(actor) is { } refused) return refused;
        if (S.Presenter?.UserName != actor.UserName)
            return S.Presenter is { } holder
                ? CommandOutcome.Conflict("meeting.floor_held", $"{holder.DisplayName} holds the floor; it must be handed over.")
                : CommandOutcome.Conflict("meeting.floor_free", "Take the floor first.");
        return null;
    }

    public async Task Heartbeat(string presenceId, Actor actor, bool attending)
    {
        if (!S.Scheduled || string.IsNullOrEmpty(presenceId) || presenceId.Length > 100) return;
        var now = clock.GetUtcNow();
        _present.Remove(presenceId);
        foreach (var stale in _present.Where(p => now - p.Value.Seen > MeetingRules.PresenceLifetime).Select(p => p.Key).ToList())
            _present.Remove(stale);
        if (_present.Count < 2 * MeetingRules.MaxAttendees) _present[presenceId] = (actor, now);
        if (attending && S.Status == MeetingStatus.Live && Attend(actor, now))
            await Commit(null, "attend", actor, "attended", null, actor.DisplayName, []);
    }

    public Task Leave(string presenceId)
    {
        _present.Remove(presenceId);
        return Task.CompletedTask;
    }

    /// <summary>Records the first sign of a user in the live meeting; true when it is new.</summary>
    private bool Attend(Actor actor, DateTimeOffset now)
    {
        if (actor.Role == Role.BigScreen || S.Attendance.Count >= MeetingRules.MaxAttendees || S.Attendance.Any(a => a.UserName == actor.UserName)) return false;
        S.Attendance.Add(new Attendee(actor.UserName, actor.DisplayName, actor.Role, actor.DepartmentId, now));
        return true;
    }

    /// <remarks>A retry hands on the events its first attempt may have left in the outbox.</remarks>
    private async Task<MeetingCommandResult?> Replay(string commandId, string kind, Actor actor)
    {
        switch (CommandLog.Check(S.RecentCommands, commandId, kind, actor))
        {
            case null when S.RecentCommands.Count >= MeetingRules.MaxCommands:
                return Rejected(CommandOutcome.Conflict("meeting.too_many_commands", $"A meeting takes at most {MeetingRules.MaxCommands} commands a week."));
            case null:
                return null;
            case { Succeeded: true }:
                await HandOn();
                return new MeetingCommandResult(CommandOutcome.Ok, View());
            case var refused:
                return Rejected(refused);
        }
    }

    private async Task<MeetingCommandResult> Commit(string? commandId, string kind, Actor actor, string action, AgendaItem? item, string? note, IReadOnlyList<string> notify)
    {
        var now = clock.GetUtcNow();
        S.Version++;
        if (commandId is not null) CommandLog.Remember(S.RecentCommands, commandId, kind, actor, now);
        S.Outbox.Add(Event(actor, action, item, note, notify, now));
        await GrainState.Persist(this, state);
        await HandOn();
        return new MeetingCommandResult(CommandOutcome.Ok, View());
    }

    /// <remarks>The item is passed, not looked up: a removed item's department must still hear of its removal.</remarks>
    private DomainEvent Event(Actor actor, string action, AgendaItem? item, string? note, IReadOnlyList<string> notify, DateTimeOffset now)
    {
        var id = this.GetPrimaryKey();
        var notification = notify.Count == 0 ? null
            : new Notification($"meeting:{id}:{S.Version}", "meeting." + action, S.Title, note ?? "", $"/meetings/{id}", now);
        var departments = S.AttendeeDepartmentIds.Concat(S.Agenda.Select(i => i.DepartmentId).OfType<string>())
            .Concat(item?.DepartmentId is { } itemDepartment ? [itemDepartment] : []).Distinct().ToList();
        var payload = new MeetingChanged(Summary(), action, item?.Id, note, notify, notification);
        return new DomainEvent(
            Streams.Of(Streams.Meeting, id.ToString()), S.Version, "meeting." + action, actor.UserName, actor.DisplayName, now,
            new EventConcerns(id.ToString(), item?.ProjectCode, item?.DepartmentId, departments, null, S.Title, notify),
            EventJson.Write(payload));
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Meeting {this.GetPrimaryKey()}");

    private Task HandOn() => Delivery.HandOn();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Delivery.HandOnAtActivation();
        // A decision cut off between its intent and its work is finished now, even if nobody retries it.
        foreach (var pending in S.PendingDecisions.ToList())
        {
            try
            {
                await Complete(pending);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Meeting {Meeting}: the decision '{Command}' is still pending; it is finished by a retry or the next activation",
                    this.GetPrimaryKey(), pending.Command.CommandId);
            }
        }
    }

    private static MeetingCommandResult Rejected(CommandOutcome outcome) => MeetingCommandResult.Rejected(outcome);

    private MeetingSummary Summary() => new(
        this.GetPrimaryKey(), S.Kind, S.Title, S.Series, S.ScheduledAt, S.Place, S.Chair, S.Status, S.AttendeeDepartmentIds.ToList(),
        S.AttendeeLeaders.ToList(), S.Agenda.Select(i => i.DepartmentId).OfType<string>().Distinct().ToList(), S.CurrentItemId, S.Presenter?.UserName, S.Presenter?.DisplayName, S.Agenda.Count, S.Decisions.Count,
        S.Minutes, S.PreviousMeetingId, S.StartedAt, S.ClosedAt, S.Version);

    private MeetingView View()
    {
        var now = clock.GetUtcNow();
        var present = _present.Values.Where(p => now - p.Seen <= MeetingRules.PresenceLifetime)
            .GroupBy(p => p.Actor.UserName).Select(g => g.First().Actor)
            .Select(a => new PresentEntry(a.UserName, a.DisplayName, a.Role, a.DepartmentId)).OrderBy(p => p.Role).ThenBy(p => p.UserName, StringComparer.Ordinal).ToList();
        return new MeetingView(Summary(), S.Agenda.ToList(), S.Posts.ToList(), S.Decisions.ToList(), S.Attendance.ToList(), present,
            S.MinutesText, S.MinutesApprovedBy, S.MinutesApprovedAt);
    }
}
