using System.Net;
using System.Net.Http.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// A project walks its whole lifecycle through the API on PostgreSQL (储备 → 在谈 → 签约 → 前期 → 停缓建 → 前期 → 在建 →
/// 竣工 → 投产): each move with its day and who recorded it, start and completion days set, the library filtered by
/// stage follows; wrong moves are 409s naming the allowed ones; bad input is a 400 naming the field; nothing changes.
/// </summary>
public sealed class ProjectLifecycleApiTests(ClusterCommandCentre centre) : IClassFixture<ClusterCommandCentre>
{
    private const string Project = "2026-081"; // a project of the demo city in 谋划储备

    private static DateOnly Today => KeyProjects.Grains.Settings.WorkingCalendar.LocalDate(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_reserve_project_walks_to_operation_and_wrong_moves_are_refused_naming_the_allowed_ones()
    {
        using var office = await centre.As("office");
        using var reporter = await centre.As("reporter");
        Assert.Equal(ProjectStage.Reserve, (await Detail(office)).Profile.Stage);

        await Refused(await Move(office, ProjectStage.UnderConstruction, Today), HttpStatusCode.Conflict, "Negotiating, Preparatory");
        await Refused(await Move(reporter, ProjectStage.Negotiating, Today), HttpStatusCode.Forbidden, "project.stage_forbidden");
        await Refused(await Move(office, ProjectStage.Negotiating, Today.AddDays(1)), HttpStatusCode.BadRequest, "\"on\"");
        await Refused(await office.PostAsJsonAsync($"/api/projects/{Project}/stage", new { stage = "Somewhere" }), HttpStatusCode.BadRequest, "stage");
        await Refused(await office.PostAsJsonAsync($"/api/projects/{Project}/stage", new { }), HttpStatusCode.BadRequest, "stage");
        await Refused(await office.PostAsJsonAsync("/api/projects/no-such-project/stage", new { stage = "Negotiating" }), HttpStatusCode.NotFound, "project.not_found");
        Assert.Empty((await Detail(office)).Stages);

        await Ok(await Move(office, ProjectStage.Negotiating, Today.AddDays(-30)));
        await Refused(await Move(office, ProjectStage.Signed, Today.AddDays(-31)), HttpStatusCode.BadRequest, "\"on\"");
        await Ok(await Move(office, ProjectStage.Signed, Today.AddDays(-25)));
        await Ok(await Move(office, ProjectStage.Preparatory, Today.AddDays(-20)));
        await Refused(await Move(office, ProjectStage.Suspended, Today.AddDays(-15)), HttpStatusCode.BadRequest, "reason");
        var suspended = await Ok(await Move(office, ProjectStage.Suspended, Today.AddDays(-15), "环评未批复，暂缓"));
        Assert.Equal([ProjectStage.Preparatory], suspended.NextStages);
        await Refused(await Move(office, ProjectStage.UnderConstruction, Today.AddDays(-10)), HttpStatusCode.Conflict, "Preparatory");
        await Ok(await Move(office, ProjectStage.Preparatory, Today.AddDays(-10)));

        // 开工 through a client that retries with the same key: one move.
        using var keyed = await centre.As("office", keyEveryCommand: false);
        HttpRequestMessage Start() => new(HttpMethod.Post, $"/api/projects/{Project}/stage")
        {
            Headers = { { "Idempotency-Key", "lifecycle-start-" + Project } },
            Content = JsonContent.Create(new { stage = "UnderConstruction", on = Today.AddDays(-5) }),
        };
        await Ok(await keyed.SendAsync(Start()));
        var started = await Ok(await keyed.SendAsync(Start()));
        Assert.Equal(Today.AddDays(-5), started.Profile.ActualStart);
        await Ok(await Move(office, ProjectStage.Completed, Today.AddDays(-2)));
        var done = await Ok(await Move(office, ProjectStage.InOperation, Today));
        Assert.Empty(done.NextStages);
        await Refused(await Move(office, ProjectStage.Suspended, Today, "再停"), HttpStatusCode.Conflict, "moves no further");

        var detail = await Detail(office);
        Assert.Equal((ProjectStage.InOperation, Today.AddDays(-5), Today.AddDays(-2)), (detail.Profile.Stage, detail.Profile.ActualStart, detail.Profile.ActualCompletion));
        Assert.Equal(
            [ProjectStage.Negotiating, ProjectStage.Signed, ProjectStage.Preparatory, ProjectStage.Suspended, ProjectStage.Preparatory,
             ProjectStage.UnderConstruction, ProjectStage.Completed, ProjectStage.InOperation],
            detail.Stages.Select(s => s.To));
        Assert.Equal("环评未批复，暂缓", detail.Stages[3].Reason);
        Assert.All(detail.Stages, s => Assert.Equal("office", s.By));
        Assert.Equal(detail.Stages.Select(s => s.From).Skip(1), detail.Stages.Select(s => s.To).SkipLast(1));

        // The library (the read model) follows the project's events.
        await Eventually.Get(() => office.GetFromJsonAsync<Page<ProjectSummary>>("/api/projects?stage=InOperation&limit=500", CommandCentre.Json),
            page => page!.Items.Any(p => p.Code == Project), "the library lists the project as in operation");
        var reserve = (await office.GetFromJsonAsync<Page<ProjectSummary>>("/api/projects?stage=Reserve&limit=500", CommandCentre.Json))!;
        Assert.DoesNotContain(reserve.Items, p => p.Code == Project);
    }

    private static Task<HttpResponseMessage> Move(HttpClient client, ProjectStage stage, DateOnly on, string? reason = null) =>
        client.PostAsJsonAsync($"/api/projects/{Project}/stage", new { stage, on, reason }, CommandCentre.Json);

    private static async Task<ProjectDetail> Detail(HttpClient client) =>
        (await client.GetFromJsonAsync<ProjectDetail>($"/api/projects/{Project}", CommandCentre.Json))!;

    private static Task<ProjectView> Ok(HttpResponseMessage response) => ApiAssert.Ok<ProjectView>(response);

    private static Task Refused(HttpResponseMessage response, HttpStatusCode status, string named) => ApiAssert.Refused(response, status, named);
}
