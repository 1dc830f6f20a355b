using System.Net;
using System.Net.Http.Json;
using KeyProjects.Grains.Leadership;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Silo.Storage;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The leadership group on PostgreSQL through the API (admin): a leader added with a post and an account, changed,
/// given a project (包联) — which moves the project's responsible leader, so the library filtered by leader and the
/// group's lists agree — not removed while answering for projects, removed after; each change an event with who and
/// when and a line in the audit log; refusals named.
/// </summary>
public sealed class LeadershipAdminApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    [Fact]
    public async Task Leaders_are_added_changed_given_projects_and_removed_only_when_they_answer_for_none()
    {
        using var admin = await centre.As("admin");
        var tag = Random.Shared.Next(100_000, 1_000_000).ToString();
        var id = $"L{tag}";
        const string project = "2026-030";
        var before = (await Members(admin)).Single(m => m.ProjectCodes.Contains(project)).Leader.Id;

        // Added with a post and an account, then its post changed; the account must exist.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/leadership/members/{id}", new { name = "赵新", title = "副市长", userName = "vicemayor" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/leadership/members/{id}", new { name = "赵新", title = "常务副市长", userName = "vicemayor" })).StatusCode);
        var added = (await Members(admin)).Single(m => m.Leader.Id == id).Leader;
        Assert.Equal(("常务副市长", "vicemayor"), (added.Title, added.UserName));
        await ApiAssert.Refused(await admin.PutAsJsonAsync($"/api/admin/leadership/members/{id}", new { name = "赵新", title = "副市长", userName = "nobody-here" }), HttpStatusCode.BadRequest, "userName");
        await ApiAssert.Refused(await admin.PutAsJsonAsync($"/api/admin/leadership/members/{id}", new { name = " ", title = "副市长" }), HttpStatusCode.BadRequest, "name");
        await ApiAssert.Refused(await admin.PutAsJsonAsync("/api/admin/leadership/members/坏编码", new { name = "某", title = "副市长" }), HttpStatusCode.BadRequest, "\"id\"");

        // Given a project (包联): the project's leader and both leaders' lists follow, and the library filtered by leader.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/leadership/projects/{project}", new { leaderId = id })).StatusCode);
        var members = await Members(admin);
        Assert.Equal([project], members.Single(m => m.Leader.Id == id).ProjectCodes);
        Assert.DoesNotContain(project, members.Single(m => m.Leader.Id == before).ProjectCodes);
        Assert.Equal(id, (await admin.GetFromJsonAsync<ProjectDetailProbe>($"/api/projects/{project}", CommandCentre.Json))!.Profile.ResponsibleLeaderId);
        var library = (await admin.GetFromJsonAsync<ProjectPageProbe>($"/api/projects?leader={id}", CommandCentre.Json))!;
        Assert.Equal([project], library.Items.Select(p => p.Code));
        await ApiAssert.Refused(await admin.PutAsJsonAsync("/api/admin/leadership/projects/no-such", new { leaderId = id }), HttpStatusCode.NotFound, "project.not_found");
        await ApiAssert.Refused(await admin.PutAsJsonAsync($"/api/admin/leadership/projects/{project}", new { leaderId = "nobody" }), HttpStatusCode.BadRequest, "leaderId");

        // Not removed while answering for a project; removed once it is given back.
        await ApiAssert.Refused(await admin.DeleteAsync($"/api/admin/leadership/members/{id}"), HttpStatusCode.Conflict, "leadership.has_projects");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/leadership/projects/{project}", new { leaderId = before })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/leadership/members/{id}")).StatusCode);
        Assert.DoesNotContain(await Members(admin), m => m.Leader.Id == id);
        await ApiAssert.Refused(await admin.DeleteAsync($"/api/admin/leadership/members/{id}"), HttpStatusCode.NotFound, "leadership.not_found");

        // Every change an event with who and when (newest first), and a line in the audit log; only administrators.
        var history = (await admin.GetFromJsonAsync<List<LoggedHistoryEntry>>("/api/admin/leadership/history", CommandCentre.Json))!;
        Assert.Equal(["leadership.member-removed", "leadership.projects-assigned", "leadership.projects-assigned", "leadership.member-changed", "leadership.member-added"],
            history.Take(5).Select(h => h.Kind));
        Assert.All(history.Take(5), h => Assert.Equal("admin", h.ActorUserName));
        var audit = (await admin.GetFromJsonAsync<Page<AuditEntry>>("/api/admin/audit-log?kind=leadership.&limit=100", CommandCentre.Json))!.Items
            .Where(e => e.Subject == id || e.Subject == project).Take(5).Select(e => e.Kind);
        Assert.Equal(["leadership.member-removed", "leadership.project-assigned", "leadership.project-assigned", "leadership.member-set", "leadership.member-set"], audit);
        using var office = await centre.As("office");
        using (var denied = await office.PutAsJsonAsync($"/api/admin/leadership/projects/{project}", new { leaderId = id })) Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(before, (await Members(admin)).Single(m => m.ProjectCodes.Contains(project)).Leader.Id);
    }

    private static async Task<List<LeaderAssignment>> Members(HttpClient client) =>
        (await client.GetFromJsonAsync<List<LeaderAssignment>>("/api/leadership", CommandCentre.Json))!;

    private sealed record ProjectProbe(string Code, string ResponsibleLeaderId);
    private sealed record ProjectDetailProbe(ProjectProbe Profile);
    private sealed record ProjectPageProbe(List<ProjectProbe> Items);
}
