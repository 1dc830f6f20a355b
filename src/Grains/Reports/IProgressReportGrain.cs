using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Reports;

/// <summary>
/// A project's monthly progress report (月报), keyed "{project code}:{yyyy-MM}": submitted once by the project's
/// reporter (or the office), corrected with a reason (every earlier version kept, with who changed it), locked by the
/// office with its month. Each change is an event; the project's completed investment follows the reports.
/// </summary>
public interface IProgressReportGrain : IGrainWithStringKey
{
    Task<ReportCommandResult> Submit(string commandId, Actor actor, ReportFigures figures);
    Task<ReportCommandResult> Correct(string commandId, Actor actor, ReportFigures figures, string reason);
    Task<ReportCommandResult> Lock(string commandId, Actor actor);

    /// <summary>
    /// Adds a photo (already in the photo store) to the month's report: the reporter or the office, once the month is
    /// reported and while it is not locked, at most <see cref="ReportRules.MaxPhotos"/>.
    /// </summary>
    Task<ReportCommandResult> AttachPhoto(string commandId, Actor actor, ReportPhoto photo);
    Task<ProgressReportView?> Get();
}
