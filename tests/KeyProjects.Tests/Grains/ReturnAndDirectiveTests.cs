using KeyProjects.Silo.ReadModel;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Notifications;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Settings;

namespace KeyProjects.Tests.Grains;

/// <summary>Returns and the office's ruling, supervision orders and instructions, settings versions, figures.</summary>
public sealed class ReturnAndDirectiveTests(GrainCluster fixture) : IClassFixture<GrainCluster>
{
    private static readonly Actor LandUser = new("land-1", "自然资源 1", Role.Department, "land");
    private static readonly Actor DevUser = new("dev-1", "发改 1", Role.Department, "dev");
    private static readonly Actor Admin = new("admin", "管理员", Role.Admin, null);

    private async Task<IProblemGrain> RaiseAsync(string? lead = "land")
    {
        var grain = fixture.Grains.GetGrain<IProblemGrain>(Guid.NewGuid());
        var result = await grain.Raise(new RaiseProblem(Guid.NewGuid().ToString("N"), GrainCluster.Office, "P-1", "征地范围争议",
            "", ProblemCategory.Demolition, lead, [], null, null));
        Assert.True(result.Outcome.Succeeded, result.Outcome.Message);
        return grain;
    }

    [Fact]
    public async Task The_longest_texts_a_command_accepts_reach_the_log_and_the_read_model_and_the_next_command_runs()
    {
        var problem = await RaiseAsync();
        var longest = new string('地', ProblemRules.TextMaxLength);
        var returned = await problem.Return(Guid.NewGuid().ToString("N"), LandUser, ReturnReason.Function, longest);
        Assert.True(returned.Outcome.Succeeded, returned.Outcome.Message);

        var id = problem.GetPrimaryKey();
        var notified = await fixture.Mailbox(Mailboxes.Office);
        Assert.Contains(notified, e => e.Notification.Link!.EndsWith(id.ToString()) && e.Notification.Text.EndsWith(longest));
        var listed = await fixture.ReadModel.ProblemList(new ProblemFilter { Status = ProblemStatus.Unrouted }, ReadModelQueries.MaxLimit);
        Assert.Contains(listed, p => p.Id == id && p.Version == 2);
        Assert.True((await problem.Route(Guid.NewGuid().ToString("N"), GrainCluster.Office, new RouteProblem("dev", [], null, null))).Outcome.Succeeded);
    }

    [Fact]
    public async Task A_problem_returned_twice_goes_to_the_office_and_the_ruled_owner_cannot_return_it()
    {
        var problem = await RaiseAsync();
        var landReturnsBefore = (await fixture.Figures("land")).Returns;

        var first = await problem.Return("r1", LandUser, ReturnReason.Function, "属发改职能");
        Assert.Equal(ProblemStatus.Unrouted, first.Problem!.Summary.Status);
        Assert.Equal(WarningLight.Yellow, first.Problem.Summary.Light.Light);
        Assert.Contains("returned", first.Problem.Summary.Light.Reasons);
        Assert.Equal(landReturnsBefore + 1, (await fixture.Figures("land")).Returns);

        // Only the office routes; a department cannot.
        Assert.Equal(OutcomeKind.Forbidden, (await problem.Route("x1", DevUser, new RouteProblem("dev", [], null, null))).Outcome.Kind);
        Assert.True((await problem.Route("o1", GrainCluster.Office, new RouteProblem("dev", [], null, null))).Outcome.Succeeded);
        var second = await problem.Return("r2", DevUser, ReturnReason.Territory, "属南湖镇辖区");
        Assert.Equal(ProblemStatus.AwaitingRuling, second.Problem!.Summary.Status);
        Assert.Contains(second.Problem.History, h => h.Action == ProblemActions.RulingRequested);
        var officeMail = await fixture.Mailbox(Mailboxes.Office);
        Assert.Contains(officeMail, e => e.Notification.Kind == "problem." + ProblemActions.RulingRequested && e.Notification.Link!.Contains(second.Problem.Summary.Id.ToString()));

        // Routing is not a ruling; a department cannot rule.
        Assert.Equal(OutcomeKind.Conflict, (await problem.Route("o2", GrainCluster.Office, new RouteProblem("town", [], null, null))).Outcome.Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await problem.Rule("x2", LandUser, "land", "x")).Outcome.Kind);
        Assert.Equal(OutcomeKind.Invalid, (await problem.Rule("x3", GrainCluster.Office, "nowhere", "x")).Outcome.Kind);

        var ruled = await problem.Rule("o3", GrainCluster.Office, "land", "经研判，属自然资源和规划局职责");
        Assert.Equal(ProblemStatus.Routed, ruled.Problem!.Summary.Status);
        Assert.Equal("land", ruled.Problem.RuledOwnerDepartmentId);
        Assert.NotNull(ruled.Problem.Summary.ClaimDeadline);

        var again = await problem.Return("r3", LandUser, ReturnReason.Function, "仍不属我局");
        Assert.Equal(OutcomeKind.Conflict, again.Outcome.Kind);
        Assert.Equal("problem.ruled_owner", again.Outcome.Code);
        var view = (await problem.Get())!;
        Assert.Equal(2, view.Returns.Count);
        Assert.Equal("land", view.Summary.LeadDepartmentId);

        // The ruled owner claims it; the "returned" cause is gone.
        var claimed = await problem.Claim("c1", LandUser);
        Assert.Equal(WarningLight.Green, claimed.Problem!.Summary.Light.Light);
        var devDesk = await fixture.Inbox("dev");
        Assert.Contains(devDesk, i => i.Problem.Id == view.Summary.Id && i.Involvement == Involvement.Former);
    }

    [Fact]
    public async Task Department_figures_count_claims_and_on_time_closes_once()
    {
        var before = await fixture.Figures("land");
        var problem = await RaiseAsync();
        await problem.Claim("c1", LandUser);
        await problem.Claim("c1", LandUser); // a retry counts once
        await problem.SubmitResolution("s1", LandUser, "已完成");
        await problem.Close("x1", GrainCluster.Office, null);

        var after = await fixture.Figures("land");
        Assert.Equal(before.Claimed + 1, after.Claimed);
        Assert.Equal(before.Closed + 1, after.Closed);
        Assert.Equal(1.0, after.OnTimeCloseRate);
    }

    [Fact]
    public async Task A_supervision_order_is_answered_by_its_department_and_judged_by_its_issuer()
    {
        var problem = await RaiseAsync();
        var id = (await problem.Get())!.Summary.Id;
        var order = fixture.Grains.GetGrain<IDirectiveGrain>(Guid.NewGuid());

        Assert.Equal(OutcomeKind.Forbidden, (await order.Issue(new IssueDirective("i0", LandUser, DirectiveKind.SupervisionOrder, id, null, "land", "x", null, null))).Outcome.Kind);
        var issued = await order.Issue(new IssueDirective("i1", GrainCluster.Office, DirectiveKind.SupervisionOrder, id, null, "land", "限期三日内反馈用地报批进展", "书面反馈", null));
        Assert.True(issued.Outcome.Succeeded, issued.Outcome.Message);
        Assert.Contains(await fixture.ReadModel.Directives(new DirectiveFilter { DepartmentId = "land" }), d => d.Id == issued.Directive!.Summary.Id);
        Assert.Equal(1, (await fixture.Figures("land")).OpenSupervisionOrders);

        Assert.Equal(OutcomeKind.Forbidden, (await order.Respond("a0", DevUser, "x")).Outcome.Kind);
        Assert.Equal(OutcomeKind.Conflict, (await order.Accept("a1", GrainCluster.Office, null)).Outcome.Kind);
        Assert.True((await order.Respond("a2", LandUser, "已上报省厅")).Outcome.Succeeded);
        Assert.Equal(DirectiveStatus.Open, (await order.SendBack("a3", GrainCluster.Office, "请附批复文号")).Directive!.Summary.Status);
        Assert.True((await order.Respond("a4", LandUser, "批复文号 X-2026-18")).Outcome.Succeeded);
        Assert.Equal(DirectiveStatus.Accepted, (await order.Accept("a5", GrainCluster.Office, "同意")).Directive!.Summary.Status);
        Assert.Equal(0, (await fixture.Figures("land")).OpenSupervisionOrders);
    }

    [Fact]
    public async Task A_leaders_instruction_annotates_the_problem_and_lands_on_the_department_desk()
    {
        var problem = await RaiseAsync();
        var id = (await problem.Get())!.Summary.Id;

        var byOffice = await fixture.Grains.GetGrain<IDirectiveGrain>(Guid.NewGuid())
            .Issue(new IssueDirective("k0", GrainCluster.Office, DirectiveKind.Instruction, id, null, "dev", "x", null, null));
        Assert.Equal(OutcomeKind.Forbidden, byOffice.Outcome.Kind);

        var instruction = await fixture.Grains.GetGrain<IDirectiveGrain>(Guid.NewGuid())
            .Issue(new IssueDirective("k1", GrainCluster.Leader, DirectiveKind.Instruction, id, null, "dev", "请发改局牵头本周内协调解决", null, null));

        Assert.True(instruction.Outcome.Succeeded, instruction.Outcome.Message);
        var view = (await problem.Get())!;
        Assert.Contains(view.History, h => h.Action == ProblemActions.Instructed && h.Actor.UserName == GrainCluster.Leader.UserName);
        Assert.Contains(await fixture.ReadModel.Directives(new DirectiveFilter { DepartmentId = "dev" }),
            d => d.Kind == DirectiveKind.Instruction && d.ProblemId == id && d.Deadline > fixture.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Settings_are_versioned_and_only_an_admin_changes_them()
    {
        var settings = fixture.Grains.GetGrain<ISettingsGrain>(ISettingsGrain.City);
        var current = await settings.GetProblemSettings();

        var (refused, _) = await settings.UpdateProblemSettings(GrainCluster.Office, current);
        var (invalid, _) = await settings.UpdateProblemSettings(Admin, current with { PreBreachWorkingDays = 99 });
        var (ok, next) = await settings.UpdateProblemSettings(Admin, current with { Lights = current.Lights with { TwoYellowsMakeRed = false } });

        Assert.Equal(OutcomeKind.Forbidden, refused.Kind);
        Assert.Equal("preBreachWorkingDays", invalid.Field);
        Assert.True(ok.Succeeded);
        Assert.Equal(current.Version + 1, next.Version);
        Assert.Equal(current.Version, (await settings.GetProblemSettingsHistory())[1].Version);
        await settings.UpdateProblemSettings(Admin, current); // back to the rules the other tests expect
    }
}
