using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Office;

namespace KeyProjects.Web.Services;

/// <summary>What an upload came to: the bad cells (nothing started), or the import started (or refused).</summary>
public sealed record ProjectUpload(IReadOnlyList<ImportError> Errors, ProjectImportResult? Import);

/// <summary>The project list as office files: the template, the export of the library, the import of the yearly list.</summary>
public sealed class ProjectFileService(IGrainFactory grains, ReadModelQueries readModel, DepartmentService departments)
{
    public const string ImportScope = "import-projects";

    public static bool MayImport(ClaimsPrincipal user) => user.ToActor().Role is Role.Office or Role.Admin;

    public async Task<ProjectRoster> Roster() =>
        new(await departments.GetDepartments(), (await departments.GetLeadership()).Select(m => m.Leader).ToList());

    public async Task<byte[]> Template() => ProjectWorkbook.Template(await Roster());

    /// <summary>Every project the filter selects (the whole library when it selects nothing), read page by page.</summary>
    public async Task<byte[]> Export(ProjectFilter filter)
    {
        var all = new List<ProjectSummary>();
        while (true)
        {
            var page = await readModel.Projects(filter, all.Count, ReadModelQueries.MaxLimit);
            all.AddRange(page.Items);
            if (page.Items.Count == 0 || all.Count >= page.Total) break;
        }
        return ProjectWorkbook.Export(all, await Roster());
    }

    /// <summary>Checks every row of the file; only a file without a bad cell starts an import (the key makes a retry the same import).</summary>
    public async Task<ProjectUpload> Import(ClaimsPrincipal user, Stream file, string key)
    {
        var actor = user.ToActor();
        if (!MayImport(user))
            return new([], new ProjectImportResult(CommandOutcome.Forbidden("project.import_forbidden", "The command office imports the project list."), null));
        var (projects, errors) = ProjectWorkbook.Read(file, await Roster());
        if (errors.Count > 0) return new(errors, null);
        var id = CommandId.DeriveGuid(ImportScope, actor.UserName + "\n" + key);
        return new([], await grains.GetGrain<IProjectImportGrain>(id).Start(actor, projects));
    }

    public Task<ProjectImportStatus?> Status(Guid id) => grains.GetGrain<IProjectImportGrain>(id).GetStatus();
}
