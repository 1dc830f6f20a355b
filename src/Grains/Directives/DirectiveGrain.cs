using Microsoft.Extensions.DependencyInjection;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Notifications;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Directives;

public sealed class DirectiveState
{
    public bool Issued { get; set; }
    public DirectiveKind Kind { get; set; }
    public DirectiveStatus Status { get; set; }
    public Guid? ProblemId { get; set; }
    public string? ProjectCode { get; set; }
    public string SubjectTitle { get; set; } = "";
    public string DepartmentId { get; set; } = "";
    public string Text { get; set; } = "";
    public string? FeedbackRequired { get; set; }
    public string? Feedback { get; set; }
    public Actor? IssuedBy { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset Deadline { get; set; }
    public List<DirectiveHistoryEntry> History { get; set; } = [];
    public List<ProcessedCommand> RecentCommands { get; set; } = [];

    /// <summary>Events written with the state and not yet confirmed in the event log (the outbox).</summary>
    public List<DomainEvent> Outbox { get; set; } = [];
}

public sealed class DirectiveGrain(
    [PersistentState("directive")] IPersistentState<DirectiveState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<DirectiveGrain> logger) : Grain, IDirectiveGrain
{
    private DirectiveState S => state.State;

    public Task<DirectiveView?> Get() => Task.FromResult(S.Issued ? View() : null);

    public async Task<DirectiveCommandResult> Issue(IssueDirective cmd)
    {
        if (await Replay(cmd.CommandId, "issue", cmd.Actor) is { } replay) return replay;
        if (S.Issued) return Rejected(CommandOutcome.Conflict("directive.already_issued", "This directive has already been issued."));
        if (!Enum.IsDefined(cmd.Kind))
            return Rejected(CommandOutcome.Invalid("kind", "field.unknown_value", "SupervisionOrder or Instruction."));
        var mayIssue = cmd.Kind == DirectiveKind.Instruction ? cmd.Actor.Role == Role.Leadership : cmd.Actor.Role is Role.Leadership or Role.Office;
        if (!mayIssue)
            return Rejected(CommandOutcome.Forbidden("directive.issue_forbidden", cmd.Kind == DirectiveKind.Instruction
                ? "Only a leader gives instructions." : "Only the leadership or the command office issues supervision orders."));
        if (CommandOutcome.RequiredText("text", cmd.Text, ProblemRules.TextMaxLength) is { } noText) return Rejected(noText);
        if (cmd.FeedbackRequired is { Length: > ProblemRules.TextMaxLength })
            return Rejected(CommandOutcome.Invalid("feedbackRequired", "text.too_long", $"At most {ProblemRules.TextMaxLength} characters."));
        if ((cmd.ProblemId is null) == string.IsNullOrWhiteSpace(cmd.ProjectCode))
            return Rejected(CommandOutcome.Invalid("problemId", "directive.subject", "Name either a problem or a project."));
        if (await DepartmentRules.TakesWork(GrainFactory, cmd.DepartmentId, "departmentId") is { } badDepartment) return Rejected(badDepartment);

        string subjectTitle, projectCode;
        if (cmd.ProblemId is { } problemId)
        {
            var problem = await GrainFactory.GetGrain<IProblemGrain>(problemId).Get();
            if (problem is null) return Rejected(CommandOutcome.NotFound("problem.not_found", "No such problem."));
            (subjectTitle, projectCode) = (problem.Summary.Title, problem.Summary.ProjectCode);
        }
        else
        {
            var project = cmd.ProjectCode!.Length > 64 ? null : await GrainFactory.GetGrain<IProjectGrain>(cmd.ProjectCode).GetProfile();
            if (project is null) return Rejected(CommandOutcome.NotFound("project.not_found", $"Project '{cmd.ProjectCode}' does not exist."));
            (subjectTitle, projectCode) = (project.Name, project.Code);
        }

        var now = clock.GetUtcNow();
        var settingsGrain = GrainFactory.GetGrain<ISettingsGrain>(ISettingsGrain.City);
        var deadline = cmd.Deadline
            ?? new WorkingCalendar(await settingsGrain.GetCalendar()).Deadline(now, (await settingsGrain.GetProblemSettings()).DirectiveWorkingDays);
        if (deadline <= now)
            return Rejected(CommandOutcome.Invalid("deadline", "directive.deadline_past", "The deadline must be in the future."));

        if (cmd.Kind == DirectiveKind.Instruction && cmd.ProblemId is { } annotated)
        {
            // 批示 on a problem is part of the problem's record too; the same key makes the annotation idempotent.
            var annotation = await GrainFactory.GetGrain<IProblemGrain>(annotated).Annotate("directive:" + this.GetPrimaryKey(), cmd.Actor, cmd.Text.Trim());
            if (!annotation.Outcome.Succeeded) return Rejected(annotation.Outcome);
        }

        S.Issued = true;
        S.Kind = cmd.Kind;
        S.Status = DirectiveStatus.Open;
        S.ProblemId = cmd.ProblemId;
        S.ProjectCode = projectCode;
        S.SubjectTitle = subjectTitle;
        S.DepartmentId = cmd.DepartmentId;
        S.Text = cmd.Text.Trim();
        S.FeedbackRequired = string.IsNullOrWhiteSpace(cmd.FeedbackRequired) ? null : cmd.FeedbackRequired.Trim();
        S.IssuedBy = cmd.Actor;
        S.IssuedAt = now;
        S.Deadline = deadline;
        return await Commit(cmd.CommandId, "issue", cmd.Actor, "issued", S.Text, Mailboxes.ForDepartment(S.DepartmentId));
    }

    public async Task<DirectiveCommandResult> Respond(string commandId, Actor actor, string feedback)
    {
        if (await Replay(commandId, "respond", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("feedback", feedback, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (!S.Issued) return Rejected(CommandOutcome.NotFound("directive.not_found", "No such directive."));
        if (!DirectiveRules.MayRespond(actor, S.DepartmentId))
            return Rejected(CommandOutcome.Forbidden("directive.not_addressee", "Only the department it is addressed to responds."));
        if (S.Status != DirectiveStatus.Open)
            return Rejected(CommandOutcome.Conflict("directive.not_open", $"The directive is {S.Status}."));
        S.Status = DirectiveStatus.Responded;
        S.Feedback = feedback.Trim();
        return await Commit(commandId, "respond", actor, "responded", S.Feedback, Mailboxes.ForUser(S.IssuedBy!.UserName));
    }

    public async Task<DirectiveCommandResult> Accept(string commandId, Actor actor, string? note)
    {
        if (await Replay(commandId, "accept", actor) is { } replay) return replay;
        if (note is { Length: > ProblemRules.TextMaxLength })
            return Rejected(CommandOutcome.Invalid("note", "text.too_long", $"At most {ProblemRules.TextMaxLength} characters."));
        if (Judge(actor) is { } refused) return Rejected(refused);
        S.Status = DirectiveStatus.Accepted;
        return await Commit(commandId, "accept", actor, "accepted", string.IsNullOrWhiteSpace(note) ? null : note.Trim(), Mailboxes.ForDepartment(S.DepartmentId));
    }

    public async Task<DirectiveCommandResult> SendBack(string commandId, Actor actor, string reason)
    {
        if (await Replay(commandId, "send-back", actor) is { } replay) return replay;
        if (CommandOutcome.RequiredText("reason", reason, ProblemRules.TextMaxLength) is { } invalid) return Rejected(invalid);
        if (Judge(actor) is { } refused) return Rejected(refused);
        S.Status = DirectiveStatus.Open;
        return await Commit(commandId, "send-back", actor, "sent-back", reason.Trim(), Mailboxes.ForDepartment(S.DepartmentId));
    }

    /// <summary>The issuer judges a response; the office may also judge supervision orders.</summary>
    private CommandOutcome? Judge(Actor actor)
    {
        if (!S.Issued) return CommandOutcome.NotFound("directive.not_found", "No such directive.");
        if (!DirectiveRules.MayJudge(actor, S.Kind, S.IssuedBy!.UserName))
            return CommandOutcome.Forbidden("directive.judge_forbidden", "Only the issuer (or the office, for supervision orders) judges the response.");
        if (S.Status != DirectiveStatus.Responded)
            return CommandOutcome.Conflict("directive.not_responded", $"The directive is {S.Status}; there is no response to judge.");
        return null;
    }

    /// <remarks>A retry hands on the events its first attempt may have left in the outbox.</remarks>
    private async Task<DirectiveCommandResult?> Replay(string commandId, string kind, Actor actor)
    {
        switch (CommandLog.Check(S.RecentCommands, commandId, kind, actor))
        {
            case null:
                return null;
            case { Succeeded: true }:
                await HandOn();
                return new DirectiveCommandResult(CommandOutcome.Ok, View());
            case var refused:
                return Rejected(refused);
        }
    }

    private async Task<DirectiveCommandResult> Commit(string commandId, string kind, Actor actor, string action, string? note, string notify)
    {
        var now = clock.GetUtcNow();
        S.History.Add(new DirectiveHistoryEntry(S.History.Count + 1, now, actor, action, note));
        CommandLog.Remember(S.RecentCommands, commandId, kind, actor, now);
        S.Outbox.Add(Event(actor, action, note, notify, now));
        await GrainState.Persist(this, state);
        await HandOn();
        return new DirectiveCommandResult(CommandOutcome.Ok, View());
    }

    private DomainEvent Event(Actor actor, string action, string? note, string notify, DateTimeOffset now)
    {
        var id = this.GetPrimaryKey();
        var notification = new Notification(
            $"directive:{id}:{S.History.Count}", $"directive.{S.Kind}.{action}", S.SubjectTitle, note ?? "", $"/directives/{id}", now);
        var payload = new DirectiveChanged(Summary(), action, note, [notify], notification);
        return new DomainEvent(
            Streams.Of(Streams.Directive, id.ToString()), S.History.Count, "directive." + action, actor.UserName, actor.DisplayName, now,
            new EventConcerns(id.ToString(), S.ProjectCode, S.DepartmentId, [S.DepartmentId], null, S.SubjectTitle, [notify]),
            EventJson.Write(payload));
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, $"Directive {this.GetPrimaryKey()}");

    private Task HandOn() => Delivery.HandOn();

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        Delivery.HandOnAtActivation();

    private static DirectiveCommandResult Rejected(CommandOutcome outcome) => DirectiveCommandResult.Rejected(outcome);

    private DirectiveSummary Summary() => new(
        this.GetPrimaryKey(), S.Kind, S.Status, S.ProblemId, S.ProjectCode, S.SubjectTitle, S.DepartmentId, S.Text,
        S.IssuedBy!.UserName, S.IssuedBy.DisplayName, S.IssuedAt, S.Deadline, S.History.Count);

    private DirectiveView View()
    {
        var summary = Summary();
        return new DirectiveView(summary, S.FeedbackRequired, S.Feedback, S.History.ToList(), summary.IsOverdue(clock.GetUtcNow()));
    }
}
