using System.Security.Claims;
using KeyProjects.Grains.Factors;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Api;

/// <summary>The factor ledger (要素保障): the year's pools with balances; capacity and allocations (office).</summary>
public static class FactorEndpoints
{
    public static IEndpointRouteBuilder MapFactorEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/factors").RequireAuthorization(ReadPolicies.CityFigures).WithTags("Factors");

        api.MapGet("/{year:int}", async (int year, FactorService factors) =>
                FactorService.YearProblem(year) is { } bad ? ApiResults.Invalid("year", bad, "factor.year") : Results.Ok(await factors.Pools(year)))
            .WithName("GetFactorPools").WithSummary("The year's pools — land quota (亩), energy quota (吨标煤), environmental capacity (吨) — with capacity, allocated, balance and every allocation")
            .Produces<IReadOnlyList<FactorPoolView>>().ProducesProblem(400);

        api.MapGet("/{year:int}/export.xlsx", async (int year, FactorService factors) =>
                FactorService.YearProblem(year) is { } bad ? ApiResults.Invalid("year", bad, "factor.year")
                : Results.File(KeyProjects.Web.Office.LedgerWorkbook.Factors(year, await factors.Pools(year), await factors.NeedTotals()), ProjectEndpoints.Xlsx, $"{year}年要素保障台账.xlsx"))
            .WithName("ExportFactorLedger").WithSummary("The year's factor ledger as .xlsx (要素保障台账): the pools, every allocation (and what was taken back), the city's needs")
            .Produces(200, contentType: ProjectEndpoints.Xlsx).ProducesProblem(400);

        api.MapGet("/needs", async (FactorService factors) => Results.Ok(await factors.NeedTotals()))
            .WithName("GetFactorNeedTotals").WithSummary("The city's factor needs by kind: how many projects need it, how much in all, how much departments recorded as met (land, energy and capacity are met by the ledger)")
            .Produces<IReadOnlyList<KeyProjects.Silo.ReadModel.NeedTotal>>();

        api.MapPost("/{year:int}/{kind}/capacity", (int year, FactorKind kind, CapacityRequest request, HttpContext http, ClaimsPrincipal user, FactorService factors) =>
                ApiResults.Command<FactorPoolView>(http, async key => await factors.SetCapacity(user, year, kind, request, key)))
            .WithName("SetFactorCapacity").WithSummary("Set a pool's capacity for the year (office); not below what is allocated (409)")
            .ProducesCommandResults<FactorPoolView>();

        api.MapPost("/{year:int}/{kind}/allocations", (int year, FactorKind kind, AllocationRequest request, HttpContext http, ClaimsPrincipal user, FactorService factors) =>
                ApiResults.Command<FactorPoolView>(http, async key => await factors.Allocate(user, year, kind, request, key)))
            .WithName("AllocateFactor").WithSummary("Allocate from a pool to a project with a reason (office); beyond the balance is a 409 naming what is left")
            .ProducesCommandResults<FactorPoolView>();
        api.MapPost("/{year:int}/{kind}/allocations/{sequence:int}/release", (int year, FactorKind kind, int sequence, ReleaseRequest request, HttpContext http, ClaimsPrincipal user, FactorService factors) =>
                ApiResults.Command<FactorPoolView>(http, async key => await factors.Release(user, year, kind, sequence, request, key)))
            .WithName("ReleaseFactorAllocation").WithSummary("Take an allocation back into the pool (收回) with a reason (office): it stays in the ledger and no longer counts; twice is a 409")
            .ProducesCommandResults<FactorPoolView>();
        return app;
    }
}
