using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Rankings;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

/// <summary>The monthly 红黑榜 (exemptions, publishing) and the monthly bulletin (月通报).</summary>
public static class RankingEndpoints
{
    public static IEndpointRouteBuilder MapRankingEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ReadPolicies.CityFigures);

        api.MapGet("/rankings/{month}", async (string month, FigureService figures, RankingService rankings) =>
                figures.MonthProblem(month) is { } bad ? ApiResults.Invalid("month", bad, "ranking.month") : Results.Ok(await rankings.Get(month)))
            .WithTags("Rankings").WithName("GetRanking")
            .WithSummary("A month's 红黑榜: the frozen standings once published, else the draft by the same formula; exemptions; last published month's ranks")
            .Produces<RankingView>().ProducesProblem(400);

        api.MapPost("/rankings/{month}/exemptions", (string month, ExemptionRequest request, HttpContext http, ClaimsPrincipal user, RankingService rankings) =>
                ApiResults.Command<RankingMonthView>(http, async key => await rankings.Exempt(user, month, request, key)))
            .WithTags("Rankings").WithName("ExemptFromRanking")
            .WithSummary("Exempt a department or town from the month's 红黑榜 for force majeure, with a reason (office; not once published)")
            .ProducesCommandResults<RankingMonthView>();

        api.MapPost("/rankings/{month}/exemptions/{unitId}/revoke", (string month, string unitId, HttpContext http, ClaimsPrincipal user, RankingService rankings) =>
                ApiResults.Command<RankingMonthView>(http, async key => await rankings.Revoke(user, month, unitId, key)))
            .WithTags("Rankings").WithName("RevokeExemption").WithSummary("Withdraw an exemption (office; not once published)")
            .ProducesCommandResults<RankingMonthView>();

        api.MapPost("/rankings/{month}/publish", (string month, HttpContext http, ClaimsPrincipal user, RankingService rankings) =>
                ApiResults.Command<RankingMonthView>(http, async key => await rankings.Publish(user, month, key)))
            .WithTags("Rankings").WithName("PublishRanking")
            .WithSummary("Publish a month's 红黑榜 once the month is over (office): the standings are frozen; the month's bulletin is then the reviewed one")
            .ProducesCommandResults<RankingMonthView>();

        api.MapGet("/bulletins/{month}.docx", async (string month, FigureService figures, BulletinService bulletins) =>
                figures.MonthProblem(month) is { } bad
                    ? ApiResults.Invalid("month", bad, "bulletin.month")
                    : Results.File(await bulletins.Document(month), Docx, $"重点项目建设月通报-{month}.docx"))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Leadership), nameof(Role.Office), nameof(Role.Admin)))
            .WithTags("Rankings").WithName("GetBulletin")
            .WithSummary("The monthly bulletin (月通报) as .docx: figures, 红黑榜, red items, overdue problems, the reports behind the figures; a draft until the month is published")
            .Produces(200, contentType: Docx).ProducesProblem(400);
        return app;
    }

    private const string Docx = KeyProjects.Web.Office.WordDocument.ContentType;
}
