using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;

namespace KeyProjects.Tests.Domain;

/// <summary>The project warning rules (项目预警) on hand-made facts, at their edges, with what turns each light back.</summary>
public sealed class ProjectLightsTests
{
    private static readonly ProjectLightRules Rules = ProjectLightRules.Defaults; // yellow 10, red 30 points; unstarted 3 months; 2 reports
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 0, 0, 0, WorkingCalendar.ChinaOffset); // 时序进度 exactly 50%

    private static ScheduleFacts Facts(decimal completed, ProjectStage stage = ProjectStage.UnderConstruction, DateOnly? plannedStart = null,
        DateOnly? actualStart = null, string opening = "2026-06", string? lastReport = "2026-06") =>
        new(stage, 1000, completed, plannedStart ?? new DateOnly(2026, 3, 1), actualStart ?? new DateOnly(2026, 3, 15), opening, lastReport);

    [Theory]
    [InlineData(500, WarningLight.Green)]   // on schedule
    [InlineData(401, WarningLight.Green)]   // 9.9 points behind
    [InlineData(400, WarningLight.Yellow)]  // 10 points behind: yellow
    [InlineData(201, WarningLight.Yellow)]  // 29.9 behind
    [InlineData(200, WarningLight.Red)]     // 30 behind: red
    public void Investment_behind_the_time_schedule_is_yellow_then_red(decimal completed, WarningLight expected)
    {
        var light = ProjectLights.Schedule(Facts(completed), Rules, 7, Now);
        Assert.Equal(expected, light.Light);
        Assert.Equal(7, light.RulesVersion);
        if (expected != WarningLight.Green) Assert.StartsWith(expected == WarningLight.Red ? "behind-red:-" : "behind:-", Assert.Single(light.Reasons));
    }

    [Fact]
    public void A_figure_s_gap_takes_the_colour_a_project_would_under_the_same_rules()
    {
        Assert.Equal([null, WarningLight.Green, WarningLight.Yellow, WarningLight.Yellow, WarningLight.Red],
            new double?[] { null, -9.9, -10, -29.9, -30 }.Select(g => ProjectLights.OfGap(g, Rules)));
        Assert.Equal(WarningLight.Yellow, ProjectLights.OfGap(-6, new ProjectLightRules(5, 15, 3, 2)));
    }

    [Fact]
    public void Not_started_three_months_after_the_planned_start_is_red_until_the_start_is_recorded()
    {
        var late = Facts(500, ProjectStage.Preparatory, plannedStart: new DateOnly(2026, 3, 30)) with { ActualStart = null };
        Assert.Equal(["unstarted:2026-03-30"], ProjectLights.Schedule(late, Rules, 1, Now).Reasons);
        Assert.True(ProjectLights.TurnsBack(late, Rules, Now).RecordStart);
        var notYet = late with { PlannedStart = new DateOnly(2026, 4, 1) }; // three months ago today: not yet past
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(notYet, Rules, 1, Now).Light);
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(late with { ActualStart = new DateOnly(2026, 6, 30) }, Rules, 1, Now).Light);
    }

    [Fact]
    public void A_project_under_construction_that_missed_two_due_reports_is_red_and_told_which_months_to_report()
    {
        // On 1 July June's report is not due yet (by 5 July): the last due is May's. Last reported in March: April and May are missing.
        var missing = Facts(500, lastReport: "2026-03", opening: "2026-01", actualStart: new DateOnly(2026, 1, 10));
        var light = ProjectLights.Schedule(missing, Rules, 1, Now);
        Assert.Equal(["report-late:2026-03"], light.Reasons);
        Assert.Equal(["2026-04", "2026-05"], ProjectLights.TurnsBack(missing, Rules, Now).MonthsToReport);
        // One missing (April reported, May not yet in) is not red; nor on 6 July with May reported and June just due.
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(missing with { LastReportMonth = "2026-04" }, Rules, 1, Now).Light);
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(missing with { LastReportMonth = "2026-05" }, Rules, 1, Now.AddDays(5)).Light);
        // No report yet: the month it was registered in is on record, and so is the month before it started building.
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(missing with { LastReportMonth = null, OpeningMonth = "2026-04" }, Rules, 1, Now).Light);
        Assert.Equal(WarningLight.Red, ProjectLights.Schedule(missing with { LastReportMonth = null, OpeningMonth = "2026-03" }, Rules, 1, Now).Light);
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(missing with { LastReportMonth = null, ActualStart = new DateOnly(2026, 5, 20) }, Rules, 1, Now).Light);
        // Only projects under construction report monthly.
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(missing with { Stage = ProjectStage.Preparatory }, Rules, 1, Now).Light);
    }

    [Fact]
    public void A_project_not_yet_started_is_not_judged_on_investment_only_on_its_start()
    {
        var planned = Facts(0, ProjectStage.Preparatory, plannedStart: new DateOnly(2026, 10, 1)) with { ActualStart = null };
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(planned, Rules, 1, Now).Light);
        Assert.Null(ProjectLights.TurnsBack(planned, Rules, Now).InvestmentToReport);
    }

    [Fact]
    public void Finished_or_suspended_projects_are_not_judged_on_schedule_and_the_worse_of_problems_and_schedule_wins()
    {
        foreach (var stage in new[] { ProjectStage.Completed, ProjectStage.InOperation, ProjectStage.Suspended })
            Assert.Equal(WarningLight.Green, ProjectLights.Schedule(Facts(0, stage) with { ActualStart = null }, Rules, 1, Now).Light);

        var behind = ProjectLights.Schedule(Facts(400), Rules, 3, Now);
        var combined = ProjectLights.Combine(new LightReading(WarningLight.Red, ["problem-red:征地"], 3), behind);
        Assert.Equal((WarningLight.Red, 2), (combined.Light, combined.Reasons.Count));
        Assert.Equal(WarningLight.Yellow, ProjectLights.Combine(LightReading.Green, behind).Light);
        Assert.Equal(WarningLight.Red, ProjectLights.Colour(Facts(500) with { YellowProblems = 2 }, ProblemSettings.Defaults, Now));
        Assert.Equal(WarningLight.Yellow, ProjectLights.Colour(Facts(500) with { YellowProblems = 1 }, ProblemSettings.Defaults, Now));
    }

    [Fact]
    public void The_investment_that_turns_a_yellow_project_green_is_what_brings_it_within_the_threshold()
    {
        var remedy = ProjectLights.TurnsBack(Facts(300), Rules, Now);
        Assert.Equal(101m, remedy.InvestmentToReport); // 400 is exactly 10 points behind (yellow); 401 reads 9.9
        Assert.Equal(WarningLight.Green, ProjectLights.Schedule(Facts(300 + remedy.InvestmentToReport!.Value), Rules, 1, Now).Light);
        Assert.Equal(WarningLight.Yellow, ProjectLights.Schedule(Facts(300 + remedy.InvestmentToReport.Value - 1), Rules, 1, Now).Light);
        Assert.False(ProjectLights.TurnsBack(Facts(500), Rules, Now).Any);
    }
}
