using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Live;
using KeyProjects.Grains.Problems;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The problem loop over real HTTP against a running command centre. The same tests run against the embedded mode
/// and against a standalone silo with the web host as its client on PostgreSQL.
/// </summary>
public abstract class ProblemLoopApiTests<TCentre>(TCentre centre) where TCentre : CommandCentre
{
    private const string Project = "2026-011";

    protected TCentre Centre { get; } = centre;

    [Fact]
    public async Task Two_lead_department_users_claiming_at_once_get_one_200_and_one_409()
    {
        var problem = await RaiseAsync();
        using var first = await Centre.As("zrzy");
        using var second = await Centre.As("zrzy2");

        var start = new TaskCompletionSource();
        async Task<HttpStatusCode> Claim(HttpClient client)
        {
            await start.Task;
            using var response = await client.PostAsync($"/api/problems/{problem.Summary.Id}/claim", null);
            return response.StatusCode;
        }
        var claims = new[] { Task.Run(() => Claim(first)), Task.Run(() => Claim(second)) };
        start.SetResult();
        var statuses = (await Task.WhenAll(claims)).OrderBy(s => (int)s).ToArray();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
        var after = await GetAsync(problem.Summary.Id);
        Assert.Equal(ProblemStatus.InProgress, after.Summary.Status);
        Assert.Single(after.History, h => h.Action == ProblemActions.Claimed);
    }

    [Fact]
    public async Task A_user_of_an_unrelated_department_gets_403_and_nothing_changes()
    {
        var problem = await RaiseAsync();
        using var fgw = await Centre.As("fgw");

        using var response = await fgw.PostAsync($"/api/problems/{problem.Summary.Id}/claim", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("problem.not_lead_department", (await ReadProblemDetails(response)).GetProperty("code").GetString());
        var after = await GetAsync(problem.Summary.Id);
        Assert.Equal(ProblemStatus.Routed, after.Summary.Status);
        Assert.Single(after.History);
    }

    [Fact]
    public async Task An_unknown_problem_is_404()
    {
        using var zrzy = await Centre.As("zrzy");
        using var claim = await zrzy.PostAsync($"/api/problems/{Guid.NewGuid()}/claim", null);
        using var get = await zrzy.GetAsync($"/api/problems/{Guid.NewGuid()}");
        using var project = await zrzy.GetAsync("/api/projects/no-such-project");

        Assert.Equal(HttpStatusCode.NotFound, claim.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, project.StatusCode);
        Assert.Equal("application/problem+json", claim.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"title\": 5, \"leadDepartmentId\": \"zrzy\"}", "title")]
    [InlineData("{\"title\": \"x\", \"leadDepartmentId\": \"zrzy\", \"category\": \"NoSuchCategory\"}", "category")]
    [InlineData("{\"title\": \"x\", \"leadDepartmentId\": \"zrzy\", \"claimDeadline\": \"not a date\"}", "claimDeadline")]
    [InlineData("{\"title\": \"x\", ", "body")]
    [InlineData("{\"title\": \"  \", \"leadDepartmentId\": \"zrzy\"}", "title")]
    [InlineData("{\"title\": \"x\", \"leadDepartmentId\": \"no-such-department\"}", "leadDepartmentId")]
    [InlineData("{\"title\": \"x\", \"leadDepartmentId\": \"zrzy\", \"assistingDepartmentIds\": [\"zrzy\"]}", "assistingDepartmentIds")]
    [InlineData("{\"title\": \"x\", \"leadDepartmentId\": \"zrzy\", \"claimDeadline\": \"2001-01-01T00:00:00Z\"}", "claimDeadline")]
    public async Task A_bad_raise_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        using var office = await Centre.As("office");
        var before = await ProblemCount(office);

        using var response = await office.PostAsync($"/api/projects/{Project}/problems", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var details = await ReadProblemDetails(response);
        var errors = details.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}' in {details}");
        Assert.Equal(before, await ProblemCount(office));
    }

    [Fact]
    public async Task A_bad_command_body_is_a_400_and_changes_nothing()
    {
        var problem = await RaiseAsync();
        using var zrzy = await Centre.As("zrzy");
        (await zrzy.PostAsync($"/api/problems/{problem.Summary.Id}/claim", null)).EnsureSuccessStatusCode();

        using var wrongType = await zrzy.PostAsync($"/api/problems/{problem.Summary.Id}/resolution",
            new StringContent("{\"resolution\": [1,2]}", Encoding.UTF8, "application/json"));
        using var empty = await zrzy.PostAsJsonAsync($"/api/problems/{problem.Summary.Id}/resolution", new { resolution = "" });
        using var longKey = new HttpRequestMessage(HttpMethod.Post, $"/api/problems/{problem.Summary.Id}/resolution")
        {
            Content = JsonContent.Create(new { resolution = "ok" }),
            Headers = { { "Idempotency-Key", new string('k', 101) } },
        };
        using var keyResponse = await zrzy.SendAsync(longKey);

        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.True((await ReadProblemDetails(wrongType)).GetProperty("errors").TryGetProperty("resolution", out _));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await ReadProblemDetails(empty)).GetProperty("errors").TryGetProperty("resolution", out _));
        Assert.Equal(HttpStatusCode.BadRequest, keyResponse.StatusCode);
        Assert.True((await ReadProblemDetails(keyResponse)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        var after = await GetAsync(problem.Summary.Id);
        Assert.Equal(ProblemStatus.InProgress, after.Summary.Status);
        Assert.Equal(2, after.History.Count);
    }

    [Fact]
    public async Task A_retried_command_with_the_same_idempotency_key_is_applied_once()
    {
        using var office = await Centre.As("office");
        var key = Guid.NewGuid().ToString("N");
        var request = Raise("重复提交测试");
        var first = await SendWithKey(office, $"/api/projects/{Project}/problems", request, key);
        var second = await SendWithKey(office, $"/api/projects/{Project}/problems", request, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(first.Problem!.Summary.Id, second.Problem!.Summary.Id);

        using var zrzy = await Centre.As("zrzy");
        var claimKey = Guid.NewGuid().ToString("N");
        var claim1 = await SendWithKey(zrzy, $"/api/problems/{first.Problem.Summary.Id}/claim", null, claimKey);
        var claim2 = await SendWithKey(zrzy, $"/api/problems/{first.Problem.Summary.Id}/claim", null, claimKey);
        Assert.Equal(HttpStatusCode.OK, claim1.Status);
        Assert.Equal(HttpStatusCode.OK, claim2.Status);

        var after = await GetAsync(first.Problem.Summary.Id);
        Assert.Equal([ProblemActions.Raised, ProblemActions.Claimed], after.History.Select(h => h.Action));
        var detail = await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{Project}", CommandCentre.Json);
        Assert.Single(detail!.Problems, p => p.Id == first.Problem.Summary.Id);
    }

    [Fact]
    public async Task A_command_needs_a_key_and_a_key_reused_for_another_request_is_a_409_that_changes_nothing()
    {
        var problem = await RaiseAsync();
        var id = problem.Summary.Id;
        using var zrzy = await Centre.As("zrzy", keyEveryCommand: false);
        using var missing = await zrzy.PostAsync($"/api/problems/{id}/claim", null);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var missingDetails = await ReadProblemDetails(missing);
        Assert.True(missingDetails.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal("command.key_required", missingDetails.GetProperty("code").GetString());

        var key = Guid.NewGuid().ToString("N");
        // A refused command changed nothing: its key carries the corrected request.
        Assert.Equal(HttpStatusCode.BadRequest, (await SendWithKey(zrzy, $"/api/problems/{id}/inputs", new { text = "" }, "first-" + key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendWithKey(zrzy, $"/api/problems/{id}/inputs", new { text = "认领前的说明" }, "first-" + key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendWithKey(zrzy, $"/api/problems/{id}/claim", null, key)).Status);
        var first = await SendWithKey(zrzy, $"/api/problems/{id}/inputs", new { text = "第一条进展" }, "input-" + key);
        var reused = await SendWithKey(zrzy, $"/api/problems/{id}/inputs", new { text = "另一条进展" }, "input-" + key);
        var retried = await SendWithKey(zrzy, $"/api/problems/{id}/inputs", new { text = "第一条进展" }, "input-" + key);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.Conflict, reused.Status);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        var after = await GetAsync(id);
        Assert.Equal([ProblemActions.Raised, ProblemActions.InputPosted, ProblemActions.Claimed, ProblemActions.InputPosted], after.History.Select(h => h.Action));
        Assert.Equal("认领前的说明", after.History[1].Note);
        Assert.Equal("第一条进展", after.History[^1].Note);

        using var anonymous = Centre.Anonymous();
        var openapi = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var claimParameters = openapi.GetProperty("paths").GetProperty("/api/problems/{id}/claim").GetProperty("post").GetProperty("parameters");
        Assert.Contains(claimParameters.EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task The_history_comes_from_the_event_log_and_the_lists_agree_with_the_problem()
    {
        var problem = await RaiseAsync();
        var id = problem.Summary.Id;
        using var zrzy = await Centre.As("zrzy");
        using var office = await Centre.As("office");
        Assert.Equal(HttpStatusCode.OK, (await zrzy.PostAsync($"/api/problems/{id}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await zrzy.PostAsJsonAsync($"/api/problems/{id}/inputs", new { text = "现场踏勘" })).StatusCode);

        var history = (await office.GetFromJsonAsync<List<LoggedHistoryEntry>>($"/api/problems/{id}/history", CommandCentre.Json))!;
        Assert.Equal([1L, 2L, 3L], history.Select(h => h.Sequence));
        Assert.Equal(["problem.raised", "problem.claimed", "problem.input-posted"], history.Select(h => h.Kind));
        Assert.Equal("zrzy", history[1].ActorUserName);
        Assert.Equal(ProblemStatus.InProgress, history[1].ToStatus);
        Assert.All(history.Skip(1).Zip(history), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));

        var page = await office.GetFromJsonAsync<JsonElement>($"/api/problems?project={Project}&status=InProgress&q={Uri.EscapeDataString(problem.Summary.Title)}", CommandCentre.Json);
        Assert.Contains(page.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == id && p.GetProperty("version").GetInt32() == 3);
        using var badLimit = await office.GetAsync("/api/problems?limit=5000");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.True((await ReadProblemDetails(badLimit)).GetProperty("errors").TryGetProperty("limit", out _));
        using var badStatus = await office.GetAsync("/api/problems?status=42");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.True((await ReadProblemDetails(badStatus)).GetProperty("errors").TryGetProperty("status", out _));
        using var badStage = await office.GetAsync("/api/projects?stage=Flying");
        Assert.Equal(HttpStatusCode.BadRequest, badStage.StatusCode);

        using var admin = await Centre.As("admin");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit", CommandCentre.Json);
        Assert.True(audit.GetProperty("verified").GetBoolean());
        Assert.True(audit.GetProperty("events").GetInt64() >= 3);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync("/api/admin/audit")).StatusCode);
    }

    [Fact]
    public async Task The_closed_loop_runs_through_with_a_history_of_every_step()
    {
        var problem = await RaiseAsync();
        var id = problem.Summary.Id;
        using var zrzy = await Centre.As("zrzy");
        using var office = await Centre.As("office");
        using var fgw = await Centre.As("fgw");

        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/problems/{id}/close", new { note = "too early" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await zrzy.PostAsync($"/api/problems/{id}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await zrzy.PostAsJsonAsync($"/api/problems/{id}/resolution", new { resolution = "已协调用地指标" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fgw.PostAsJsonAsync($"/api/problems/{id}/close", new { note = "not mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/problems/{id}/send-back", new { reason = "请补充材料" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await zrzy.PostAsJsonAsync($"/api/problems/{id}/resolution", new { resolution = "已补充材料" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/problems/{id}/close", new { note = "同意销号" })).StatusCode);

        var after = await GetAsync(id);
        Assert.Equal(ProblemStatus.Closed, after.Summary.Status);
        Assert.Equal(1, after.SendBackCount);
        Assert.Equal(
            [ProblemActions.Raised, ProblemActions.Claimed, ProblemActions.ResolutionSubmitted, ProblemActions.SentBack, ProblemActions.ResolutionSubmitted, ProblemActions.Closed],
            after.History.Select(h => h.Action));
        Assert.Equal(["office", "zrzy", "zrzy", "office", "zrzy", "office"], after.History.Select(h => h.Actor.UserName));
        Assert.Equal(Enumerable.Range(1, 6), after.History.Select(h => h.Sequence));
    }

    [Fact]
    public async Task Inboxes_list_the_problem_for_lead_and_assisting_departments_and_guard_other_readers()
    {
        var problem = await RaiseAsync(assisting: ["fgw"]);
        using var zrzy = await Centre.As("zrzy");
        using var fgw = await Centre.As("fgw");
        using var mayor = await Centre.As("mayor");

        var lead = await zrzy.GetFromJsonAsync<List<InboxLine>>("/api/departments/zrzy/inbox", CommandCentre.Json);
        var assisting = await fgw.GetFromJsonAsync<List<InboxLine>>("/api/departments/fgw/inbox", CommandCentre.Json);
        using var crossRead = await fgw.GetAsync("/api/departments/zrzy/inbox");
        using var leaderRead = await mayor.GetAsync("/api/departments/zrzy/inbox");

        Assert.Contains(lead!, l => l.Problem.Id == problem.Summary.Id && l.Involvement == Involvement.Lead);
        Assert.Contains(assisting!, l => l.Problem.Id == problem.Summary.Id && l.Involvement == Involvement.Assisting);
        Assert.Equal(HttpStatusCode.Forbidden, crossRead.StatusCode);
        Assert.Equal(HttpStatusCode.OK, leaderRead.StatusCode);
    }

    [Fact]
    public async Task The_api_needs_a_signed_in_user_and_locks_out_after_repeated_failures()
    {
        using var anonymous = Centre.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/projects")).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = "xzsp", password = "wrong-password" })).StatusCode);
        using var correct = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = "xzsp", password = Web.Demo.DemoCity.Password });

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.Unauthorized, correct.StatusCode);
        // A locked account answers exactly as a wrong password and an unknown name do: nobody learns which names exist.
        using var unknown = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = $"nobody-{Guid.NewGuid():N}", password = "wrong-password" });
        using var wrong = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = "zrzy2", password = "wrong-password" });
        static string Answer(JsonElement p) => $"{p.GetProperty("status")} {p.GetProperty("code")} {p.GetProperty("title")}";
        var locked = Answer(await ReadProblemDetails(correct));
        Assert.Equal(locked, Answer(await ReadProblemDetails(unknown)));
        Assert.Equal(locked, Answer(await ReadProblemDetails(wrong)));
        Assert.Contains("account.bad_credentials", locked);
        using var screen = await Centre.As("screen");
        Assert.Equal(HttpStatusCode.Forbidden, (await screen.PostAsJsonAsync($"/api/projects/{Project}/problems", Raise("大屏不能提报"))).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_health_and_demo_city_are_served()
    {
        using var anonymous = Centre.Anonymous();
        var openapi = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/problems/{id}/claim", out _));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);

        using var office = await Centre.As("office");
        var projects = await office.GetFromJsonAsync<JsonElement>("/api/projects?limit=500", CommandCentre.Json);
        var departments = await office.GetFromJsonAsync<List<JsonElement>>("/api/departments", CommandCentre.Json);
        var leaders = await office.GetFromJsonAsync<List<JsonElement>>("/api/leadership", CommandCentre.Json);
        Assert.Equal(120, projects.GetProperty("total").GetInt32());
        Assert.Equal(120, projects.GetProperty("items").GetArrayLength());
        Assert.Equal(25, departments!.Count);
        Assert.Equal(8, leaders!.Count);
        Assert.Equal(120, leaders.Sum(l => l.GetProperty("projectCodes").GetArrayLength()));
    }

    [Fact]
    public async Task Every_acknowledged_change_is_still_there_after_a_restart()
    {
        var problem = await RaiseAsync();
        using (var zrzy = await Centre.As("zrzy"))
        {
            (await zrzy.PostAsync($"/api/problems/{problem.Summary.Id}/claim", null)).EnsureSuccessStatusCode();
            (await zrzy.PostAsJsonAsync($"/api/problems/{problem.Summary.Id}/resolution", new { resolution = "重启前办结" })).EnsureSuccessStatusCode();
        }

        await Centre.RestartAsync();

        var after = await GetAsync(problem.Summary.Id);
        Assert.Equal(ProblemStatus.ResolutionSubmitted, after.Summary.Status);
        Assert.Equal("zrzy", after.ClaimedBy?.UserName);
        Assert.Equal([ProblemActions.Raised, ProblemActions.Claimed, ProblemActions.ResolutionSubmitted], after.History.Select(h => h.Action));
        using var zrzyAgain = await Centre.As("zrzy");
        var inbox = await zrzyAgain.GetFromJsonAsync<List<InboxLine>>("/api/departments/zrzy/inbox", CommandCentre.Json);
        Assert.Contains(inbox!, l => l.Problem.Id == problem.Summary.Id && l.Problem.Status == ProblemStatus.ResolutionSubmitted);
    }

    [Fact]
    public async Task A_hub_client_receives_each_change_numbered_in_order_and_anonymous_clients_are_refused()
    {
        using var office = await Centre.As("office");
        var token = office.DefaultRequestHeaders.Authorization!.Parameter!;
        var received = System.Threading.Channels.Channel.CreateUnbounded<LiveEvent>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Centre.BaseAddress, "/hubs/warroom"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();
        hub.On<List<LiveEvent>>("events", batch => batch.ForEach(e => received.Writer.TryWrite(e)));
        await hub.StartAsync();

        var problem = await RaiseAsync();
        using (var zrzy = await Centre.As("zrzy"))
            (await zrzy.PostAsync($"/api/problems/{problem.Summary.Id}/claim", null)).EnsureSuccessStatusCode();

        var mine = new List<LiveEvent>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in received.Reader.ReadAllAsync(limit.Token))
        {
            if (e.Change.SubjectId == problem.Summary.Id.ToString()) mine.Add(e);
            if (mine.Count == 2) break;
        }
        Assert.Equal(["problem.raised", "problem.claimed"], mine.Select(e => e.Change.Kind));
        Assert.True(mine[1].Sequence > mine[0].Sequence);
        Assert.Equal(mine[0].Epoch, mine[1].Epoch);

        await using var anonymous = new HubConnectionBuilder().WithUrl(new Uri(Centre.BaseAddress, "/hubs/warroom")).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    public sealed record InboxLine(ProblemSummary Problem, Involvement Involvement);

    private static object Raise(string title, IReadOnlyList<string>? assisting = null) => new
    {
        title,
        description = "测试问题",
        category = "Land",
        leadDepartmentId = "zrzy",
        assistingDepartmentIds = assisting ?? [],
    };

    private async Task<ProblemView> RaiseAsync(IReadOnlyList<string>? assisting = null)
    {
        using var office = await Centre.As("office");
        using var response = await office.PostAsJsonAsync($"/api/projects/{Project}/problems", Raise($"用地问题 {Guid.NewGuid():N}", assisting));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
    }

    private async Task<ProblemView> GetAsync(Guid id)
    {
        using var office = await Centre.As("office");
        return (await office.GetFromJsonAsync<ProblemView>($"/api/problems/{id}", CommandCentre.Json))!;
    }

    private static async Task<int> ProblemCount(HttpClient client) =>
        (await client.GetFromJsonAsync<ProjectDetail>($"/api/projects/{Project}", CommandCentre.Json))!.Problems.Count;

    private static async Task<(HttpStatusCode Status, ProblemView? Problem)> SendWithKey(HttpClient client, string path, object? body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        var view = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json) : null;
        return (response.StatusCode, view);
    }

    private static async Task<JsonElement> ReadProblemDetails(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

public sealed class EmbeddedProblemLoopApiTests(EmbeddedCommandCentre centre)
    : ProblemLoopApiTests<EmbeddedCommandCentre>(centre), IClassFixture<EmbeddedCommandCentre>;

public sealed class ClusterProblemLoopApiTests(ClusterCommandCentre centre)
    : ProblemLoopApiTests<ClusterCommandCentre>(centre), IClassFixture<ClusterCommandCentre>;
