using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Projects;

/// <summary>Where an import of the project list stands.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectImportStatus(
    Guid Id, int Total, int Done, bool Completed, int Refused, IReadOnlyList<string> RefusedCodes, string StartedBy, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);

[GenerateSerializer, Immutable]
public sealed record ProjectImportResult(CommandOutcome Outcome, ProjectImportStatus? Import) : ICommandResult<ProjectImportStatus>
{
    ProjectImportStatus? ICommandResult<ProjectImportStatus>.Value => Import;
}

/// <summary>
/// One import of the yearly project list (a file the office uploaded, every row already valid): the projects are
/// registered one by one (a project already in the library has its profile replaced, never its stage), then each
/// responsible leader's 包联 list is brought in line. The rows are written before the first is registered, so an
/// import cut off by a restart is finished by its reminder: nothing stays half-imported.
/// </summary>
public interface IProjectImportGrain : IGrainWithGuidKey
{
    /// <summary>The most rows one import takes (a city's yearly list has hundreds).</summary>
    const int MaxRows = 2000;

    /// <summary>Starts the import (a second call with the same grain answers where the first stands).</summary>
    Task<ProjectImportResult> Start(Actor actor, IReadOnlyList<ProjectProfile> projects);

    Task<ProjectImportStatus?> GetStatus();
}
