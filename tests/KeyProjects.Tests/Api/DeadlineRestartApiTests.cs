using System.Net;
using System.Net.Http.Json;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Notifications;
using KeyProjects.Grains.Problems;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Services;

namespace KeyProjects.Tests.Api;

/// <summary>
/// Durable deadlines across a restart of the whole system: a problem dispatched on Thursday 17 Sep 2026 is breached by
/// Tuesday 22 Sep; the system is down in between. After the restart its reminder fires, the breach is recorded and the
/// project's responsible leader is alerted (bell and outbound record); a paused problem does not breach.
/// </summary>
public abstract class DeadlineRestartApiTests<TCentre>(TCentre centre) where TCentre : CommandCentre
{
    public static readonly DateTimeOffset Dispatch = new(2026, 9, 17, 10, 0, 0, TimeSpan.FromHours(8));
    public static readonly DateTimeOffset AfterBreach = new(2026, 9, 22, 9, 0, 0, TimeSpan.FromHours(8));

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body, CommandCentre.Json);

    [Fact]
    public async Task A_breach_alerts_the_responsible_leader_after_a_restart_and_a_paused_deadline_does_not_breach()
    {
        var office = await centre.As("office");
        using var zrzy = await centre.As("zrzy");
        var leadership = (await office.GetFromJsonAsync<List<LeaderAssignment>>("/api/leadership", CommandCentre.Json))!;
        var project = leadership.Single(m => m.Leader.UserName == "vicemayor").ProjectCodes[0];

        async Task<ProblemView> Raise(string title)
        {
            using var response = await Post(office, $"/api/projects/{project}/problems",
                new RaiseProblemRequest(title, "", ProblemCategory.Land, "zrzy", [], null, null));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<ProblemView>(CommandCentre.Json))!;
        }
        var breaching = await Raise("土地征收补偿标准待定");
        var paused = await Raise("等待省厅用地批复");
        Assert.Equal(new DateTimeOffset(2026, 9, 21, 0, 0, 0, TimeSpan.FromHours(8)), breaching.Summary.ClaimDeadline);
        Assert.Equal(HttpStatusCode.OK, (await Post(zrzy, $"/api/problems/{paused.Summary.Id}/pause-request", new { reason = "等待省自然资源厅批复" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(office, $"/api/problems/{paused.Summary.Id}/pause-decision", new { approve = true })).StatusCode);

        centre.ClockStartAt = AfterBreach;
        await centre.RestartAsync();
        centre.ForgetSignIns(); // tokens issued five days ago (by the system's clock) have expired
        office.Dispose();
        office = await centre.As("office");

        using var vicemayor = await centre.As("vicemayor");
        var bell = await Eventually.Get(
            async () => (await vicemayor.GetFromJsonAsync<BellView>("/api/me/notifications", CommandCentre.Json))!,
            b => b.Entries.Any(e => e.Notification.Kind == "problem." + ProblemActions.EscalatedToLeader && e.Notification.Link!.EndsWith(breaching.Summary.Id.ToString())),
            "the responsible leader's alert after the restart");
        Assert.True(bell.Unread > 0);

        var breached = (await office.GetFromJsonAsync<ProblemView>($"/api/problems/{breaching.Summary.Id}", CommandCentre.Json))!;
        Assert.True(breached.Summary.Overdue);
        Assert.Equal(WarningLight.Red, breached.Summary.Light.Light);
        Assert.Single(breached.History, h => h.Action == ProblemActions.DeadlineBreached);
        var outbox = (await office.GetFromJsonAsync<List<OutboundMessage>>("/api/outbox?take=2000", CommandCentre.Json))!;
        Assert.Contains(outbox, m => m.MailboxId == Mailboxes.ForUser("vicemayor") && m.NotificationId.StartsWith($"problem:{breaching.Summary.Id}:"));

        // The paused problem has no running deadline and no reminder, and did not breach.
        var stillPaused = (await office.GetFromJsonAsync<ProblemView>($"/api/problems/{paused.Summary.Id}", CommandCentre.Json))!;
        Assert.Equal(PauseState.Paused, stillPaused.Summary.Pause);
        Assert.Null(stillPaused.NextDeadlineLook);
        Assert.DoesNotContain(stillPaused.History, h => h.Action == ProblemActions.DeadlineBreached);
        Assert.False(stillPaused.Summary.Overdue);

        // Marking the bell read brings the unread count to zero for this reader only.
        using var read = await vicemayor.PostAsync("/api/me/notifications/read", null);
        Assert.Equal(0, (await read.Content.ReadFromJsonAsync<BellView>(CommandCentre.Json))!.Unread);
        office.Dispose();
    }
}

public sealed class DeadlineEmbeddedCentre : EmbeddedCommandCentre
{
    public DeadlineEmbeddedCentre() => ClockStartAt = DeadlineRestartApiTests<DeadlineEmbeddedCentre>.Dispatch;
}

public sealed class DeadlineClusterCentre : ClusterCommandCentre
{
    public DeadlineClusterCentre() => ClockStartAt = DeadlineRestartApiTests<DeadlineClusterCentre>.Dispatch;
}

public sealed class EmbeddedDeadlineRestartApiTests(DeadlineEmbeddedCentre centre)
    : DeadlineRestartApiTests<DeadlineEmbeddedCentre>(centre), IClassFixture<DeadlineEmbeddedCentre>;

public sealed class ClusterDeadlineRestartApiTests(DeadlineClusterCentre centre)
    : DeadlineRestartApiTests<DeadlineClusterCentre>(centre), IClassFixture<DeadlineClusterCentre>;
