using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Projects;

/// <summary>
/// A project's stages and the moves between them: 谋划储备 → 在谈 → 签约 → 前期 → 在建 (开工) → 竣工 → 投产; a government
/// project with nobody to negotiate with goes from 储备 straight to 前期; talks that fail go back to 储备; a project under
/// way (在谈 … 在建) may be suspended (停缓建, with a reason) and resumes at the stage it was suspended from.
/// </summary>
public static class ProjectLifecycle
{
    public const int ReasonMaxLength = 500;

    /// <summary>The most stage changes a project keeps (its life has a handful; this bounds its state).</summary>
    public const int MaxChanges = 100;

    public static IReadOnlyList<ProjectStage> Next(ProjectStage from, ProjectStage? suspendedFrom) => from switch
    {
        ProjectStage.Reserve => [ProjectStage.Negotiating, ProjectStage.Preparatory],
        ProjectStage.Negotiating => [ProjectStage.Signed, ProjectStage.Reserve, ProjectStage.Suspended],
        ProjectStage.Signed => [ProjectStage.Preparatory, ProjectStage.Suspended],
        ProjectStage.Preparatory => [ProjectStage.UnderConstruction, ProjectStage.Suspended],
        ProjectStage.UnderConstruction => [ProjectStage.Completed, ProjectStage.Suspended],
        ProjectStage.Completed => [ProjectStage.InOperation],
        ProjectStage.Suspended => [suspendedFrom ?? ProjectStage.Preparatory],
        _ => [],
    };
}

/// <summary>One move of a project's stage: from, to, the day it happened, why (停缓建), who recorded it and when.</summary>
[GenerateSerializer, Immutable]
public sealed record StageChange(int Sequence, ProjectStage From, ProjectStage To, DateOnly On, string? Reason, string By, string ByName, DateTimeOffset At);

/// <summary>A project as its page reads it: the profile, its stage history, its approval path and its factor needs.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectView(ProjectProfile Profile, IReadOnlyList<StageChange> Stages, ProjectStage? SuspendedFrom,
    IReadOnlyList<ApprovalItem> Approvals, IReadOnlyList<Factors.FactorNeed> Needs)
{
    public IReadOnlyList<ProjectStage> NextStages => ProjectLifecycle.Next(Profile.Stage, SuspendedFrom);
}

[GenerateSerializer, Immutable]
public sealed record ProjectCommandResult(CommandOutcome Outcome, ProjectView? Project) : ICommandResult<ProjectView>
{
    ProjectView? ICommandResult<ProjectView>.Value => Project;

    public static ProjectCommandResult Rejected(CommandOutcome outcome) => new(outcome, null);
}
