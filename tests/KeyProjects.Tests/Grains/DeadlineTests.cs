using KeyProjects.Silo.ReadModel;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Notifications;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Tests.Grains;

/// <summary>
/// Deadlines on the working-day calendar, driven by durable reminders and judged by an injected clock. The clock is
/// moved by hand; the tests wait for the reminder to have looked at the moved clock, never for time to pass.
/// </summary>
public sealed class DeadlineTests(GrainCluster fixture) : IClassFixture<GrainCluster>
{
    private static readonly Actor LandUser = new("land-1", "自然资源 1", Role.Department, "land");
    private static DateTimeOffset Beijing(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    private async Task<IProblemGrain> RaiseAsync(string title)
    {
        var grain = fixture.Grains.GetGrain<IProblemGrain>(Guid.NewGuid());
        var result = await grain.Raise(new RaiseProblem(Guid.NewGuid().ToString("N"), GrainCluster.Office, "P-1", title,
            "", ProblemCategory.Land, "land", [], null, null));
        Assert.True(result.Outcome.Succeeded, result.Outcome.Message);
        return grain;
    }

    /// <summary>Waits until the deadline reminder has judged the problem by the clock as it is now set.</summary>
    private async Task<ProblemView> Checked(IProblemGrain problem, string what)
    {
        var now = fixture.Clock.GetUtcNow();
        return await Eventually.Get(async () => (await problem.Get())!, v => v.DeadlinesCheckedAt >= now, what);
    }

    /// <summary>The problem's rows in the reminders table (what the silo will wake it for).</summary>
    private async Task<int> Reminders(IProblemGrain problem)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Storage.ConnectionString);
        return await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection,
            "SELECT COUNT(*) FROM orleansreminderstable WHERE grainid LIKE @id", new { id = "%" + problem.GetPrimaryKey().ToString("N") + "%" });
    }

    private async Task<IReadOnlyList<MailboxEntry>> Mailbox(string id) =>
        await fixture.Mailbox(id);

    [Fact]
    public async Task Deadlines_warn_breach_alert_the_responsible_leader_then_the_group_and_the_agenda()
    {
        fixture.Clock.SetTo(GrainCluster.Start);
        var problem = await RaiseAsync("二期用地报批");
        var raised = (await problem.Get())!.Summary;
        // Land, normal: claim within 2 working days of Thursday 17 Sep 2026 → Friday 18, Sunday 20 (调休) → end of 20 Sep.
        Assert.Equal(Beijing(9, 21, 0), raised.ClaimDeadline);
        Assert.Equal(WarningLight.Green, raised.Light.Light);

        // End of Friday 18 Sep: one working day before the last day → pre-breach warning, yellow.
        fixture.Clock.SetTo(Beijing(9, 19, 12));
        var warned = await Checked(problem, "the warning");
        Assert.Equal(WarningLight.Yellow, warned.Summary.Light.Light);
        Assert.Contains("claim-warning", warned.Summary.Light.Reasons);
        Assert.Contains(warned.History, h => h.Action == ProblemActions.DeadlineWarning);
        Assert.Contains(await Mailbox(Mailboxes.ForDepartment("land")), e => e.Notification.Kind == "problem." + ProblemActions.DeadlineWarning);

        // Monday 21 Sep: the claim deadline has passed → breach, red, the responsible leader (包联领导) is alerted.
        fixture.Clock.SetTo(Beijing(9, 21, 9));
        var breached = await Checked(problem, "the breach");
        Assert.Equal(WarningLight.Red, breached.Summary.Light.Light);
        Assert.Contains("claim-breached", breached.Summary.Light.Reasons);
        Assert.True(breached.Summary.Overdue);
        Assert.Equal(1, breached.Summary.EscalationLevel);
        Assert.Contains(await Mailbox(Mailboxes.ForUser(GrainCluster.Leader.UserName)), e => e.Notification.Kind == "problem." + ProblemActions.EscalatedToLeader);
        var outbox = await fixture.ReadModel.Outbound(500);
        Assert.Contains(outbox, m => m.MailboxId == Mailboxes.ForUser(GrainCluster.Leader.UserName));

        // Two further working days after the last day (Monday 21, Tuesday 22) → the leadership group and the agenda.
        fixture.Clock.SetTo(Beijing(9, 23, 9));
        var escalated = await Checked(problem, "the escalation to the group");
        Assert.Equal(2, escalated.Summary.EscalationLevel);
        Assert.True(escalated.Summary.OnMeetingAgenda);
        Assert.Contains(await Mailbox(Mailboxes.Leadership), e => e.Notification.Kind == "problem." + ProblemActions.EscalatedToGroup);
        var agenda = await fixture.ReadModel.ProblemList(new ProblemFilter { OnAgenda = true, Open = true });
        Assert.Contains(agenda, p => p.Id == raised.Id && p.OnMeetingAgenda);

        // Each event happened once, however many times the reminder ticked.
        Assert.Single(escalated.History, h => h.Action == ProblemActions.DeadlineBreached);
        Assert.Single(escalated.History, h => h.Action == ProblemActions.EscalatedToLeader);
    }

    [Fact]
    public async Task A_paused_deadline_does_not_breach_and_resuming_moves_it_by_the_working_days_paused()
    {
        fixture.Clock.SetTo(GrainCluster.Start);
        var problem = await RaiseAsync("等待省厅批复");
        Assert.Equal(1, await Reminders(problem)); // a running deadline: one reminder, due at its next instant
        Assert.True((await problem.RequestPause("p1", LandUser, "等待省自然资源厅用地预审意见")).Outcome.Succeeded);
        // Requested is not paused: only the office's approval stops the clock.
        Assert.Equal(OutcomeKind.Forbidden, (await problem.DecidePause("p2", LandUser, true, null)).Outcome.Kind);
        var approved = await problem.DecidePause("p3", GrainCluster.Office, true, "同意");
        Assert.Equal(PauseState.Paused, approved.Problem!.Summary.Pause);
        var claimDeadline = approved.Problem.Summary.ClaimDeadline!.Value;

        // Paused, no deadline runs: the problem keeps no reminder, so well past the claim deadline nothing breaches.
        Assert.Null(approved.Problem.NextDeadlineLook);
        Assert.Equal(0, await Reminders(problem));
        fixture.Clock.SetTo(Beijing(9, 24, 10));
        var paused = (await problem.Get())!;
        Assert.DoesNotContain(paused.History, h => h.Action is ProblemActions.DeadlineBreached or ProblemActions.DeadlineWarning);
        Assert.Equal(WarningLight.Green, paused.Summary.Light.Light);
        Assert.Equal(0, paused.Summary.EscalationLevel);

        // Resumed on Thursday 24 Sep: paused from Thursday 17 Sep → 17, 18, 20 (调休), 21, 22, 23 Sep = 6 working days.
        var resumed = await problem.Resume("p4", LandUser);
        Assert.True(resumed.Outcome.Succeeded, resumed.Outcome.Message);
        Assert.Equal(6, resumed.Problem!.PausedWorkingDays);
        Assert.True(resumed.Problem.Summary.ClaimDeadline > claimDeadline);
        Assert.Equal(PauseState.None, resumed.Problem.Summary.Pause);
        // The clock runs again: the reminder is due at the warning before the moved claim deadline.
        Assert.NotNull(resumed.Problem.NextDeadlineLook);
        Assert.True(resumed.Problem.NextDeadlineLook < resumed.Problem.Summary.ClaimDeadline);
        Assert.Equal(1, await Reminders(problem));
    }

    [Fact]
    public async Task The_light_goes_back_when_its_cause_is_gone()
    {
        fixture.Clock.SetTo(GrainCluster.Start);
        var problem = await RaiseAsync("临时用电接入");
        fixture.Clock.SetTo(Beijing(9, 19, 12));
        Assert.Equal(WarningLight.Yellow, (await Checked(problem, "the warning")).Summary.Light.Light);

        var claimed = await problem.Claim("c1", LandUser);

        Assert.Equal(WarningLight.Green, claimed.Problem!.Summary.Light.Light);
        Assert.Empty(claimed.Problem.Summary.Light.Reasons);
    }
}
