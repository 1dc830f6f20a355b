using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Factors;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>
/// A project as its page reads it: the profile, its problems, its light (the worse of its problems' and its
/// schedule's, <see cref="ProjectLights"/>), what would turn the schedule light back, its stages.
/// </summary>
public sealed record ProjectDetail(
    ProjectProfile Profile, IReadOnlyList<ProblemSummary> Problems, LightReading Light, IReadOnlyList<StageChange> Stages, IReadOnlyList<ProjectStage> NextStages,
    LightReading? ScheduleLight = null, ScheduleRemedy? Remedy = null, ProjectLightRules? Rules = null,
    IReadOnlyList<ApprovalItem>? Approvals = null, IReadOnlyList<FactorNeed>? Needs = null);

/// <summary>A page of the library (the shape of <see cref="Page{T}"/>) with each listed project's light.</summary>
public sealed record ProjectPage(IReadOnlyList<ProjectSummary> Items, int Total, int Offset, int Limit, IReadOnlyDictionary<string, WarningLight> Lights);

/// <summary>Generate the approval path from the project type's template: from which day (today when not given), and who owns each needed item.</summary>
public sealed record PlanApprovalsRequest(DateOnly? From, IReadOnlyDictionary<ApprovalKind, string>? Owners);

/// <summary>What changes in an approval item (null fields stay as they are).</summary>
public sealed record ApprovalRequest(ApprovalStatus? Status, DateOnly? ActualDone, DateOnly? PlannedDone, string? DepartmentId, string? Helper, string? Note);

/// <summary>A factor need: how much (0 withdraws it), which department can meet it, how much is met, a note.</summary>
public sealed record NeedRequest(decimal? Amount, string? DepartmentId, decimal? Met, string? Note);

/// <summary>A stage move: to which stage, on which day (today when not given), why (required for 停缓建).</summary>
public sealed record ChangeStageRequest(ProjectStage? Stage, DateOnly? On, string? Reason);

/// <summary>Reads of the project library (the read model) and of one project with its problems.</summary>
public sealed class ProjectService(IGrainFactory grains, ReadModelQueries readModel, TimeProvider clock, KeyProjects.Web.Live.LiveUpdates live, ReadAccess access) : IDisposable
{
    /// <summary>
    /// What the light filter judges (one narrow row per project the filter selects), read once per change of a
    /// project, a report or a problem (or after a minute: 时序进度 moves with the date); the lights are judged on each
    /// request by the current rules.
    /// </summary>
    private readonly KeyProjects.Web.Live.ReadCache<ProjectFilter, IReadOnlyList<(string Code, ScheduleFacts Facts)>> _facts =
        new(live, kind => kind.StartsWith("project.", StringComparison.Ordinal) || kind.StartsWith("report.", StringComparison.Ordinal)
            || kind.StartsWith("problem.", StringComparison.Ordinal), TimeSpan.FromMinutes(1), clock);

    public void Dispose() => _facts.Dispose();

    /// <summary>
    /// One page of the library with each project's light (the worse of its problems' and its schedule's). Filtered by
    /// light, every project the other filters select is judged (one narrow row each) and the page cut from those.
    /// </summary>
    public async Task<ProjectPage> GetPage(ClaimsPrincipal user, ProjectFilter filter, int offset, int limit, WarningLight? light = null)
    {
        filter = (await access.Of(user)).Narrow(filter);
        var settings = await LightRules();
        var now = clock.GetUtcNow();
        if (light is null)
        {
            var page = await readModel.Projects(filter, offset, limit);
            var facts = await readModel.ProjectFacts(new ProjectFilter(), page.Items.Select(p => p.Code).ToList());
            return new ProjectPage(page.Items, page.Total, page.Offset, page.Limit,
                facts.ToDictionary(f => f.Code, f => ProjectLights.Colour(f.Facts, settings, now), StringComparer.Ordinal));
        }
        // Free-text and reporters' filters are not kept (each would be an entry of its own).
        var judged = filter.Text is { Length: > 0 } || filter.Codes is not null ? await readModel.ProjectFacts(filter) : await _facts.Get(filter, () => readModel.ProjectFacts(filter));
        var matching = judged.Where(f => ProjectLights.Colour(f.Facts, settings, now) == light).Select(f => f.Code).ToList();
        offset = Math.Max(0, offset);
        limit = Math.Clamp(limit, 1, ReadModelQueries.MaxLimit);
        var items = await readModel.Projects(matching.Skip(offset).Take(limit).ToList());
        return new ProjectPage(items, matching.Count, offset, limit, items.ToDictionary(p => p.Code, _ => light.Value, StringComparer.Ordinal));
    }

    /// <summary>A project as its page shows it, when the reader may read it (<see cref="ReadScope.Project"/>).</summary>
    public async Task<Readable<ProjectDetail>> GetDetail(ClaimsPrincipal user, string code)
    {
        var notFound = Readable<ProjectDetail>.NotFound("project.not_found", $"Project '{code}' does not exist.");
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64) return notFound;
        if (await GetDetail(code) is not { } detail) return notFound;
        return (await access.Of(user)).Project(code) ? Readable<ProjectDetail>.Found(detail) : Readable<ProjectDetail>.No(ReadScope.ProjectRefused(code));
    }

    private async Task<ProjectDetail?> GetDetail(string code)
    {
        var project = await grains.GetGrain<IProjectGrain>(code).Get();
        if (project is null) return null;
        var problems = await readModel.ProblemList(new ProblemFilter { ProjectCode = code, Order = ProblemOrder.Raised }, ReadModelQueries.MaxLimit);
        var settings = await LightRules();
        var summary = await readModel.Project(code);
        var last = (await readModel.LastReportMonths([code])).GetValueOrDefault(code);
        var now = clock.GetUtcNow();
        var problemLight = LightOf(problems, settings);
        if (summary is null) return new ProjectDetail(project.Profile, problems, problemLight, project.Stages, project.NextStages, Approvals: project.Approvals, Needs: project.Needs);
        var facts = ScheduleFacts.Of(summary, last);
        var schedule = ProjectLights.Schedule(facts, settings.ProjectRules, settings.Version, now);
        return new ProjectDetail(project.Profile, problems, ProjectLights.Combine(problemLight, schedule), project.Stages, project.NextStages,
            schedule, ProjectLights.TurnsBack(facts, settings.ProjectRules, now), settings.ProjectRules, project.Approvals, project.Needs);
    }

    /// <summary>A project's light: the worse of its open problems' light and its schedule's, by the current rules.</summary>
    public static LightReading LightOf(ProjectSummary project, IEnumerable<ProblemSummary> problems, string? lastReportMonth, ProblemSettings settings, DateTimeOffset now) =>
        ProjectLights.Combine(LightOf(problems, settings),
            ProjectLights.Schedule(ScheduleFacts.Of(project, lastReportMonth), settings.ProjectRules, settings.Version, now));

    public Task<ProjectCommandResult> ChangeStage(ClaimsPrincipal user, string code, ChangeStageRequest request, string key)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64)
            return Task.FromResult(ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", $"Project '{code}' does not exist.")));
        if (request.Stage is not { } stage)
            return Task.FromResult(ProjectCommandResult.Rejected(CommandOutcome.Invalid("stage", "field.required", "The stage the project moves to.")));
        var on = request.On ?? WorkingCalendar.LocalDate(clock.GetUtcNow());
        return grains.GetGrain<IProjectGrain>(code).ChangeStage(key, user.ToActor(), stage, on, request.Reason);
    }

    public Task<ProjectCommandResult> PlanApprovals(ClaimsPrincipal user, string code, PlanApprovalsRequest request, string key) =>
        Project(code, grain => grain.PlanApprovals(key, user.ToActor(), request.From ?? WorkingCalendar.LocalDate(clock.GetUtcNow()),
            request.Owners ?? new Dictionary<ApprovalKind, string>()));

    public Task<ProjectCommandResult> UpdateApproval(ClaimsPrincipal user, string code, ApprovalKind kind, ApprovalRequest request, string key) =>
        Project(code, grain => grain.UpdateApproval(key, user.ToActor(),
            new ApprovalUpdate(kind, request.Status, request.ActualDone, request.PlannedDone, request.DepartmentId, request.Helper, request.Note)));

    public async Task<ProjectCommandResult> RaiseApprovalProblem(ClaimsPrincipal user, string code, ApprovalKind kind, string key) =>
        await access.RefuseAct(user, code) is { } refused
            ? ProjectCommandResult.Rejected(refused)
            : await Project(code, grain => grain.RaiseApprovalProblem(key, user.ToActor(), kind));

    public Task<ProjectCommandResult> SetNeed(ClaimsPrincipal user, string code, FactorNeedKind kind, NeedRequest request, string key) =>
        request.Amount is not { } amount
            ? Task.FromResult(ProjectCommandResult.Rejected(CommandOutcome.Invalid("amount", "field.required", "How much is needed (0 withdraws the need).")))
            : Project(code, grain => grain.SetNeed(key, user.ToActor(), new FactorNeedUpdate(kind, amount, request.DepartmentId, request.Met, request.Note)));

    /// <summary>
    /// Approval items of the city's paths (the read model), most overdue first: a department's own, a project's, or
    /// only those past their planned day.
    /// </summary>
    public Task<IReadOnlyList<ApprovalLine>> Approvals(string? departmentId, string? projectCode, bool overdue, int limit = ReadModelQueries.SectionLimit) =>
        readModel.Approvals(departmentId, projectCode, overdue ? WorkingCalendar.LocalDate(clock.GetUtcNow()) : null, limit);

    /// <summary>The departments the approval path proposes for each item: the owners this city gave the item most recently.</summary>
    public Task<IReadOnlyDictionary<ApprovalKind, string>> UsualOwners() => readModel.UsualApprovalOwners();

    private Task<ProjectCommandResult> Project(string code, Func<IProjectGrain, Task<ProjectCommandResult>> command) =>
        string.IsNullOrWhiteSpace(code) || code.Length > 64
            ? Task.FromResult(ProjectCommandResult.Rejected(CommandOutcome.NotFound("project.not_found", $"Project '{code}' does not exist.")))
            : command(grains.GetGrain<IProjectGrain>(code));

    /// <summary>A project's light from its open problems, by the current light rules.</summary>
    public static LightReading LightOf(IEnumerable<ProblemSummary> problems, ProblemSettings settings) =>
        ProblemLights.ForProject(problems.Where(p => p.IsOpen), settings.Lights, settings.Version);

    public Task<ProblemSettings> LightRules() => grains.GetGrain<ISettingsGrain>(ISettingsGrain.City).GetProblemSettings();
}
