using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Office;

namespace KeyProjects.Web.Services;

/// <summary>What an upload came to: the bad cells (nothing started), or the import started (or refused).</summary>
public sealed record ProjectUpload(IReadOnlyList<ImportError> Errors, ProjectImportResult? Import);

/// <summary>A registration from the form or the API: the faults of the form (nothing done), or the command's outcome and the project.</summary>
public sealed record ProjectRegistration(IReadOnlyList<FormFault> Faults, CommandOutcome Outcome, ProjectView? Project = null);

/// <summary>
/// The project library's registrations, by the office: one project at a time (the form, the API) or the yearly list as
/// office files (the template, the export, the import). Both pass <see cref="ProjectRules.Check"/>.
/// </summary>
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

    /// <summary>
    /// Registers a new project. A code in use is refused (409), unless the project registered is this very form (a
    /// retry of a registration that went through answers as it did).
    /// </summary>
    public Task<ProjectRegistration> Register(ClaimsPrincipal user, ProjectForm form) => Save(user, form, code: null);

    /// <summary>Changes a registered project's library fields (not its code; its stage and progress move by their own commands).</summary>
    public Task<ProjectRegistration> Edit(ClaimsPrincipal user, string code, ProjectForm form) => Save(user, form with { Code = code }, code);

    private async Task<ProjectRegistration> Save(ClaimsPrincipal user, ProjectForm form, string? code)
    {
        if (!MayImport(user)) return new([], CommandOutcome.Forbidden("project.register_forbidden", "The command office registers projects."));
        if (code is not null && (code.Length is 0 or > ProjectRules.CodeMax || await grains.GetGrain<IProjectGrain>(code).GetProfile() is null))
            return new([], CommandOutcome.NotFound("project.not_found", $"Project '{code}' does not exist."));
        var (profile, faults) = ProjectRules.Check(form, await Roster());
        if (profile is null) return new(faults, CommandOutcome.Invalid(faults[0].Field, "field.invalid", faults[0].Message));
        var grain = grains.GetGrain<IProjectGrain>(profile.Code);
        var actor = user.ToActor();
        // A new registration is refused by the project itself when its code is in use (two offices at once cannot both win).
        var outcome = code is null ? await grain.RegisterNew(actor, profile) : await grain.Register(actor, profile);
        // The leadership group's lists follow the project's leader (包联), as an import's do; both steps are idempotent, so a
        // retry finishes what a first attempt left undone.
        if (outcome.Succeeded)
            outcome = await grains.GetGrain<KeyProjects.Grains.Leadership.ILeadershipGroupGrain>(KeyProjects.Grains.Leadership.ILeadershipGroupGrain.City)
                .AssignProjects(actor, new Dictionary<string, string> { [profile.Code] = profile.ResponsibleLeaderId });
        return new([], outcome, outcome.Succeeded ? await grain.Get() : null);
    }

    public Task<ProjectImportStatus?> Status(Guid id) => grains.GetGrain<IProjectImportGrain>(id).GetStatus();
}
