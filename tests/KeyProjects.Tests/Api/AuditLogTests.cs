using System.Net;
using System.Net.Http.Json;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Silo.Storage;
using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The audit log on PostgreSQL: failed sign-ins with the true reason (an unknown name, a wrong password, a locked
/// account — which the caller is never told apart), a lockout, a success, a sign-out, and every administrator's change
/// of an account and kiosk token, each with who, from where and when; only administrators read it.
/// </summary>
public sealed class AuditLogTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    [Fact]
    public async Task Sign_ins_lockouts_and_administrators_actions_are_recorded_with_who_and_from_where()
    {
        using var admin = await centre.As("admin");
        var name = $"audit-{Guid.NewGuid():N}"[..14];
        (await admin.PostAsJsonAsync("/api/admin/users", new { userName = name, displayName = "审计 测试", role = "Department", departmentId = "fgw", password = "Shenji-2026-one" }))
            .EnsureSuccessStatusCode();

        // Failures read the same to the caller; the log keeps why.
        using var anonymous = centre.Anonymous();
        foreach (var (user, password) in new[] { ("nobody-" + name, "x-Wrong-2026"), (name, "x-Wrong-2026") })
            using (var refused = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = user, password }))
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using (var user = await centre.As(name, password: "Shenji-2026-one")) { }
        // Five wrong passwords lock the account; the next try (even with the right one) is refused as locked.
        for (var n = 0; n < 5; n++) (await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = name, password = "x-Wrong-2026" })).Dispose();
        (await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = name, password = "Shenji-2026-one" })).Dispose();
        (await admin.PostAsync($"/api/admin/users/{name}/enable", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/admin/users/{name}/disable", null)).EnsureSuccessStatusCode();

        var mine = await Log(admin, $"?actor={name}&limit=100");
        Assert.Equal(8, mine.Count(e => e.Kind == "sign-in")); // one wrong, one right, five wrong, one while locked
        Assert.Contains(mine, e => e is { Kind: "sign-in", Outcome: "succeeded" } && e.Detail.Contains("接口令牌"));
        Assert.Equal(7, mine.Count(e => e is { Kind: "sign-in", Outcome: "failed" } && e.Detail.Contains("密码错误")) + mine.Count(e => e.Detail.Contains("账户已锁定")));
        Assert.Single(mine, e => e.Kind == "lockout");
        Assert.Contains(mine, e => e is { Kind: "sign-in", Outcome: "failed" } && e.Detail.Contains("账户已锁定"));
        Assert.All(mine, e => Assert.Equal("127.0.0.1", e.Address));
        var unknown = await Log(admin, $"?actor=nobody-{name}");
        Assert.Contains("用户不存在", Assert.Single(unknown).Detail);

        // The administrator's changes of the account, newest first, with the administrator as actor.
        var changes = (await Log(admin, "?actor=admin&kind=user.&limit=100")).Where(e => e.Subject == name).ToList();
        Assert.Equal(["user.disabled", "user.enabled", "user.created"], changes.Select(e => e.Kind));
        Assert.Contains("部门/镇街", changes[^1].Detail);
        Assert.Contains("单位：发展和改革局", changes[^1].Detail); // the unit by its name, never its code

        // Only administrators read it; bad paging is named.
        using (var office = await centre.As("office"))
        using (var denied = await office.GetAsync("/api/admin/audit-log")) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        await ApiAssert.Refused(await admin.GetAsync("/api/admin/audit-log?limit=0"), HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task The_Orleans_Dashboard_shows_the_cluster_to_administrators_only()
    {
        // Anonymous: to the sign-in page; another role: refused; an administrator: the dashboard and the silos' counters
        // (here, a web host on a separate silo: the dashboard reads the cluster through its client).
        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = centre.BaseAddress })
        using (var redirected = await anonymous.GetAsync("/dashboard/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.StartsWith("/login", redirected.Headers.Location!.PathAndQuery);
        }
        using (var office = await centre.As("office"))
        using (var denied = await office.GetAsync("/dashboard/DashboardCounters")) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        using var admin = await centre.As("admin");
        Assert.Contains("<title>Orleans Dashboard</title>", await admin.GetStringAsync("/dashboard/"));
        var counters = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/dashboard/DashboardCounters");
        var silos = counters.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Contains(silos, h => h.GetProperty("status").GetString() == "Active");
    }

    private static async Task<List<AuditEntry>> Log(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<Page<AuditEntry>>("/api/admin/audit-log" + query, CommandCentre.Json))!.Items.ToList();
}
