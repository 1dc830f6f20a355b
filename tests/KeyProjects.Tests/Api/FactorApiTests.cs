using System.Net;
using System.Net.Http.Json;
using KeyProjects.Grains.Factors;
using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The factor ledger (要素保障) on PostgreSQL through the API: the office sets a pool's capacity and allocates to
/// projects; beyond the balance is a 409 naming what is left and changes nothing; twenty allocations at once never
/// overdraw the pool; a retry with the same key allocates once; bad input is named.
/// </summary>
public sealed class FactorApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    [Fact]
    public async Task Allocations_never_exceed_the_pool_and_a_refusal_says_what_is_left()
    {
        using var office = await centre.As("office");
        using var mayor = await centre.As("mayor");
        using var reporter = await centre.As("reporter");
        var year = DateTimeOffset.UtcNow.Year + 1; // next year's pools: the demo city has set up this year's
        var pools = (await mayor.GetFromJsonAsync<List<FactorPoolView>>($"/api/factors/{year}", CommandCentre.Json))!;
        Assert.Equal(Enum.GetValues<FactorKind>(), pools.Select(p => p.Kind));

        await ApiAssert.Ok<FactorPoolView>(await office.PostAsJsonAsync($"/api/factors/{year}/Land/capacity", new { capacity = 100 }));
        var first = await ApiAssert.Ok<FactorPoolView>(await office.PostAsJsonAsync($"/api/factors/{year}/Land/allocations",
            new { projectCode = "2026-001", amount = 60, reason = "一期用地" }));
        Assert.Equal((60m, 40m), (first.Allocated, first.Balance));

        // Beyond the balance: refused, with what is left; nothing changes.
        var refused = await office.PostAsJsonAsync($"/api/factors/{year}/Land/allocations", new { projectCode = "2026-002", amount = 50, reason = "二期用地" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Contains("factor.insufficient", problem);
        Assert.Contains("40", problem);
        Assert.Equal(40m, await Balance(mayor, year, FactorKind.Land));

        // Capacity never below what is allocated; raised, the balance follows.
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/Land/capacity", new { capacity = 50 }), HttpStatusCode.Conflict, "factor.below_allocated");
        await ApiAssert.Ok<FactorPoolView>(await office.PostAsJsonAsync($"/api/factors/{year}/Land/capacity", new { capacity = 160 }));
        Assert.Equal(100m, await Balance(mayor, year, FactorKind.Land));

        // Bad input is named and changes nothing; only the office allocates; reporters do not read the ledger.
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/Land/allocations", new { projectCode = "2026-002", amount = 0, reason = "零" }), HttpStatusCode.BadRequest, "amount");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/Land/allocations", new { projectCode = "2026-002", amount = 5 }), HttpStatusCode.BadRequest, "reason");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/Land/allocations", new { amount = 5, reason = "无项目" }), HttpStatusCode.BadRequest, "projectCode");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/Land/allocations", new { projectCode = "no-such", amount = 5, reason = "无此项目" }), HttpStatusCode.NotFound, "project.not_found");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/1999/Land/capacity", new { capacity = 5 }), HttpStatusCode.BadRequest, "year");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/Water/capacity", new { capacity = 5 }), HttpStatusCode.BadRequest, "kind");
        await ApiAssert.Refused(await mayor.PostAsJsonAsync($"/api/factors/{year}/Land/allocations", new { projectCode = "2026-002", amount = 5, reason = "越权" }), HttpStatusCode.Forbidden, "factor.forbidden");
        using (var denied = await reporter.GetAsync($"/api/factors/{year}")) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(100m, await Balance(mayor, year, FactorKind.Land));

        // A retry with the same key is the same allocation.
        using var keyed = await centre.As("office", keyEveryCommand: false);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/factors/{year}/Land/allocations") { Content = JsonContent.Create(new { projectCode = "2026-003", amount = 10, reason = "重试" }) };
            request.Headers.Add("Idempotency-Key", "factor-retry-1");
            (await keyed.SendAsync(request)).EnsureSuccessStatusCode();
        }
        Assert.Equal(90m, await Balance(mayor, year, FactorKind.Land));

        // Twenty allocations of 10 at once against the energy pool of 100: exactly ten granted, never overdrawn.
        await ApiAssert.Ok<FactorPoolView>(await office.PostAsJsonAsync($"/api/factors/{year}/EnergyQuota/capacity", new { capacity = 100 }));
        var answers = await Task.WhenAll(Enumerable.Range(1, 20).Select(n =>
            office.PostAsJsonAsync($"/api/factors/{year}/EnergyQuota/allocations", new { projectCode = $"2026-{n:000}", amount = 10, reason = "并发分配" })));
        Assert.Equal(10, answers.Count(a => a.IsSuccessStatusCode));
        Assert.All(answers.Where(a => !a.IsSuccessStatusCode), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var energy = await Eventually.Get(async () => (await mayor.GetFromJsonAsync<List<FactorPoolView>>($"/api/factors/{year}", CommandCentre.Json))!.Single(p => p.Kind == FactorKind.EnergyQuota),
            p => p.Version == 11, "the list has every allocation");
        Assert.Equal((100m, 0m, 10), (energy.Allocated, energy.Balance, energy.Allocations.Count));

        // 收回: an allocation taken back stays in the ledger and its amount is free again; only once, with a reason, by the office.
        var taken = energy.Allocations[0];
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/EnergyQuota/allocations/{taken.Sequence}/release", new { }), HttpStatusCode.BadRequest, "reason");
        await ApiAssert.Refused(await mayor.PostAsJsonAsync($"/api/factors/{year}/EnergyQuota/allocations/{taken.Sequence}/release", new { reason = "越权" }), HttpStatusCode.Forbidden, "factor.forbidden");
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/EnergyQuota/allocations/999/release", new { reason = "无此分配" }), HttpStatusCode.NotFound, "factor.allocation_not_found");
        var released = await ApiAssert.Ok<FactorPoolView>(await office.PostAsJsonAsync($"/api/factors/{year}/EnergyQuota/allocations/{taken.Sequence}/release", new { reason = "项目调整，指标收回" }));
        Assert.Equal((90m, 10m, 10), (released.Allocated, released.Balance, released.Allocations.Count));
        var kept = released.Allocations.Single(a => a.Sequence == taken.Sequence);
        Assert.Equal((false, "项目调整，指标收回", "项目办 周主任"), (kept.IsActive, kept.ReleaseReason, kept.ReleasedByName));
        await ApiAssert.Refused(await office.PostAsJsonAsync($"/api/factors/{year}/EnergyQuota/allocations/{taken.Sequence}/release", new { reason = "再次收回" }), HttpStatusCode.Conflict, "factor.already_released");
        // What was taken back may be allocated again; the capacity may come down to what is still allocated.
        await ApiAssert.Ok<FactorPoolView>(await office.PostAsJsonAsync($"/api/factors/{year}/EnergyQuota/capacity", new { capacity = 90 }));
        Assert.Equal(0m, await Balance(mayor, year, FactorKind.EnergyQuota));

        // The ledger (台账) reads back: the pools, and every allocation with the one taken back marked.
        var file = await mayor.GetByteArrayAsync($"/api/factors/{year}/export.xlsx");
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(file), useHeaderRow: true, sheetName: $"{year}年指标池").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(90m, Convert.ToDecimal(sheet.Single(p => p["指标"]!.ToString() == "能耗指标（吨标煤）")["已分配"]));
        var allocations = MiniExcelLibs.MiniExcel.Query(new MemoryStream(file), useHeaderRow: true, sheetName: "分配明细").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(10, allocations.Count(a => a["指标"]!.ToString() == "能耗指标（吨标煤）"));
        Assert.Contains("项目调整，指标收回", allocations.Single(a => a["指标"]!.ToString() == "能耗指标（吨标煤）" && Convert.ToInt32(a["序号"]) == taken.Sequence)["收回"]!.ToString());
    }

    private static async Task<decimal> Balance(HttpClient client, int year, FactorKind kind) =>
        (await Eventually.Get(async () => (await client.GetFromJsonAsync<List<FactorPoolView>>($"/api/factors/{year}", CommandCentre.Json))!.Single(p => p.Kind == kind),
            _ => true, "the pool")).Balance;
}
