using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;
using KeyProjects.Web.WarRoom;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KeyProjects.Tests.Api;

/// <summary>
/// Kill it and see: clients run chains of commands, each with its idempotency key, while the whole command centre is
/// killed with SIGKILL at random instants (five rounds); every client retries what was not acknowledged with the same
/// key until it is. Afterwards every problem, its project, its lead department's desk, the problem list, the console,
/// the war-room figures and the event log agree, and the audit chain verifies.
/// </summary>
public abstract class KillTests<TCentre>(TCentre centre) where TCentre : CommandCentre
{
    private const string Project = "2026-021";
    private const int Rounds = 5;
    private const int Clients = 3;
    /// <summary>At most this many chains, so every list the checks read (a section shows 100 rows) holds them all.</summary>
    private const int MaxChains = 80;

    /// <summary>One problem's chain of commands: who sends each, where, with what.</summary>
    private static readonly (string User, string Action, Func<int, object?> Body)[] Chain =
    [
        ("office", "raise", n => new { title = $"KILLTEST-{n:D3} 用地报批", description = "杀进程测试", category = "Land", leadDepartmentId = "zrzy" }),
        ("zrzy", "claim", _ => null),
        ("zrzy", "inputs", n => new { text = $"进展 {n}" }),
        ("zrzy", "return", _ => new { reason = "Function", text = "不属本单位职能" }),
        ("office", "route", _ => new { leadDepartmentId = "fgw" }),
        ("fgw", "return", _ => new { reason = "Ownership", text = "不属本单位权属" }),
    ];

    private readonly ConcurrentDictionary<Guid, int> _acknowledgedSteps = new();
    private int _retries;

    /// <summary>How many commands were sent again after a failure (a kill caught them).</summary>
    protected int Retries => Volatile.Read(ref _retries);

    protected TCentre Centre => centre;

    [Fact]
    public async Task Commands_with_keys_killed_at_random_instants_leave_every_view_in_step()
    {
        var random = new Random(20261125);
        var stop = new CancellationTokenSource();
        var next = 0;
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref next) is var n && n <= MaxChains) await RunChain(n, stop.Token);
        })).ToList();

        for (var round = 0; round < Rounds; round++)
        {
            await Task.Delay(random.Next(300, 2500));
            await centre.RestartAsync(); // SIGKILL, wherever the commands are, then start on the same storage
        }
        await Task.Delay(random.Next(300, 1500));
        stop.Cancel();
        await Task.WhenAll(clients);
        Assert.True(_retries > 0, "No command was caught by a kill: the test proved nothing.");
        Assert.True(_acknowledgedSteps.Count >= Clients, $"Only {_acknowledgedSteps.Count} problems were raised.");

        await CheckEverythingAgrees();
    }

    [Fact]
    public async Task A_hub_client_connected_before_a_restart_resumes_from_its_position_without_a_snapshot_or_a_gap()
    {
        var token = await TokenOf("screen");
        WarRoomSnapshot before;
        long lastSeen;
        await using (var hub = await Connect(token))
        {
            before = await hub.InvokeAsync<WarRoomSnapshot>("GetSnapshot");
            var first = await SendUntilAcknowledged("office", $"/api/projects/{Project}/problems", new { title = "重启前", description = "续传测试", category = "Land", leadDepartmentId = "zrzy" }, Guid.NewGuid().ToString("N"));
            var seen = await hub.InvokeAsync<WarRoomResume>("Resume", before.Epoch, before.Sequence);
            Assert.Contains(seen.Missed, e => e.Change.SubjectId == first.Summary.Id.ToString());
            lastSeen = seen.Sequence;
        }

        await centre.RestartAsync();
        var after = await SendUntilAcknowledged("office", $"/api/projects/{Project}/problems", new { title = "重启后", description = "续传测试", category = "Land", leadDepartmentId = "zrzy" }, Guid.NewGuid().ToString("N"));

        await using var again = await Connect(await TokenOf("screen"));
        var resume = await again.InvokeAsync<WarRoomResume>("Resume", before.Epoch, lastSeen);
        Assert.Null(resume.Snapshot);
        Assert.Equal(before.Epoch, resume.Epoch);
        Assert.Equal(Enumerable.Range(1, resume.Missed.Count).Select(i => lastSeen + i), resume.Missed.Select(e => e.Sequence));
        Assert.Contains(resume.Missed, e => e.Change.SubjectId == after.Summary.Id.ToString() && e.Change.Kind == "problem.raised");
    }

    private async Task<string> TokenOf(string user)
    {
        using var anonymous = centre.Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = user, password = KeyProjects.Web.Demo.DemoCity.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private async Task<Microsoft.AspNetCore.SignalR.Client.HubConnection> Connect(string token)
    {
        var hub = new Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilder()
            .WithUrl(new Uri(centre.BaseAddress, "/hubs/warroom"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();
        await hub.StartAsync();
        return hub;
    }

    /// <summary>Runs one problem's chain as far as it gets before the stop (a started command always finishes).</summary>
    private async Task RunChain(int n, CancellationToken stop)
    {
        Guid? id = null;
        for (var step = 0; step < Chain.Length && !stop.IsCancellationRequested; step++)
        {
            var (user, action, body) = Chain[step];
            var path = id is null ? $"/api/projects/{Project}/problems" : $"/api/problems/{id}/{action}";
            var view = await SendUntilAcknowledged(user, path, body(n), $"kill-{n}-{step}");
            id ??= view.Summary.Id;
            _acknowledgedSteps[id.Value] = step + 1;
        }
    }

    private Task<ProblemView> SendUntilAcknowledged(string user, string path, object? body, string key) =>
        SendUntilAcknowledged<ProblemView>(user, path, body, key);

    /// <summary>Sends a command and, on any failure of the transport or the server, the very same command again.</summary>
    protected async Task<T> SendUntilAcknowledged<T>(string user, string path, object? body, string key)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 600) throw new TimeoutException($"{path} ({key}) was never acknowledged.");
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(200);
            }
            try
            {
                using var client = await centre.As(user);
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500) continue;
                Assert.True(response.IsSuccessStatusCode, $"{path} ({key}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return (await response.Content.ReadFromJsonAsync<T>(CommandCentre.Json))!;
            }
            catch (HttpRequestException)
            {
                // killed: the same command goes again once it is back
            }
            catch (TaskCanceledException)
            {
                // timed out: the outcome is unknown, so the same command goes again
            }
        }
    }

    private static readonly string[] StepActions =
        [ProblemActions.Raised, ProblemActions.Claimed, ProblemActions.InputPosted, ProblemActions.Returned, ProblemActions.Routed, ProblemActions.RulingRequested];

    private async Task CheckEverythingAgrees()
    {
        using var office = await centre.As("office");
        using var admin = await centre.As("admin");
        var list = (await office.GetFromJsonAsync<Page<ProblemSummary>>("/api/problems?q=KILLTEST-&limit=500", CommandCentre.Json))!;
        Assert.Equal(_acknowledgedSteps.Count, list.Total);
        var console = (await office.GetFromJsonAsync<ConsoleView>("/api/console", CommandCentre.Json))!;
        var desks = new Dictionary<string, DeskView>();

        foreach (var (id, steps) in _acknowledgedSteps)
        {
            var problem = (await office.GetFromJsonAsync<ProblemView>($"/api/problems/{id}", CommandCentre.Json))!;
            var summary = problem.Summary;
            // Every acknowledged command is applied once, in order; nothing else.
            Assert.Equal(StepActions.Take(steps), problem.History.Select(h => h.Action));

            // The log has each of the problem's events once, numbered 1..n, chained.
            var history = (await office.GetFromJsonAsync<List<LoggedHistoryEntry>>($"/api/problems/{id}/history", CommandCentre.Json))!;
            Assert.Equal(Enumerable.Range(1, problem.History.Count).Select(i => (long)i), history.Select(h => h.Sequence));
            Assert.Equal(problem.History.Select(h => "problem." + h.Action), history.Select(h => h.Kind));

            // The list, the project and the lead department's desk show the problem as it is.
            var listed = Assert.Single(list.Items, p => p.Id == id);
            Assert.Equal((summary.Status, summary.Version, summary.LeadDepartmentId), (listed.Status, listed.Version, listed.LeadDepartmentId));
            var project = (await office.GetFromJsonAsync<ProjectDetail>($"/api/projects/{Project}", CommandCentre.Json))!;
            Assert.Equal(summary.Version, Assert.Single(project.Problems, p => p.Id == id).Version);
            if (summary.LeadDepartmentId.Length > 0)
            {
                if (!desks.TryGetValue(summary.LeadDepartmentId, out var desk))
                    desks[summary.LeadDepartmentId] = desk = (await office.GetFromJsonAsync<DeskView>($"/api/departments/{summary.LeadDepartmentId}/desk", CommandCentre.Json))!;
                Assert.Equal(summary.Version, Assert.Single(desk.Lead, p => p.Id == id).Version);
            }

            // The console lists exactly what waits for the office.
            Assert.Equal(summary.Status == ProblemStatus.Unrouted, console.Unrouted.Any(p => p.Id == id));
            Assert.Equal(summary.Status == ProblemStatus.AwaitingRuling, console.AwaitingRuling.Any(p => p.Id == id));
        }

        // The war room's figures (the host's view, kept current from the events) come to the same counts as the list's.
        var open = (await office.GetFromJsonAsync<Page<ProblemSummary>>("/api/problems?open=true&limit=1", CommandCentre.Json))!;
        var red = (await office.GetFromJsonAsync<Page<ProblemSummary>>("/api/problems?open=true&light=Red&limit=1", CommandCentre.Json))!;
        await Eventually.Get(
            async () => (await office.GetFromJsonAsync<WarRoomSnapshot>("/api/warroom", CommandCentre.Json))!.Headline,
            h => h.OpenProblems == open.Total && h.Red == red.Total, "the war room's figures agreeing with the problem list");

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit", CommandCentre.Json);
        Assert.True(audit.GetProperty("verified").GetBoolean(), audit.ToString());
    }
}

public sealed class EmbeddedKillTests(EmbeddedCommandCentre centre) : KillTests<EmbeddedCommandCentre>(centre), IClassFixture<EmbeddedCommandCentre>;

public sealed class ClusterKillTests(ClusterCommandCentre centre) : KillTests<ClusterCommandCentre>(centre), IClassFixture<ClusterCommandCentre>
{
    /// <summary>
    /// An import of 300 projects killed (SIGKILL) while it registers them: after the restart it goes on by itself and
    /// completes; every project is in the library once, with its leader's 包联 list holding it.
    /// </summary>
    [Fact]
    public async Task An_import_killed_half_way_completes_after_the_restart_with_every_project_once()
    {
        var tag = $"KILLIMP-{Random.Shared.Next(100_000, 1_000_000)}";
        var file = ProjectFiles.Workbook(Enumerable.Range(1, 300).Select(n => ProjectFiles.Row($"{tag}-{n:000}", n)));
        Uri status;
        using (var office = await Centre.As("office", keyEveryCommand: false))
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects/import") { Content = ProjectFiles.Upload(file) })
        {
            request.Headers.Add("Idempotency-Key", tag);
            using var accepted = await office.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            status = accepted.Headers.Location!;
            var underWay = await Eventually.Get(() => office.GetFromJsonAsync<KeyProjects.Grains.Projects.ProjectImportStatus>(status, CommandCentre.Json),
                s => s!.Done > 0, "the import under way");
            Assert.False(underWay!.Completed, "the import was over before the kill: the test proved nothing");
        }
        await Centre.RestartAsync(); // SIGKILL mid-import
        Centre.ForgetSignIns();

        using var again = await Centre.As("office");
        var done = await Eventually.Get(() => again.GetFromJsonAsync<KeyProjects.Grains.Projects.ProjectImportStatus>(status, CommandCentre.Json),
            s => s!.Completed, "the import completes after the restart", TimeSpan.FromMinutes(3));
        Assert.Equal((300, 0), (done!.Total, done.Refused));
        await Eventually.Get(() => again.GetFromJsonAsync<Page<KeyProjects.Grains.Projects.ProjectSummary>>($"/api/projects?q={tag}&limit=500", CommandCentre.Json),
            page => page!.Total == 300, "the library lists the 300 projects");
        var leaders = (await again.GetFromJsonAsync<List<KeyProjects.Grains.Leadership.LeaderAssignment>>("/api/leadership", CommandCentre.Json))!;
        Assert.Equal(300, leaders.Single(l => l.Leader.Name == "张建国").ProjectCodes.Count(c => c.StartsWith(tag, StringComparison.Ordinal)));
    }

    /// <summary>
    /// A live meeting's presenter moves, departments post and decisions are recorded while the whole system is killed
    /// (SIGKILL) three times; each command is retried with its key until acknowledged. Afterwards each decision is
    /// recorded once and became exactly one order (none lost between the order and the meeting's write, none twice),
    /// every post is there once, the meeting's list row is at the meeting's version, and the audit chain verifies.
    /// </summary>
    [Fact]
    public async Task A_meeting_killed_while_deciding_records_each_decision_once_with_its_work()
    {
        var tag = Random.Shared.Next(100_000, 1_000_000);
        var marker = $"杀进程会议{tag}";
        var keys = $"meeting-kill-{tag}"; // idempotency keys are header values: ASCII
        var meeting = await SendUntilAcknowledged<KeyProjects.Grains.Meetings.MeetingView>("office", "/api/meetings",
            new { kind = "JointMeeting", series = marker, scheduledAt = DateTimeOffset.UtcNow, attendeeDepartmentIds = new[] { "zrzy" } }, keys + "-schedule");
        var id = meeting.Summary.Id;
        for (var i = 0; i < 4; i++)
            await SendUntilAcknowledged<JsonElement>("office", $"/api/meetings/{id}/agenda", new { title = $"{marker} 议题 {i}", departmentId = "zrzy", projectCode = "2026-021" }, $"{keys}-item-{i}");
        var items = (await SendUntilAcknowledged<KeyProjects.Grains.Meetings.MeetingView>("office", $"/api/meetings/{id}/start", null, keys + "-start"))
            .Agenda.Where(i => i.Source == KeyProjects.Grains.Meetings.AgendaSource.Added).Select(i => i.Id).ToList();

        var decided = 0;
        var posted = 0;
        var stop = new CancellationTokenSource();
        var presenter = Task.Run(async () =>
        {
            for (var k = 0; !stop.IsCancellationRequested && k < 60; k++)
            {
                await SendUntilAcknowledged<JsonElement>("office", $"/api/meetings/{id}/current", new { itemId = items[k % items.Count] }, $"{keys}-move-{k}");
                await SendUntilAcknowledged<JsonElement>("zrzy", $"/api/meetings/{id}/status", new { text = $"{marker} 汇报 {k}" }, $"{keys}-post-{k}");
                posted++;
                // Decisions alternate: a problem routed to zrzy, an order to zrzy.
                await SendUntilAcknowledged<JsonElement>("office", $"/api/meetings/{id}/decisions",
                    new { kind = k % 2 == 0 ? "Problem" : "SupervisionOrder", text = $"{marker} 议定 {k}", departmentId = "zrzy", deadline = DateTimeOffset.UtcNow.AddDays(10) },
                    $"{keys}-decide-{k}");
                decided++;
            }
        });
        var random = new Random(20261207);
        for (var round = 0; round < 3; round++)
        {
            await Task.Delay(random.Next(500, 2500));
            await Centre.RestartAsync();
        }
        await Task.Delay(random.Next(300, 1500));
        stop.Cancel();
        await presenter;
        Assert.True(Retries > 0, "No command was caught by a kill: the test proved nothing.");
        Assert.True(decided > 0, "No decision was recorded.");

        using var office = await Centre.As("office");
        var detail = (await office.GetFromJsonAsync<MeetingDetail>($"/api/meetings/{id}", CommandCentre.Json))!;
        var decisions = detail.Meeting.Decisions;
        Assert.Equal(Enumerable.Range(0, decided).Select(k => $"{marker} 议定 {k}"), decisions.Select(d => d.Text));
        Assert.Equal(decided, decisions.Select(d => d.WorkId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, posted).Select(k => $"{marker} 汇报 {k}"), detail.Meeting.Posts.Select(p => p.Text));
        // Exactly the work the decisions name: no order or problem created twice or left without its decision.
        var orders = (await office.GetFromJsonAsync<List<KeyProjects.Grains.Directives.DirectiveSummary>>("/api/directives", CommandCentre.Json))!
            .Where(d => d.Text.StartsWith(marker, StringComparison.Ordinal)).ToList();
        var problems = (await office.GetFromJsonAsync<Page<ProblemSummary>>($"/api/problems?q={Uri.EscapeDataString(marker)}&limit=500", CommandCentre.Json))!;
        Assert.True(orders.Count < 90, "the order list is near its section limit: the check could miss one");
        Assert.Equal(decisions.Where(d => d.Kind == KeyProjects.Grains.Meetings.DecisionKind.SupervisionOrder).Select(d => d.WorkId).Order(), orders.Select(o => o.Id).Order());
        Assert.Equal(decisions.Where(d => d.Kind == KeyProjects.Grains.Meetings.DecisionKind.Problem).Select(d => d.WorkId).Order(), problems.Items.Select(p => p.Id).Order());
        Assert.All(problems.Items, p => Assert.Equal("zrzy", p.LeadDepartmentId));
        await Eventually.Get(async () => (await office.GetFromJsonAsync<List<KeyProjects.Grains.Meetings.MeetingSummary>>("/api/meetings", CommandCentre.Json))!
                .Single(m => m.Id == id).Version,
            version => version == detail.Meeting.Summary.Version, "the meeting's list row at the meeting's version");
        using var admin = await Centre.As("admin");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit", CommandCentre.Json);
        Assert.True(audit.GetProperty("verified").GetBoolean(), audit.ToString());
    }
}
