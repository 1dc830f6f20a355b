using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.Projects;

public sealed class ProjectImportState
{
    public Actor? StartedBy { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public int Total { get; set; }

    /// <summary>The rows still to register (emptied when the import is complete: the state stays small).</summary>
    public List<ProjectProfile> Projects { get; set; } = [];
    public bool Completed { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<string> RefusedCodes { get; set; } = [];

    /// <summary>What the import was asked to register (a retry must ask the same).</summary>
    public string Fingerprint { get; set; } = "";
}

public sealed class ProjectImportGrain(
    [PersistentState("project-import")] IPersistentState<ProjectImportState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<ProjectImportGrain> logger) : Grain, IProjectImportGrain, IRemindable
{
    private const string Reminder = "import";
    private ProjectImportState S => state.State;
    private int _done;
    private IGrainTimer? _run;
    private bool _running;

    public async Task<ProjectImportResult> Start(Actor actor, IReadOnlyList<ProjectProfile> projects)
    {
        if (S.StartedBy is null)
        {
            if (actor.Role is not (Role.Office or Role.Admin))
                return new(CommandOutcome.Forbidden("project.import_forbidden", "The command office imports the project list."), null);
            if (projects.Count is 0 or > IProjectImportGrain.MaxRows)
                return new(CommandOutcome.Invalid("file", "import.rows", $"An import has 1 to {IProjectImportGrain.MaxRows} projects."), null);
            S.StartedBy = actor;
            S.StartedAt = clock.GetUtcNow();
            S.Total = projects.Count;
            S.Projects = projects.ToList();
            S.Fingerprint = Fingerprint(projects);
            await GrainState.Persist(this, state); // the rows are durable before anything is registered
        }
        else if (S.StartedBy.UserName != actor.UserName || S.Fingerprint != Fingerprint(projects))
        {
            return new(CommandOutcome.Conflict("command.key_reused", "This idempotency key was already used for another import."), null);
        }
        // The reminder finishes an import a restart cut off (asked again on a retry: registering is idempotent); it is
        // removed when the import completes.
        if (!S.Completed) await this.RegisterOrUpdateReminder(Reminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Run();
        return new(CommandOutcome.Ok, Status());
    }

    public Task<ProjectImportStatus?> GetStatus() => Task.FromResult(S.StartedBy is null ? null : Status());

    /// <summary>An import a restart cut off goes on as soon as anything asks for it (its reminder asks every minute).</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.StartedBy is not null) Run();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Completed)
        {
            if (await this.GetReminder(Reminder) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        Run();
    }

    /// <summary>Registers the rows in the background (status reads interleave), unless that is under way or done.</summary>
    private void Run()
    {
        if (S.Completed || _running) return;
        _running = true;
        _run?.Dispose();
        _run = this.RegisterGrainTimer(Process, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private async Task Process(CancellationToken ct)
    {
        try
        {
            _done = 0;
            var refused = new List<string>();
            foreach (var project in S.Projects)
            {
                // Registering is idempotent (the same profile again changes nothing): a resumed import starts over safely.
                var outcome = await GrainFactory.GetGrain<IProjectGrain>(project.Code).Register(S.StartedBy!, project);
                if (!outcome.Succeeded) refused.Add($"{project.Code}: {outcome.Code}");
                _done++;
            }
            await AssignLeaders();
            S.Completed = true;
            S.CompletedAt = clock.GetUtcNow();
            S.RefusedCodes = refused;
            S.Projects = [];
            await GrainState.Persist(this, state);
            if (await this.GetReminder(Reminder) is { } reminder) await this.UnregisterReminder(reminder);
            logger.LogInformation("Project import {Import}: {Total} projects, {Refused} refused", this.GetPrimaryKey(), S.Total, refused.Count);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Project import {Import} stopped after {Done} of {Total}; its reminder resumes it", this.GetPrimaryKey(), _done, S.Total);
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>Each responsible leader's 包联 list: the imported projects join their leader's and leave any other's.</summary>
    private async Task AssignLeaders()
    {
        var outcome = await GrainFactory.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City)
            .AssignProjects(S.StartedBy!, S.Projects.ToDictionary(p => p.Code, p => p.ResponsibleLeaderId));
        if (!outcome.Succeeded) throw new InvalidOperationException($"The 包联 lists were refused: {outcome.Code} {outcome.Message}");
    }

    private static string Fingerprint(IReadOnlyList<ProjectProfile> projects) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(projects)));

    private ProjectImportStatus Status() => new(
        this.GetPrimaryKey(), S.Total, S.Completed ? S.Total : _done, S.Completed, S.RefusedCodes.Count, S.RefusedCodes.ToList(),
        S.StartedBy!.DisplayName, S.StartedAt, S.CompletedAt);
}
