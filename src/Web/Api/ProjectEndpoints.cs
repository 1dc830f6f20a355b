using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Factors;
using KeyProjects.Web.Identity;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Reports;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Office;
using KeyProjects.Web.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Api;

/// <summary>The project library (项目库), one project, and its lifecycle.</summary>
public static class ProjectEndpoints
{
    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ReadPolicies.Officials);

        api.MapGet("/projects", async (ClaimsPrincipal user, ProjectService projects, ProjectStage? stage, ProjectCategory? category, string? town,
                string? leader, string? department, string? q, WarningLight? light, int? offset, int? limit) =>
            {
                if ((ApiResults.Paging(offset, limit) ?? ApiResults.Known(("stage", stage), ("category", category), ("light", light))) is { } invalid) return invalid;
                var filter = new ProjectFilter { Stage = stage, Category = category, Town = town, LeaderId = leader, DepartmentId = department, Text = q };
                return Results.Ok(await projects.GetPage(user, filter, offset ?? 0, limit ?? ApiResults.DefaultLimit, light));
            })
            .WithTags("Projects").WithName("GetProjectLibrary")
            .WithSummary("The project library (项目库), paged: stage, category, town, leader, department, q (name or code), light (the worse of the project's problems' and its schedule's); each listed project's light")
            .Produces<ProjectPage>().ProducesProblem(400);

        api.MapGet("/projects/{code}", async (string code, ClaimsPrincipal user, ProjectService projects) => ApiResults.Read(await projects.GetDetail(user, code)))
            .WithTags("Projects").WithName("GetProject").WithSummary("A project with its problems, its stage history and the stages it may move to (a reporter reads its own projects)")
            .Produces<ProjectDetail>().ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/projects", async (ProjectForm form, ClaimsPrincipal user, ProjectFileService registry) =>
                Registered(await registry.Register(user, form), view => TypedResults.Created($"/api/projects/{view.Profile.Code}", view)))
            .WithTags("Projects").WithName("RegisterProject")
            .WithSummary("Register one project in the library (office): every field checked as a row of the yearly list is, each fault named by its field; a code in use is a 409 (a retry of the same registration answers as the first)")
            .Produces<ProjectView>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        api.MapPut("/projects/{code}", async (string code, ProjectForm form, ClaimsPrincipal user, ProjectFileService registry) =>
                Registered(await registry.Edit(user, code, form), Results.Ok))
            .WithTags("Projects").WithName("EditProject")
            .WithSummary("Change a project's library fields (office): name, category, type, level, town, owner, leader (包联), department, investment, planned days, code, inspection tour; the stage and progress move by their own commands")
            .Produces<ProjectView>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/projects/{code}/stage", (string code, ChangeStageRequest request, HttpContext http, ClaimsPrincipal user, ProjectService projects) =>
                ApiResults.Command<ProjectView>(http, async key => await projects.ChangeStage(user, code, request, key)))
            .WithTags("Projects").WithName("ChangeProjectStage")
            .WithSummary("Move the project to another stage on a day (office): 储备→在谈→签约→前期→在建→竣工→投产, 停缓建 with a reason and back; another move is a 409 naming the allowed ones")
            .ProducesCommandResults<ProjectView>();
        api.MapPost("/projects/{code}/approvals/plan", (string code, PlanApprovalsRequest request, HttpContext http, ClaimsPrincipal user, ProjectService projects) =>
                ApiResults.Command<ProjectView>(http, async key => await projects.PlanApprovals(user, code, request, key)))
            .WithTags("Approvals").WithName("PlanApprovals")
            .WithSummary("Generate the project's approval path (手续) from its type's template (新建/技改/扩建), planned in working days from a day; owners name the department of each needed item (office; again only while nothing is under way)")
            .ProducesCommandResults<ProjectView>();

        api.MapPost("/projects/{code}/approvals/{kind}", (string code, ApprovalKind kind, ApprovalRequest request, HttpContext http, ClaimsPrincipal user, ProjectService projects) =>
                ApiResults.Command<ProjectView>(http, async key => await projects.UpdateApproval(user, code, kind, request, key)))
            .WithTags("Approvals").WithName("UpdateApproval")
            .WithSummary("Record an approval item: its department moves its status (未启动/办理中/已办结/容缺受理; an item waiting for others is a 409 naming them) and finish day; the office also re-plans, re-assigns, names the helper (代办/帮办), waives or reopens it")
            .ProducesCommandResults<ProjectView>();

        api.MapPost("/projects/{code}/approvals/{kind}/problem", (string code, ApprovalKind kind, HttpContext http, ClaimsPrincipal user, ProjectService projects) =>
                ApiResults.Command<ProjectView>(http, async key => await projects.RaiseApprovalProblem(user, code, kind, key)))
            .WithTags("Approvals").WithName("RaiseApprovalProblem")
            .WithSummary("An overdue approval item becomes a problem to its department in one step (409 when it is not overdue or its problem is still open)")
            .ProducesCommandResults<ProjectView>();

        api.MapGet("/approvals", async (ClaimsPrincipal user, ProjectService projects, string? department, string? project, bool? overdue) =>
            {
                var actor = user.ToActor();
                if (actor.Role == Role.Department && department != actor.DepartmentId)
                    return ApiResults.Forbidden("approval.read_forbidden", "A department reads its own approval items: department=" + actor.DepartmentId);
                return Results.Ok(await projects.Approvals(department, project, overdue ?? false));
            })
            .RequireAuthorization(ReadPolicies.CityFigures)
            .WithTags("Approvals").WithName("GetApprovals")
            .WithSummary("Approval items of the city's paths, most overdue first: by department (a department its own), by project, overdue=true for those open past their planned day")
            .Produces<IReadOnlyList<ApprovalLine>>().ProducesProblem(403);

        api.MapGet("/approvals/export.xlsx", async (ClaimsPrincipal user, ProjectService projects, DepartmentService departments, TimeProvider clock,
                string? department, string? project, bool? overdue) =>
            {
                var actor = user.ToActor();
                if (actor.Role == Role.Department && department != actor.DepartmentId)
                    return ApiResults.Forbidden("approval.read_forbidden", "A department reads its own approval items: department=" + actor.DepartmentId);
                var names = (await departments.GetDepartments()).ToDictionary(d => d.Id, d => d.Name);
                return Results.File(LedgerWorkbook.Approvals(await projects.Approvals(department, project, overdue ?? false, ProblemService.LedgerLimit), names,
                    KeyProjects.Grains.Settings.WorkingCalendar.LocalDate(clock.GetUtcNow())), Xlsx, "审批手续台账.xlsx");
            })
            .RequireAuthorization(ReadPolicies.CityFigures)
            .WithTags("Approvals").WithName("ExportApprovals")
            .WithSummary("Approval items (filtered like the list) as an .xlsx ledger (审批手续台账)")
            .Produces(200, contentType: Xlsx).ProducesProblem(403);

        api.MapPost("/projects/{code}/needs/{kind}", (string code, FactorNeedKind kind, NeedRequest request, HttpContext http, ClaimsPrincipal user, ProjectService projects) =>
                ApiResults.Command<ProjectView>(http, async key => await projects.SetNeed(user, code, kind, request, key)))
            .WithTags("Factors").WithName("SetFactorNeed")
            .WithSummary("A project's need of a factor — land (亩), funding gap (万元), energy (吨标煤), environmental capacity (吨), power (千伏安), water (吨/日) — with the department that can meet it (office; amount 0 withdraws it); that department records what is met (land, energy and environmental capacity are met by the ledger's allocations)")
            .ProducesCommandResults<ProjectView>();

        api.MapGet("/projects/{code}/reports", async (string code, ClaimsPrincipal user, ReportService reports) => ApiResults.Read(await reports.List(user, code)))
            .WithTags("Reports").WithName("GetProjectReports").WithSummary("A project's monthly progress reports (月报), the latest month first")
            .Produces<IReadOnlyList<ProgressReport>>().ProducesProblem(403);

        api.MapGet("/projects/{code}/reports/{month}", async (string code, string month, ClaimsPrincipal user, ReportService reports) =>
                ApiResults.Read(await reports.Get(user, code, month)))
            .WithTags("Reports").WithName("GetProjectReport").WithSummary("A month's report with every version (who changed it, when and why)")
            .Produces<ProgressReportView>().ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/projects/{code}/reports/{month}", (string code, string month, ReportRequest request, HttpContext http, ClaimsPrincipal user, ReportService reports) =>
                ApiResults.Command<ProgressReportView>(http, async key => await reports.Submit(user, code, month, request, key),
                    view => TypedResults.Created($"/api/projects/{code}/reports/{month}", view)))
            .WithTags("Reports").WithName("SubmitReport")
            .WithSummary($"The month's report (the project's reporter or the office): investment completed in the month (万元), image progress; flagged late after day {ReportRules.DueDay} of the next month")
            .ProducesCommandResults<ProgressReportView>(StatusCodes.Status201Created);

        api.MapPost("/projects/{code}/reports/{month}/correction", (string code, string month, ReportRequest request, HttpContext http, ClaimsPrincipal user, ReportService reports) =>
                ApiResults.Command<ProgressReportView>(http, async key => await reports.Correct(user, code, month, request, key)))
            .WithTags("Reports").WithName("CorrectReport").WithSummary("Correct a month's report with a reason; the earlier version is kept (refused once the month is locked)")
            .ProducesCommandResults<ProgressReportView>();

        // A file upload with a bearer token only (as the project import): a cookie cannot carry a cross-site form post here.
        api.MapPost("/projects/{code}/reports/{month}/photos", async (string code, string month, IFormFile? file, [Microsoft.AspNetCore.Mvc.FromForm] string? caption,
                HttpContext http, ClaimsPrincipal user, ReportPhotoService photos) =>
            {
                if (file is null || file.Length == 0) return ApiResults.Invalid("file", "A photo (JPEG, PNG or WebP) is required.", "field.required");
                if (file.Length > ReportPhotoService.MaxBytes) return ApiResults.Invalid("file", $"A photo is at most {ReportPhotoService.MaxBytes / 1048576} MB.", "photo.too_large");
                await using var stream = file.OpenReadStream();
                var result = await photos.Upload(user, code, month, stream, caption, IdempotencyKey.Read(http));
                return result.Outcome.Succeeded
                    ? TypedResults.Created($"/api/projects/{code}/reports/{month}", result.Report)
                    : ApiResults.Rejected(result.Outcome);
            })
            .RequireAuthorization(new AuthorizationPolicyBuilder(IdentityConstants.BearerScheme).RequireAuthenticatedUser().Build())
            .DisableAntiforgery()
            .WithTags("Reports").WithName("AddReportPhoto")
            .WithSummary($"Add a photo to a month's report (the project's reporter or the office; multipart: file, caption): JPEG, PNG or WebP by content, at most {ReportPhotoService.MaxBytes / 1048576} MB; stored re-encoded (at most {ReportPhotoService.MaxSide} px, no metadata) with a thumbnail; at most {ReportRules.MaxPhotos} a month; refused once the month is locked")
            .Accepts<IFormFile>("multipart/form-data").RequiresIdempotencyKey()
            .Produces<ProgressReportView>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        api.MapGet("/photos/{id:guid}", async (Guid id, ClaimsPrincipal user, ReportPhotoService photos) =>
                ApiResults.Read(await photos.Get(user, id, thumbnail: false), photo => Results.File(photo.Bytes, photo.ContentType)))
            .WithTags("Reports").WithName("GetReportPhoto").WithSummary("A report photo (JPEG)")
            .Produces(200, contentType: "image/jpeg").ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/photos/{id:guid}/thumbnail", async (Guid id, ClaimsPrincipal user, ReportPhotoService photos) =>
                ApiResults.Read(await photos.Get(user, id, thumbnail: true), photo => Results.File(photo.Bytes, photo.ContentType)))
            .WithTags("Reports").WithName("GetReportPhotoThumbnail").WithSummary($"A report photo's thumbnail (JPEG, at most {ReportPhotoService.ThumbnailSide} px)")
            .Produces(200, contentType: "image/jpeg").ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/reports/{month}/lock", async (string month, HttpContext http, ClaimsPrincipal user, ReportService reports) =>
            {
                var (outcome, locked) = await reports.LockMonth(user, month, IdempotencyKey.Read(http));
                return outcome.Succeeded ? Results.Ok(locked) : ApiResults.Rejected(outcome);
            })
            .WithTags("Reports").WithName("LockMonth").WithSummary("The office locks every report of a month: no more corrections")
            .ProducesCommandResults<MonthLocked>();

        api.MapGet("/projects/template.xlsx", async (ProjectFileService files) =>
                Results.File(await files.Template(), Xlsx, "重点项目导入模板.xlsx"))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Office), nameof(Role.Admin)))
            .WithTags("Projects").WithName("GetProjectTemplate").WithSummary("The .xlsx template of the yearly project list (office)")
            .Produces(200, contentType: Xlsx).ProducesProblem(403);

        api.MapGet("/projects/export.xlsx", async (ProjectFileService files, ProjectStage? stage, ProjectCategory? category, string? town,
                string? leader, string? department, string? q) =>
            {
                if (ApiResults.Known(("stage", stage), ("category", category)) is { } invalid) return invalid;
                var filter = new ProjectFilter { Stage = stage, Category = category, Town = town, LeaderId = leader, DepartmentId = department, Text = q };
                return Results.File(await files.Export(filter), Xlsx, "重点项目库.xlsx");
            })
            .RequireAuthorization(ReadPolicies.CityFigures)
            .WithTags("Projects").WithName("ExportProjects").WithSummary("The project library (filtered like the list) as .xlsx; it imports again as it is (not project reporters: they read their own projects)")
            .Produces(200, contentType: Xlsx).ProducesProblem(400);

        // A file upload with a bearer token only: a cookie cannot carry a cross-site form post here.
        api.MapPost("/projects/import", async (IFormFile? file, HttpContext http, ClaimsPrincipal user, ProjectFileService files) =>
            {
                if (file is null || file.Length == 0) return ApiResults.Invalid("file", "An .xlsx file is required.", "field.required");
                if (file.Length > ProjectWorkbook.MaxBytes) return ApiResults.Invalid("file", $"At most {ProjectWorkbook.MaxBytes / 1048576} MB.", "import.too_large");
                await using var stream = file.OpenReadStream();
                var upload = await files.Import(user, stream, IdempotencyKey.Read(http));
                if (upload.Errors.Count > 0) return ApiResults.InvalidRows(upload.Errors);
                var result = upload.Import!;
                return result.Outcome.Succeeded
                    ? TypedResults.Accepted($"/api/projects/imports/{result.Import!.Id}", result.Import)
                    : ApiResults.Rejected(result.Outcome);
            })
            .RequireAuthorization(new AuthorizationPolicyBuilder(IdentityConstants.BearerScheme).RequireRole(nameof(Role.Office), nameof(Role.Admin)).Build())
            .DisableAntiforgery()
            .WithTags("Projects").WithName("ImportProjects")
            .WithSummary("Import the yearly project list from the template (office): every row checked, bad cells named by row and column, nothing imported unless all are good")
            .Accepts<IFormFile>("multipart/form-data").RequiresIdempotencyKey()
            .Produces<ProjectImportStatus>(202).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        api.MapGet("/projects/imports/{id:guid}", async (Guid id, ClaimsPrincipal user, ProjectFileService files) =>
                !ProjectFileService.MayImport(user) ? ApiResults.Forbidden("project.import_forbidden", "The command office imports the project list.")
                : await files.Status(id) is { } status ? Results.Ok(status)
                : ApiResults.NotFound("import.not_found", "No such import."))
            .WithTags("Projects").WithName("GetProjectImport").WithSummary("Where an import stands (done of total, completed)")
            .Produces<ProjectImportStatus>().ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    /// <summary>A registration's answer: 400 naming every faulty field, the refusal, or the project.</summary>
    private static IResult Registered(ProjectRegistration registration, Func<ProjectView, IResult> ok) =>
        registration.Faults.Count > 0
            ? TypedResults.ValidationProblem(registration.Faults.GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray()),
                title: "One or more fields are invalid.", extensions: new Dictionary<string, object?> { ["code"] = "project.invalid" })
            : registration.Outcome.Succeeded ? ok(registration.Project!) : ApiResults.Rejected(registration.Outcome);

    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
