using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Problems;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>The administrator manages the city's users over the API: create, disable, enable, new password; bad input named.</summary>
public sealed class UserAdministrationTests(EmbeddedCommandCentre centre) : IClassFixture<EmbeddedCommandCentre>
{
    [Fact]
    public async Task An_administrator_creates_a_department_user_who_claims_a_problem_then_disables_enables_and_resets_it()
    {
        using var admin = await centre.As("admin");
        var name = $"xzsp-{Guid.NewGuid():N}"[..12];
        using (var created = await admin.PostAsJsonAsync("/api/admin/users",
                   new { userName = name, displayName = "行政审批服务局 新同事", role = "Department", departmentId = "xzsp", password = "Shenpi-2026-one" }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var listed = (await admin.GetFromJsonAsync<List<AccountListing>>("/api/admin/users", CommandCentre.Json))!.Single(u => u.UserName == name);
        Assert.Equal(("行政审批服务局 新同事", KeyProjects.Grains.Domain.Role.Department, "xzsp", false), (listed.DisplayName, listed.Role, listed.DepartmentId, listed.Disabled));

        // The new user works: signs in and claims a problem routed to the department.
        using var office = await centre.As("office");
        var raised = await office.PostAsJsonAsync("/api/projects/2026-011/problems", new { title = "新用户认领测试", description = "", category = "Approvals", leadDepartmentId = "xzsp" });
        var problem = (await raised.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
        using (var user = await centre.As(name, password: "Shenpi-2026-one"))
        using (var claim = await user.PostAsync($"/api/problems/{problem.Summary.Id}/claim", null))
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);

        // Disabled: its bearer token stops at once, no sign-in (and listed so); enabled: signs in again.
        using var before = await centre.As(name, password: "Shenpi-2026-one");
        using (var works = await before.GetAsync("/api/me/notifications")) Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        (await admin.PostAsync($"/api/admin/users/{name}/disable", null)).EnsureSuccessStatusCode();
        using (var ended = await before.GetAsync("/api/me/notifications"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
            Assert.Contains("account.session_ended", await ended.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await SignIn(name, "Shenpi-2026-one"));
        Assert.True((await admin.GetFromJsonAsync<List<AccountListing>>("/api/admin/users", CommandCentre.Json))!.Single(u => u.UserName == name).Disabled);
        (await admin.PostAsync($"/api/admin/users/{name}/enable", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, await SignIn(name, "Shenpi-2026-one"));

        // A new password: the old one stops working.
        (await admin.PostAsJsonAsync($"/api/admin/users/{name}/password", new { password = "Shenpi-2026-two" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, await SignIn(name, "Shenpi-2026-one"));
        Assert.Equal(HttpStatusCode.OK, await SignIn(name, "Shenpi-2026-two"));

        // Each change is an event in the log with who and when (stream accounts-city), never a secret.
        var history = (await admin.GetFromJsonAsync<List<LoggedHistoryEntry>>("/api/admin/users/history", CommandCentre.Json))!
            .Where(h => h.Note!.StartsWith(name, StringComparison.Ordinal)).ToList();
        Assert.Equal(["account.password-set", "account.enabled", "account.disabled", "account.created"], history.Select(h => h.Kind));
        Assert.All(history, h => Assert.Equal(("admin", "系统管理员"), (h.ActorUserName, h.ActorName)));
        Assert.Contains("单位：行政审批服务局", history[^1].Note);
        using (var raw = await admin.GetAsync("/api/admin/users/history"))
        {
            var text = await raw.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Shenpi-2026", text);
            Assert.DoesNotContain("AQAAAA", text); // no password hash
        }
        // And the chain of the log holds.
        var audit = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/admin/audit");
        Assert.True(audit.GetProperty("verified").GetBoolean(), audit.ToString());
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_creates_nobody_a_duplicate_is_409_others_are_refused()
    {
        using var admin = await centre.As("admin");
        var name = $"bad-{Guid.NewGuid():N}"[..12];
        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { userName = "", displayName = "某人", role = "Office", password = "Good-2026-pass" }, "userName"),
                     (new { userName = name, displayName = "某人", password = "Good-2026-pass" }, "role"),
                     (new { userName = name, displayName = "某人", role = "Department", password = "Good-2026-pass" }, "departmentId"),
                     (new { userName = name, displayName = "某人", role = "Department", departmentId = "nowhere", password = "Good-2026-pass" }, "departmentId"),
                     (new { userName = name, displayName = "某人", role = "Office", password = "short" }, "password"),
                     (new { userName = name, displayName = new string('长', 65), role = "Office", password = "Good-2026-pass" }, "displayName"),
                 })
        {
            using var response = await admin.PostAsJsonAsync("/api/admin/users", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}': {errors}");
        }
        Assert.DoesNotContain((await admin.GetFromJsonAsync<List<AccountListing>>("/api/admin/users", CommandCentre.Json))!, u => u.UserName == name);

        using (var duplicate = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "zrzy", displayName = "重名", role = "Office", password = "Good-2026-pass" }))
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        using (var unknown = await admin.PostAsync("/api/admin/users/nobody-here/disable", null))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var self = await admin.PostAsync("/api/admin/users/admin/disable", null))
            Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        using var office = await centre.As("office");
        using (var list = await office.GetAsync("/api/admin/users"))
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_every_copy_of_the_session()
    {
        using var admin = await centre.As("admin");
        var name = $"out-{Guid.NewGuid():N}"[..12];
        (await admin.PostAsJsonAsync("/api/admin/users", new { userName = name, displayName = "签退测试", role = "Office", password = "Qiantui-2026-ok" }))
            .EnsureSuccessStatusCode();
        using var phone = await Bearer(name, "Qiantui-2026-ok");
        using var laptop = await Bearer(name, "Qiantui-2026-ok");
        using (var works = await laptop.GetAsync("/api/me/notifications")) Assert.Equal(HttpStatusCode.OK, works.StatusCode);

        using (var signOut = await phone.PostAsync("/account/logout", null)) Assert.True(signOut.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, signOut.StatusCode.ToString());
        using (var ended = await laptop.GetAsync("/api/me/notifications")) Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SignIn(name, "Qiantui-2026-ok")); // signing in again works
    }

    /// <summary>A client with its own bearer token (a separate copy of the user's session).</summary>
    private async Task<HttpClient> Bearer(string userName, string password)
    {
        using var anonymous = centre.Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var client = centre.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private async Task<HttpStatusCode> SignIn(string userName, string password)
    {
        using var anonymous = centre.Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName, password });
        return response.StatusCode;
    }
}
