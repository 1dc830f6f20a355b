using System.Security.Claims;
using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Domain;
using KeyProjects.Web.Office;
using KeyProjects.Web.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Api;

/// <summary>Administration (admin): the city's users. Refusals are ProblemDetails naming the field (400), 403, 404, 409.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/audit-log", async (KeyProjects.Silo.Storage.AuditStore audit, string? actor, string? kind, int? offset, int? limit) =>
                ApiResults.Paging(offset, limit) ?? Results.Ok(await audit.Query(actor, kind, offset ?? 0, limit ?? ApiResults.DefaultLimit)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Admin)))
            .WithTags("Admin").WithName("GetAuditLog")
            .WithSummary("The audit log, newest first (admin): sign-ins succeeded and failed (with the true reason), lockouts, sign-outs, administrators' actions; actor (a user name), kind (or its start: sign-in, user., kiosk-token., city., settings., calendar.)")
            .Produces<KeyProjects.Silo.ReadModel.Page<KeyProjects.Silo.Storage.AuditEntry>>().ProducesProblem(400).ProducesProblem(403);

        var api = app.MapGroup("/api/admin/users").RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.Officials).WithTags("Admin");

        api.MapGet("", async (ClaimsPrincipal user, UserAdminService users) =>
                await users.List(user) is { } list ? Results.Ok(list) : ApiResults.Forbidden("admin.forbidden", "Administrators only."))
            .WithName("ListUsers").WithSummary("The city's users, without secrets (admin)")
            .Produces<IReadOnlyList<AccountListing>>().ProducesProblem(403);

        api.MapGet("/history", async (ClaimsPrincipal user, UserAdminService users) =>
                await users.History(user) is { } history ? Results.Ok(history) : ApiResults.Forbidden("admin.forbidden", "Administrators only."))
            .WithName("GetUserHistory").WithSummary("Administrators' changes of accounts, from the event log (stream accounts-city): who, when, to whom, what (admin)")
            .Produces<IReadOnlyList<LoggedHistoryEntry>>().ProducesProblem(403);

        api.MapPost("", async (CreateUserRequest request, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.Create(user, request), () => Results.Created($"/api/admin/users/{request.UserName!.Trim()}", null)))
            .WithName("CreateUser").WithSummary("Create a user with a role (and a department for department users, the projects for project reporters) and a first password (admin)")
            .Produces(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        api.MapPost("/{userName}/disable", async (string userName, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.Disable(user, userName)))
            .WithName("DisableUser").WithSummary("Disable a user: no more sign-in; open sessions end at their next check (admin)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        api.MapPost("/{userName}/enable", async (string userName, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.Enable(user, userName)))
            .WithName("EnableUser").WithSummary("Enable a disabled (or locked-out) user again (admin)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/{userName}/password", async (string userName, PasswordRequest request, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.SetPassword(user, userName, request.Password)))
            .WithName("SetUserPassword").WithSummary("Set a new password for a user; their open sessions end (admin)")
            .Produces(204).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        api.MapPut("/{userName}/projects", async (string userName, UserProjectsRequest request, ClaimsPrincipal user, UserAdminService users) =>
                Answer(await users.SetProjects(user, userName, request.Projects)))
            .WithName("SetUserProjects").WithSummary("The projects a project reporter answers for: it reads and reports on these only (the list replaces the one before; admin)")
            .Produces(204).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        var units = app.MapGroup("/api/admin/departments").RequireAuthorization(p => p.RequireRole(nameof(Role.Admin))).WithTags("Admin");
        units.MapGet("", async (ClaimsPrincipal user, DepartmentAdminService roster) => Results.Ok(await roster.List(user)))
            .WithName("ListDepartmentsForAdministration").WithSummary("Every department and town with its duty list (职责清单), retired ones too, with when, by whom and why (admin)")
            .Produces<IReadOnlyList<KeyProjects.Grains.Departments.DepartmentView>>().ProducesProblem(403);
        units.MapGet("/{id}/history", async (string id, DepartmentAdminService roster) =>
                await roster.History(id) is { Count: > 0 } history ? Results.Ok(history) : ApiResults.NotFound("department.not_found", $"Department '{id}' does not exist."))
            .WithName("GetDepartmentHistory").WithSummary("A unit's changes from the event log: registered, renamed, duty list set, retired, reinstated — who, when, with the hash chain (admin)")
            .Produces<IReadOnlyList<LoggedHistoryEntry>>().ProducesProblem(404);
        units.MapPost("", (CreateDepartmentRequest request, HttpContext http, ClaimsPrincipal user, DepartmentAdminService roster) =>
                ApiResults.Command<KeyProjects.Grains.Departments.DepartmentView>(http, async key => await roster.Create(user, request, key),
                    view => TypedResults.Created($"/api/admin/departments/{view.Profile.Id}", view)))
            .WithName("CreateDepartment").WithSummary("Create a department or town with its code, name, kind and duty list (admin); a code in use is a 409")
            .ProducesCommandResults<KeyProjects.Grains.Departments.DepartmentView>(StatusCodes.Status201Created);
        units.MapPost("/{id}/rename", (string id, RenameDepartmentRequest request, HttpContext http, ClaimsPrincipal user, DepartmentAdminService roster) =>
                ApiResults.Command<KeyProjects.Grains.Departments.DepartmentView>(http, async key => await roster.Rename(user, id, request, key)))
            .WithName("RenameDepartment").WithSummary("Rename a unit (admin): everything it handled shows the new name")
            .ProducesCommandResults<KeyProjects.Grains.Departments.DepartmentView>();
        units.MapPost("/{id}/duties", (string id, DutiesRequest request, HttpContext http, ClaimsPrincipal user, DepartmentAdminService roster) =>
                ApiResults.Command<KeyProjects.Grains.Departments.DepartmentView>(http, async key => await roster.SetDuties(user, id, request, key)))
            .WithName("SetDepartmentDuties").WithSummary("Set a unit's duty list (职责清单), one duty a line, used to propose a lead department for a problem (admin)")
            .ProducesCommandResults<KeyProjects.Grains.Departments.DepartmentView>();
        units.MapPost("/{id}/retire", (string id, RetireDepartmentRequest request, HttpContext http, ClaimsPrincipal user, DepartmentAdminService roster) =>
                ApiResults.Command<KeyProjects.Grains.Departments.DepartmentView>(http, async key => await roster.Retire(user, id, request, key)))
            .WithName("RetireDepartment").WithSummary("Retire a unit with a reason (admin): it takes no new work; refused (409) while it has open problems, orders or approval items")
            .ProducesCommandResults<KeyProjects.Grains.Departments.DepartmentView>();
        units.MapPost("/{id}/reinstate", (string id, HttpContext http, ClaimsPrincipal user, DepartmentAdminService roster) =>
                ApiResults.Command<KeyProjects.Grains.Departments.DepartmentView>(http, async key => await roster.Reinstate(user, id, key)))
            .WithName("ReinstateDepartment").WithSummary("Take a unit's retirement back (admin)")
            .ProducesCommandResults<KeyProjects.Grains.Departments.DepartmentView>();

        var group = app.MapGroup("/api/admin/leadership").RequireAuthorization(p => p.RequireRole(nameof(Role.Admin))).WithTags("Admin");
        group.MapGet("/history", async (LeadershipAdminService leadership) => Results.Ok(await leadership.History()))
            .WithName("GetLeadershipHistory").WithSummary("The leadership group's changes from the event log, newest first: members added, changed, removed, projects assigned — who, when (admin)")
            .Produces<IReadOnlyList<LoggedHistoryEntry>>();
        group.MapPut("/members/{id}", async (string id, LeaderRequest request, ClaimsPrincipal user, LeadershipAdminService leadership) =>
                Answer(await leadership.SetMember(user, id, request)))
            .WithName("SetLeader").WithSummary("Add a leader to the group or change one's name, title (职务) or sign-in account; the leader keeps their 包联 projects (admin)")
            .Produces(204).ProducesValidationProblem().ProducesProblem(403);
        group.MapDelete("/members/{id}", async (string id, ClaimsPrincipal user, LeadershipAdminService leadership) =>
                Answer(await leadership.RemoveMember(user, id)))
            .WithName("RemoveLeader").WithSummary("A leader leaves the group; refused (409) while the leader answers for projects (admin)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPut("/projects/{code}", async (string code, ProjectLeaderRequest request, ClaimsPrincipal user, LeadershipAdminService leadership) =>
                Answer(await leadership.AssignProject(user, code, request)))
            .WithName("AssignProjectLeader").WithSummary("Give a project to a leader (包联): the project's responsible leader and the group's lists follow (admin)")
            .Produces(204).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        var city = app.MapGroup("/api/admin/city").RequireAuthorization(p => p.RequireRole(nameof(Role.Admin))).WithTags("Admin");
        city.MapGet("/template.xlsx", (CityFileService files) => Results.File(files.Template(), ProjectEndpoints.Xlsx, "城市基础数据导入模板.xlsx"))
            .WithName("GetCityTemplate").WithSummary("The .xlsx template of the city's starting data: departments and towns, users, the leadership group (admin)")
            .Produces(200, contentType: ProjectEndpoints.Xlsx).ProducesProblem(403);
        city.MapGet("/export.xlsx", async (CityFileService files) => Results.File(await files.Export(), ProjectEndpoints.Xlsx, "城市基础数据.xlsx"))
            .WithName("ExportCity").WithSummary("The city's departments, users (no passwords) and leaders as .xlsx; it imports again as it is (admin)")
            .Produces(200, contentType: ProjectEndpoints.Xlsx).ProducesProblem(403);
        // A file upload with a bearer token only: a cookie cannot carry a cross-site form post here.
        city.MapPost("/import", async (IFormFile? file, ClaimsPrincipal user, CityFileService files) =>
            {
                if (file is null || file.Length == 0) return ApiResults.Invalid("file", "An .xlsx file is required.", "field.required");
                if (file.Length > ProjectWorkbook.MaxBytes) return ApiResults.Invalid("file", $"At most {ProjectWorkbook.MaxBytes / 1048576} MB.", "import.too_large");
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer);
                var (outcome, import) = await files.Import(user, buffer.ToArray());
                return !outcome.Succeeded ? ApiResults.Rejected(outcome)
                    : import!.Errors.Count > 0 ? ApiResults.InvalidRows(import.Errors)
                    : Results.Ok(import);
            })
            .RequireAuthorization(new AuthorizationPolicyBuilder(IdentityConstants.BearerScheme).RequireRole(nameof(Role.Admin)).Build())
            .DisableAntiforgery()
            .WithName("ImportCity")
            .WithSummary("Import the city's starting data (admin): every row of every sheet checked, bad cells named by sheet, row and column, nothing done unless all are good; importing the same file again changes nothing")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<CityImport>().ProducesValidationProblem().ProducesProblem(403);
        return app;
    }

    private static IResult Answer(CommandOutcome outcome, Func<IResult>? onSuccess = null) =>
        outcome.Succeeded ? onSuccess?.Invoke() ?? Results.NoContent() : ApiResults.Rejected(outcome);
}
