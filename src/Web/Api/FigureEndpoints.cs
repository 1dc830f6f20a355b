using KeyProjects.Grains.Figures;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Office;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

/// <summary>The figures leaders read, by city, department, town and leader, with the projects and reports behind each.</summary>
public static class FigureEndpoints
{
    public static IEndpointRouteBuilder MapFigureEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/figures").RequireAuthorization(ReadPolicies.CityFigures);

        api.MapGet("", async (FigureService figures, FigureGroup? by, string? month) =>
                Check(figures, by, ref month) ?? Results.Ok(await figures.Table(by ?? FigureGroup.City, month!)))
            .WithTags("Figures").WithName("GetFigures")
            .WithSummary("开工率, 投资完成率 against 时序进度 (points), 资金到位率, 合同履约率, 建成投产率 as of the end of a month (default: the month reporters are filling in — last month until the 5th, then this month), for the city and each department, town or leader (by), with the city's month-by-month series")
            .Produces<FigureTable>().ProducesProblem(400);

        api.MapGet("/{by}/{key}", async (FigureService figures, FigureGroup by, string key, string? month) =>
            {
                FigureGroup? group = by;
                if (Check(figures, group, ref month) is { } invalid) return invalid;
                return await figures.Drill(by, key, month!) is { } drill
                    ? Results.Ok(drill)
                    : ApiResults.NotFound("figures.no_projects", $"No project counts for {by} '{key}'.");
            })
            .WithTags("Figures").WithName("GetFigureDetail")
            .WithSummary("One group's figures and series with each project's part and the monthly reports it came from (数出有据); the city's key is 'city'")
            .Produces<FigureDrill>().ProducesProblem(400).ProducesProblem(404);

        api.MapGet("/export.xlsx", async (FigureService figures, FigureGroup? by, string? month) =>
                Check(figures, by, ref month) ?? Results.File(FigureWorkbook.Export(await figures.Table(by ?? FigureGroup.City, month!)),
                    ProjectEndpoints.Xlsx, $"重点项目指标-{month}.xlsx"))
            .WithTags("Figures").WithName("ExportFigures").WithSummary("The figures of a month as .xlsx: the groups' sheet and the city's monthly series")
            .Produces(200, contentType: ProjectEndpoints.Xlsx).ProducesProblem(400);
        return app;
    }

    /// <summary>Null when the group and month may be read (the month defaulted), else a 400 naming the parameter.</summary>
    private static IResult? Check(FigureService figures, FigureGroup? by, ref string? month)
    {
        if (ApiResults.Known(("by", by)) is { } unknown) return unknown;
        month ??= figures.DefaultMonth();
        return figures.MonthProblem(month) is { } problem ? ApiResults.Invalid("month", problem, "figures.month") : null;
    }
}
