using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using KeyProjects.Grains.Live;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.WarRoom;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;
using KeyProjects.Web.WarRoom;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KeyProjects.Tests.Api;

/// <summary>The war-room hub and API over real HTTP and real SignalR clients, against the embedded command centre.</summary>
public sealed class WarRoomHubTests(EmbeddedCommandCentre centre) : IClassFixture<EmbeddedCommandCentre>
{
    [Fact]
    public async Task A_client_that_reconnects_with_its_last_sequence_number_gets_what_it_missed_in_order()
    {
        var token = await TokenOf("office");
        WarRoomSnapshot before;
        await using (var first = await Connect(token))
            before = await first.InvokeAsync<WarRoomSnapshot>("GetSnapshot");

        // While the client is away: a problem is raised and claimed.
        var problem = await Raise("断线补发");
        using (var zrzy = await centre.As("zrzy"))
            (await zrzy.PostAsync($"/api/problems/{problem.Summary.Id}/claim", null)).EnsureSuccessStatusCode();

        await using var again = await Connect(token);
        var resume = await again.InvokeAsync<WarRoomResume>("Resume", before.Epoch, before.Sequence);

        Assert.Null(resume.Snapshot);
        Assert.Equal(before.Epoch, resume.Epoch);
        Assert.Equal(Enumerable.Range(1, resume.Missed.Count).Select(i => before.Sequence + i), resume.Missed.Select(e => e.Sequence));
        Assert.Equal(resume.Sequence, resume.Missed[^1].Sequence);
        var mine = resume.Missed.Where(e => e.Change.SubjectId == problem.Summary.Id.ToString()).Select(e => e.Change.Kind);
        Assert.Equal(["problem.raised", "problem.claimed"], mine);
    }

    [Fact]
    public async Task A_client_from_another_epoch_gets_a_fresh_snapshot_instead()
    {
        await using var hub = await Connect(await TokenOf("screen"));
        var resume = await hub.InvokeAsync<WarRoomResume>("Resume", Guid.NewGuid(), 42L);

        Assert.Empty(resume.Missed);
        Assert.NotNull(resume.Snapshot);
        Assert.Equal(resume.Snapshot.Sequence, resume.Sequence);
        Assert.Equal(120, resume.Snapshot.Headline.Projects);
        Assert.Equal(120, resume.Snapshot.Stages.Sum(s => s.Count));
    }

    [Fact]
    public async Task A_messagepack_client_gets_the_same_events_snapshots_and_catch_up_as_a_json_client()
    {
        var token = await TokenOf("screen");
        var received = Channel.CreateUnbounded<LiveEvent>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(centre.BaseAddress, "/hubs/warroom"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol()
            .Build();
        hub.On<List<LiveEvent>>("events", batch => batch.ForEach(e => received.Writer.TryWrite(e)));
        await hub.StartAsync();
        var snapshot = await hub.InvokeAsync<WarRoomSnapshot>("GetSnapshot");
        Assert.Equal(120, snapshot.Headline.Projects);
        Assert.Equal(Enum.GetValues<KeyProjects.Grains.Domain.ProjectStage>().Length, snapshot.Stages.Count);

        var problem = await Raise("二进制协议");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in received.Reader.ReadAllAsync(limit.Token))
            if (e.Change.SubjectId == problem.Summary.Id.ToString()) break;

        var resume = await hub.InvokeAsync<WarRoomResume>("Resume", snapshot.Epoch, snapshot.Sequence);
        Assert.Null(resume.Snapshot);
        Assert.Contains(resume.Missed, e => e.Change.SubjectId == problem.Summary.Id.ToString() && e.Change.Kind == "problem.raised");
    }

    [Fact]
    public async Task Every_client_receives_every_event_once_in_order_while_commands_run_concurrently()
    {
        var clients = new List<(HubConnection Hub, Channel<LiveEvent> Received)>();
        try
        {
            foreach (var user in new[] { "office", "screen", "mayor" })
            {
                var received = Channel.CreateUnbounded<LiveEvent>();
                var hub = Build(await TokenOf(user));
                hub.On<List<LiveEvent>>("events", batch => batch.ForEach(e => received.Writer.TryWrite(e)));
                await hub.StartAsync();
                clients.Add((hub, received));
            }

            // Twelve problems raised at once by two users.
            using var office = await centre.As("office");
            using var leader = await centre.As("mayor");
            var raised = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
            {
                var response = await (i % 2 == 0 ? office : leader).PostAsJsonAsync("/api/projects/2026-061/problems",
                    new { title = $"并发大屏 {i} {Guid.NewGuid():N}"[..16], description = "", category = "Funds", leadDepartmentId = "czj" });
                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!.Summary.Id.ToString();
            }));

            foreach (var (_, received) in clients)
            {
                var seen = new List<LiveEvent>();
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await foreach (var e in received.Reader.ReadAllAsync(limit.Token))
                {
                    seen.Add(e);
                    if (raised.All(id => seen.Any(s => s.Change.SubjectId == id && s.Change.Kind == "problem.raised"))) break;
                }
                // Gapless and without duplicates: each number once, one more than the one before.
                Assert.Equal(Enumerable.Range(0, seen.Count).Select(i => seen[0].Sequence + i), seen.Select(e => e.Sequence));
                Assert.Single(seen.Select(e => e.Epoch).Distinct());
            }
        }
        finally
        {
            foreach (var (hub, _) in clients) await hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_kiosk_token_opens_the_hub_and_the_screen_read_only_until_an_admin_revokes_it()
    {
        using var admin = await centre.As("admin");
        var issue = await admin.PostAsJsonAsync("/api/kiosk-tokens", new { name = "会议室大屏" });
        Assert.Equal(HttpStatusCode.Created, issue.StatusCode);
        var issued = (await issue.Content.ReadFromJsonAsync<IssuedKioskToken>(CommandCentre.Json))!;
        Assert.StartsWith("kiosk_", issued.Secret);

        // The hub, with the token in the header (.NET client) and in the query (browsers' WebSockets).
        await using (var hub = await Connect(issued.Secret!))
            Assert.Equal(120, (await hub.InvokeAsync<WarRoomSnapshot>("GetSnapshot")).Headline.Projects);
        await using (var viaQuery = new HubConnectionBuilder()
            .WithUrl(new Uri(centre.BaseAddress, $"/hubs/warroom?access_token={issued.Secret}"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build())
        {
            await viaQuery.StartAsync();
            Assert.Equal(HubConnectionState.Connected, viaQuery.State);
        }

        // Read-only: the token changes nothing; it reads the screen but not the records behind figures.
        using var kiosk = centre.Anonymous();
        kiosk.DefaultRequestHeaders.Authorization = new("Bearer", issued.Secret);
        Assert.Equal(HttpStatusCode.OK, (await kiosk.GetAsync("/api/warroom")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kiosk.GetAsync("/api/warroom/figures/red")).StatusCode);
        var raise = await kiosk.PostAsJsonAsync("/api/projects/2026-061/problems", new { title = "大屏不能提报", description = "", category = "Funds" });
        Assert.Equal(HttpStatusCode.Forbidden, raise.StatusCode);

        // A wall browser signs in once with the token and keeps a cookie.
        var cookies = new CookieContainer();
        using var wall = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = centre.BaseAddress };
        var signIn = await wall.GetAsync($"/kiosk?token={issued.Secret}");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/screen", signIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await wall.GetAsync("/api/warroom")).StatusCode);

        // Revoked: the header, the cookie and a new sign-in are all refused.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/kiosk-tokens/{issued.Token.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await kiosk.GetAsync("/api/warroom")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wall.GetAsync("/api/warroom")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wall.GetAsync($"/kiosk?token={issued.Secret}")).StatusCode);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(async () => await Connect(issued.Secret!));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var listed = await admin.GetFromJsonAsync<List<KioskToken>>("/api/kiosk-tokens", CommandCentre.Json);
        Assert.False(listed!.Single(t => t.Id == issued.Token.Id).IsActive);

        // Issued and revoked are events in the log with who and when, never the secret.
        var history = (await admin.GetFromJsonAsync<List<KeyProjects.Web.Services.LoggedHistoryEntry>>("/api/kiosk-tokens/history", CommandCentre.Json))!
            .Where(h => h.Note == "会议室大屏").ToList();
        Assert.Equal(["kiosk.token-revoked", "kiosk.token-issued"], history.Take(2).Select(h => h.Kind));
        Assert.All(history, h => Assert.Equal("admin", h.ActorUserName));
        Assert.DoesNotContain(issued.Secret!, await (await admin.GetAsync("/api/kiosk-tokens/history")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_an_admin_issues_kiosk_tokens_and_a_bad_request_names_the_field_and_changes_nothing()
    {
        using var admin = await centre.As("admin");
        var before = (await admin.GetFromJsonAsync<List<KioskToken>>("/api/kiosk-tokens", CommandCentre.Json))!.Count;

        var blank = await admin.PostAsJsonAsync("/api/kiosk-tokens", new { name = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.True((await blank.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _));

        using var office = await centre.As("office");
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync("/api/kiosk-tokens", new { name = "项目办自发" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync("/api/kiosk-tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/kiosk-tokens/nope")).StatusCode);

        Assert.Equal(before, (await admin.GetFromJsonAsync<List<KioskToken>>("/api/kiosk-tokens", CommandCentre.Json))!.Count);
    }

    [Fact]
    public async Task A_page_of_another_origin_cannot_open_the_hub_but_the_command_centre_s_own_pages_can()
    {
        var token = await TokenOf("office");
        var foreign = await Assert.ThrowsAsync<HttpRequestException>(async () => await Connect(token, origin: "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);

        await using var own = await Connect(token, origin: centre.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HubConnectionState.Connected, own.State);
    }

    [Fact]
    public async Task Every_headline_figure_drills_down_to_the_records_that_make_it_up()
    {
        using var office = await centre.As("office");
        var snapshot = (await office.GetFromJsonAsync<WarRoomSnapshot>("/api/warroom", CommandCentre.Json))!;
        var h = snapshot.Headline;
        foreach (var (figure, count) in new[]
        {
            ("projects", h.Projects), ("planned-to-start", h.PlannedToStart), ("started", h.Started), ("open", h.OpenProblems),
            ("green", h.Green), ("yellow", h.Yellow), ("red", h.Red), ("overdue", h.Overdue), ("escalated", h.Escalated),
            ("orders", h.OpenOrders), ("stage:UnderConstruction", snapshot.Stages.Single(s => s.Stage == KeyProjects.Grains.Domain.ProjectStage.UnderConstruction).Count),
        })
        {
            var records = await office.GetFromJsonAsync<List<FigureRecord>>($"/api/warroom/figures/{figure}", CommandCentre.Json);
            Assert.True(count == records!.Count, $"{figure}: the figure says {count}, its records are {records.Count}");
        }
        Assert.True(h.Projects > 0 && h.OpenProblems > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync("/api/warroom/figures/made-up")).StatusCode);
        using var department = await centre.As("fgw");
        Assert.Equal(HttpStatusCode.Forbidden, (await department.GetAsync("/api/warroom/figures/red")).StatusCode);
    }

    private async Task<ProblemView> Raise(string title)
    {
        using var office = await centre.As("office");
        var response = await office.PostAsJsonAsync("/api/projects/2026-061/problems",
            new { title = $"{title} {Guid.NewGuid():N}"[..16], description = "", category = "Land", leadDepartmentId = "zrzy" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
    }

    [Fact]
    public async Task Only_the_war_rooms_readers_join_the_hub_and_a_disabled_account_or_revoked_kiosk_token_is_cut_off()
    {
        // A project reporter and a department are not the war room's readers: refused at the door.
        foreach (var outsider in new[] { "reporter", "zrzy" })
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(async () => await (await Connect(await TokenOf(outsider))).DisposeAsync());
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // An office account made for the test, and a kiosk token, each with an open connection.
        using var admin = await centre.As("admin");
        var name = $"hubuser{Random.Shared.Next(100_000, 1_000_000)}";
        (await admin.PostAsJsonAsync("/api/admin/users", new { userName = name, displayName = "项目办 临时", role = "Office", password = "Hub-2026-office" })).EnsureSuccessStatusCode();
        using var user = await centre.As(name, password: "Hub-2026-office");
        var kiosk = await (await admin.PostAsJsonAsync("/api/kiosk-tokens", new { name = "会议室大屏" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        await using var byUser = await Connect(user.DefaultRequestHeaders.Authorization!.Parameter!);
        await using var byKiosk = await Connect(kiosk.GetProperty("secret").GetString()!);
        var userClosed = new TaskCompletionSource();
        var kioskClosed = new TaskCompletionSource();
        byUser.Closed += _ => { userClosed.TrySetResult(); return Task.CompletedTask; };
        byKiosk.Closed += _ => { kioskClosed.TrySetResult(); return Task.CompletedTask; };
        Assert.NotNull(await byUser.InvokeAsync<WarRoomSnapshot>("GetSnapshot"));
        Assert.NotNull(await byKiosk.InvokeAsync<WarRoomSnapshot>("GetSnapshot"));

        // The account is disabled: its open connection is closed at the next check (every 2 s here, 60 s by default);
        // the kiosk's stays until its token is revoked, then it is closed too.
        (await admin.PostAsync($"/api/admin/users/{name}/disable", null)).EnsureSuccessStatusCode();
        await userClosed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HubConnectionState.Connected, byKiosk.State);
        (await admin.DeleteAsync($"/api/kiosk-tokens/{kiosk.GetProperty("token").GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
        await kioskClosed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HubConnectionState.Disconnected, byUser.State);
    }

    private async Task<string> TokenOf(string user)
    {
        using var client = await centre.As(user);
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    private HubConnection Build(string token, string? origin = null) => new HubConnectionBuilder()
        .WithUrl(new Uri(centre.BaseAddress, "/hubs/warroom"), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            if (origin is not null) o.Headers["Origin"] = origin;
        })
        .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
        .Build();

    private async Task<HubConnection> Connect(string token, string? origin = null)
    {
        var hub = Build(token, origin);
        try
        {
            await hub.StartAsync();
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }
}
