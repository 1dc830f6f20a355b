using System.Security.Claims;
using KeyProjects.Grains.Notifications;
using KeyProjects.Grains.Settings;
using KeyProjects.Silo.EventLog;
using KeyProjects.Silo.Storage;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Services;
using KeyProjects.Grains.Domain;

namespace KeyProjects.Web.Api;

/// <summary>One mapped endpoint; <paramref name="IsPage"/> marks a page (a routable Blazor component) rather than an API endpoint.</summary>
public sealed record RouteInfo(string Pattern, IReadOnlyList<string> Methods, string? Name, bool AllowsAnonymous, bool IsPage = false);

/// <summary>Settings (admin writes), the working calendar, the outbound record, and the route table itself.</summary>
public static class SettingsEndpoints
{
    public static IEndpointRouteBuilder MapSettingsEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.Officials).WithTags("Settings");

        api.MapGet("/settings/problems", async (SettingsService settings) => TypedResults.Ok(await settings.GetProblemSettings()))
            .WithName("GetProblemSettings").WithSummary("Deadline rules and warning-light rules in force").Produces<ProblemSettings>();

        api.MapGet("/settings/problems/history", async (SettingsService settings) => TypedResults.Ok(await settings.GetHistory()))
            .WithName("GetProblemSettingsHistory").WithSummary("Every version of the problem settings, newest first")
            .Produces<IReadOnlyList<ProblemSettings>>();

        api.MapPut("/settings/problems", async (ProblemSettings proposal, ClaimsPrincipal user, SettingsService settings) =>
            {
                var (outcome, current) = await settings.Update(user, proposal);
                return outcome.Succeeded ? Results.Ok(current) : ApiResults.Rejected(outcome);
            })
            .WithName("UpdateProblemSettings").WithSummary("A new version of the problem settings (admin)")
            .ProducesCommandResults<ProblemSettings>();

        api.MapGet("/admin/settings/history", async (ClaimsPrincipal user, SettingsService settings) =>
                user.ToActor().Role == Role.Admin ? Results.Ok(await settings.Changes()) : ApiResults.Forbidden("admin.forbidden", "Administrators only."))
            .WithName("GetSettingsChanges").WithSummary("Every change of the rules and the working calendar from the event log, newest first: who, when, what (admin)")
            .Produces<IReadOnlyList<LoggedHistoryEntry>>().ProducesProblem(403);

        api.MapGet("/settings/calendar", async (SettingsService settings) => TypedResults.Ok(await settings.GetCalendar()))
            .WithName("GetWorkingCalendar").WithSummary("Holidays and make-up working days (调休)").Produces<IReadOnlyList<CalendarDay>>();

        api.MapPut("/settings/calendar/{date}", async (DateOnly date, CalendarDayRequest request, ClaimsPrincipal user, SettingsService settings) =>
                await settings.SetDay(user, date, request) is { Succeeded: false } refused ? ApiResults.Rejected(refused) : Results.NoContent())
            .WithName("SetCalendarDay").WithSummary("Mark a date a holiday or a make-up working day (admin)")
            .Produces(204).ProducesValidationProblem().ProducesProblem(403);

        api.MapDelete("/settings/calendar/{date}", async (DateOnly date, ClaimsPrincipal user, SettingsService settings) =>
                await settings.RemoveDay(user, date) is { Succeeded: false } refused ? ApiResults.Rejected(refused) : Results.NoContent())
            .WithName("RemoveCalendarDay").WithSummary("A date goes back to the plain week (admin)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/outbox", async (ClaimsPrincipal user, BellService bell, int? take) =>
                user.ToActor().Role is Role.Admin or Role.Office
                    ? Results.Ok(await bell.GetOutbox(take ?? 100))
                    : ApiResults.Forbidden("outbox.forbidden", "Only the office and administrators read the outbound record."))
            .WithTags("Notifications").WithName("GetOutbox").WithSummary("What the outbound channel would have sent (SMS, government messaging)")
            .Produces<IReadOnlyList<OutboundMessage>>().ProducesProblem(403);

        api.MapGet("/admin/routes", (ClaimsPrincipal user, EndpointDataSource endpoints) =>
                user.ToActor().Role == Role.Admin
                    ? Results.Ok(Routes(endpoints))
                    : ApiResults.Forbidden("admin.forbidden", "Administrators only."))
            .WithTags("Admin").WithName("GetRouteTable").WithSummary("Every endpoint the application maps (the authorisation matrix reads it)")
            .Produces<IReadOnlyList<RouteInfo>>().ProducesProblem(403);

        api.MapGet("/admin/audit", async (ClaimsPrincipal user, StorageSettings storage, CancellationToken ct) =>
                user.ToActor().Role == Role.Admin
                    ? Results.Ok(await AuditVerifier.VerifyAsync(storage, ct))
                    : ApiResults.Forbidden("admin.forbidden", "Administrators only."))
            .WithTags("Admin").WithName("VerifyAudit")
            .WithSummary("Verifies every stream's hash chain in the event log and names the first broken event (admin)")
            .Produces<AuditReport>().ProducesProblem(403);
        return app;
    }

    private static IReadOnlyList<RouteInfo> Routes(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => new RouteInfo(
                "/" + (e.RoutePattern.RawText ?? "").Trim('/'),
                e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.ToList() ?? [],
                e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null,
                e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ToList();
}
