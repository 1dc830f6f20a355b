using KeyProjects.Web.Services;
using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.WarRoom;
using KeyProjects.Web.Identity;
using KeyProjects.Web.WarRoom;

namespace KeyProjects.Web.Api;

public sealed record IssueKioskTokenRequest(string? Name);

/// <summary>The war room's figures, the records behind them, and kiosk tokens for wall screens.</summary>
public static class WarRoomEndpoints
{
    public static IEndpointRouteBuilder MapWarRoomEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("War room");

        api.MapGet("/warroom", async (CurrentWarRoom warRoom) => TypedResults.Ok(await warRoom.Get()))
            .RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.WarRoom)
            .WithName("GetWarRoom").WithSummary("What the big screen shows, as of a feed sequence number (the war room's readers and wall screens)")
            .Produces<WarRoomSnapshot>().ProducesProblem(403);

        api.MapGet("/warroom/figures/{figure}", async (string figure, ClaimsPrincipal user, WarRoomService warRoom) =>
            {
                if (user.ToActor().Role is not (Role.Office or Role.Leadership or Role.Admin))
                    return ApiResults.Forbidden("warroom.forbidden", "The records behind the figures are for the office and the leadership.");
                return await warRoom.GetRecords(figure) is { } records
                    ? Results.Ok(records)
                    : ApiResults.NotFound("warroom.figure_not_found", $"No figure '{figure}'.");
            })
            .WithName("GetFigureRecords").WithSummary("The records that make up one headline figure (数出有据)")
            .Produces<IReadOnlyList<FigureRecord>>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/kiosk-tokens", async (ClaimsPrincipal user, KioskTokenService tokens) =>
                await tokens.List(user) is { } list
                    ? Results.Ok(list)
                    : ApiResults.Forbidden("kiosk.forbidden", "Administrators only."))
            .WithName("ListKioskTokens").WithSummary("Kiosk tokens, active and revoked (admin)")
            .Produces<IReadOnlyList<KioskToken>>().ProducesProblem(403);

        api.MapGet("/kiosk-tokens/history", async (ClaimsPrincipal user, KioskTokenService tokens) =>
                await tokens.History(user) is { } history ? Results.Ok(history) : ApiResults.Forbidden("kiosk.forbidden", "Administrators only."))
            .WithName("GetKioskTokenHistory").WithSummary("Kiosk tokens issued and revoked, from the event log: who, when, which (admin)")
            .Produces<IReadOnlyList<LoggedHistoryEntry>>().ProducesProblem(403);

        api.MapPost("/kiosk-tokens", async (IssueKioskTokenRequest request, ClaimsPrincipal user, HttpContext http, KioskTokenService tokens) =>
            {
                var (outcome, issued) = await tokens.Issue(user, request.Name, IdempotencyKey.Read(http));
                return outcome.Succeeded ? Results.Created($"/api/kiosk-tokens/{issued!.Token.Id}", issued) : ApiResults.Rejected(outcome);
            })
            .WithName("IssueKioskToken").WithSummary("A read-only token for a wall screen; its secret is shown once (admin)")
            .ProducesCommandResults<IssuedKioskToken>(StatusCodes.Status201Created);

        api.MapDelete("/kiosk-tokens/{id}", async (string id, ClaimsPrincipal user, KioskTokenService tokens) =>
                await tokens.Revoke(user, id) is { Succeeded: false } refused ? ApiResults.Rejected(refused) : Results.NoContent())
            .WithName("RevokeKioskToken").WithSummary("Revoke a kiosk token: its screens are shut out at their next request (admin)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404);
        return app;
    }
}
