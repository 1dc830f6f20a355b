using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Projects;

/// <summary>One key project, keyed by its project code: its profile. Its problems are in the read model.</summary>
public interface IProjectGrain : IGrainWithStringKey
{
    /// <summary>Adds the project to the library or replaces its profile. Only the command office or admin.</summary>
    Task<CommandOutcome> Register(Actor actor, ProjectProfile profile);

    /// <summary>
    /// Registers a new project: refused (409 project.exists) when the project is registered already with other fields;
    /// the same registration again (a retry) answers as the first.
    /// </summary>
    Task<CommandOutcome> RegisterNew(Actor actor, ProjectProfile profile);

    /// <summary>
    /// The profile. Interleaves with the project's commands (it only reads): a problem raised by the project itself
    /// (an overdue approval item) reads it while the project waits for that problem.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ProjectProfile?> GetProfile();

    /// <summary>The profile with its stage history and the stages it may move to.</summary>
    Task<ProjectView?> Get();

    /// <summary>
    /// Moves the project to another stage on a day (开工, 竣工, 停缓建 with a reason, 恢复…): only the moves of
    /// <see cref="ProjectLifecycle"/>; another is a conflict that names the allowed ones. The command office records it.
    /// </summary>
    Task<ProjectCommandResult> ChangeStage(string commandId, Actor actor, ProjectStage to, DateOnly on, string? reason);

    /// <summary>
    /// A month's report (its latest version) reaches the project: the year's completed investment is the opening figure it
    /// was registered with plus the year's reports; the image progress is the latest month's. Idempotent by version.
    /// </summary>
    Task TakeReport(string month, int version, Reports.ReportFigures figures);

    /// <summary>
    /// Generates the approval path (手续) from the template of the project's type, planned in working days from a day;
    /// each needed item names the department that owns it. The office; again only while nothing of the path is under way.
    /// </summary>
    Task<ProjectCommandResult> PlanApprovals(string commandId, Actor actor, DateOnly from, IReadOnlyDictionary<ApprovalKind, string> owners);

    /// <summary>
    /// Records an item: its owning department moves its status (an item waiting for prerequisites is a conflict naming
    /// them) and its finish day; the office also re-plans it, changes its owner, assigns its helper (代办/帮办), waives or reopens it.
    /// </summary>
    Task<ProjectCommandResult> UpdateApproval(string commandId, Actor actor, ApprovalUpdate update);

    /// <summary>
    /// An overdue item becomes a problem to its department in one step (once while that problem is open); an item late
    /// because what it waits for is not done is not its department's problem (a conflict naming what it waits for).
    /// </summary>
    Task<ProjectCommandResult> RaiseApprovalProblem(string commandId, Actor actor, ApprovalKind kind);

    /// <summary>Sets (or, with 0, withdraws) a factor need; the department that can meet it records what is met.</summary>
    Task<ProjectCommandResult> SetNeed(string commandId, Actor actor, Factors.FactorNeedUpdate update);
}
