using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Projects;

/// <summary>What the project library keeps of a key project (重点项目). Money in 万元.</summary>
[GenerateSerializer]
public sealed record ProjectProfile(
    string Code,
    string Name,
    ProjectCategory Category,
    ProjectType Type,
    ProjectLevel Level,
    ProjectStage Stage,
    string Town,
    string OwnerUnit,
    string ResponsibleLeaderId,
    string ResponsibleDepartmentId,
    decimal TotalInvestment,
    decimal AnnualPlannedInvestment,
    decimal CompletedInvestment,
    DateOnly? PlannedStart,
    DateOnly? PlannedCompletion,
    DateOnly? ActualStart,
    string ImageProgress,
    int ImageProgressPercent,
    bool OnInspectionTour,
    string? NationalCode = null,
    DateOnly? ActualCompletion = null);

/// <summary>
/// A project's line in the project library and lists. <see cref="SignedOn"/> and <see cref="OperatingOn"/> are the
/// days it moved to 签约 and 投产 (a project that passed 签约 is a signed investment project for the figures);
/// <see cref="OpeningCompleted"/> is the year-to-date investment it was registered with in <see cref="OpeningMonth"/>
/// (yyyy-MM): reports count from that month on (see the figures).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProjectSummary(
    string Code,
    string Name,
    ProjectCategory Category,
    ProjectStage Stage,
    ProjectLevel Level,
    string Town,
    string ResponsibleLeaderId,
    string ResponsibleDepartmentId,
    decimal TotalInvestment,
    decimal AnnualPlannedInvestment,
    decimal CompletedInvestment,
    DateOnly? PlannedStart = null,
    DateOnly? ActualStart = null,
    ProjectType Type = ProjectType.New,
    string OwnerUnit = "",
    DateOnly? PlannedCompletion = null,
    DateOnly? ActualCompletion = null,
    string? NationalCode = null,
    bool OnInspectionTour = false,
    DateOnly? SignedOn = null,
    DateOnly? OperatingOn = null,
    string OpeningMonth = "",
    decimal OpeningCompleted = 0)
{
    public static ProjectSummary From(ProjectProfile p) => new(
        p.Code, p.Name, p.Category, p.Stage, p.Level, p.Town, p.ResponsibleLeaderId, p.ResponsibleDepartmentId,
        p.TotalInvestment, p.AnnualPlannedInvestment, p.CompletedInvestment, p.PlannedStart, p.ActualStart,
        p.Type, p.OwnerUnit, p.PlannedCompletion, p.ActualCompletion, p.NationalCode, p.OnInspectionTour);
}

/// <summary>
/// The payload of a project's events: its library line after the change, the stage move if it was one, and its
/// approval path and factor needs as they stand (events written before they were kept carry none).
/// </summary>
public sealed record ProjectChanged(ProjectSummary Project, StageChange? Stage = null,
    IReadOnlyList<ApprovalItem>? Approvals = null, IReadOnlyList<Factors.FactorNeed>? Needs = null);
