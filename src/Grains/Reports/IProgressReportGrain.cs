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
    Task<ProgressReportView?> Get();
}
