using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Projects;

/// <summary>One key project, keyed by its project code: its profile. Its problems are in the read model.</summary>
public interface IProjectGrain : IGrainWithStringKey
{
    /// <summary>Adds the project to the library or replaces its profile. Only the command office or admin.</summary>
    Task<CommandOutcome> Register(Actor actor, ProjectProfile profile);

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
}
