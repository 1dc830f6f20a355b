using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Meetings;
using KeyProjects.Web.Meetings;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Demo;

/// <summary>
/// The demo city's weekly dispatch (周调度): last week's meeting, run through the meeting grain's own commands (agenda
/// from the red items of that day, departments' posts, two decisions that became work, minutes approved), and this
/// week's meeting of the series, prepared for tomorrow morning with last week's decisions at the top of its agenda.
/// </summary>
internal static class DemoMeetings
{
    public const string Series = "weekly-dispatch";
    private static readonly string[] Attendees = ["zrzy", "fgw", "czj", "sthj", "gdgs", "xzsp"];

    /// <param name="replayed">
    /// Whether the grains judge by the replayed city clock; a web host joined to remote silos replays at the real time, so
    /// a deadline meant to have run out last week must lie ahead instead.
    /// </param>
    public static void Plan(IGrainFactory grains, MeetingService meetings, Func<int, int, int, DateTimeOffset> day,
        Action<DateTimeOffset, int, Func<Task>> step, Func<string, Actor> officer, Actor office, Actor chair, bool replayed)
    {
        var last = grains.GetGrain<IMeetingGrain>(CommandId.DeriveGuid(MeetingService.ScheduleScope, office.UserName + "\ndemo-meeting-1"));
        var next = grains.GetGrain<IMeetingGrain>(CommandId.DeriveGuid(MeetingService.ScheduleScope, office.UserName + "\ndemo-meeting-2"));
        var n = 200_000;
        void Do(DateTimeOffset at, Func<Task<MeetingCommandResult>> command) =>
            step(at, n++, async () => DemoSeeder.Require((await command()).Outcome));

        var held = day(7, 9, 0);
        step(day(8, 16, 0), n++, async () => DemoSeeder.Require((await last.Schedule(new ScheduleMeeting(
            "demo-meeting-1", office, MeetingKind.WeeklyDispatch, MeetingText.DefaultTitle(MeetingKind.WeeklyDispatch, held), Series, held,
            "市重点项目指挥中心", chair.DisplayName, Attendees, [chair.DisplayName], await meetings.Agenda(null), null))).Outcome));
        Do(day(8, 16, 5), () => last.AddItem("demo-meeting-1-item-1", office, "片区征迁及用地报批推进情况", "zrzy", "2026-011", "自然资源和规划局汇报"));
        Do(day(8, 16, 6), () => last.AddItem("demo-meeting-1-item-2", office, "高压线迁改及临时用电接入", "gdgs", "2026-023", null));
        Do(day(8, 16, 7), () => last.MoveItem("demo-meeting-1-move-1", office, "item:1", 0));
        Do(day(8, 16, 8), () => last.MoveItem("demo-meeting-1-move-2", office, "item:2", 1));

        Do(day(7, 9, 0), () => last.Start("demo-meeting-1-start", office));
        Do(day(7, 9, 10), () => last.PostStatus("demo-meeting-1-post-1", officer("zrzy"), "征迁已完成85%，剩余12户正在协商；用地预审材料已报省厅。"));
        Do(day(7, 9, 20), () => last.RecordDecision(new RecordDecision("demo-meeting-1-decide-1", office, "item:1", DecisionKind.Problem,
            "自然资源和规划局牵头，十个工作日内完成剩余用地报批，每周报进展", "zrzy", day(-3, 0, 0), ProblemCategory.Land)));
        Do(day(7, 9, 25), () => last.MoveTo("demo-meeting-1-move-to-2", office, "item:2"));
        Do(day(7, 9, 35), () => last.PostStatus("demo-meeting-1-post-2", officer("gdgs"), "迁改方案已批复，等待停电窗口。"));
        Do(day(7, 9, 45), () => last.RecordDecision(new RecordDecision("demo-meeting-1-decide-2", office, "item:2", DecisionKind.SupervisionOrder,
            "供电公司限期落实停电窗口，完成高压线迁改", "gdgs", replayed ? day(2, 0, 0) : day(-5, 0, 0))));
        Do(day(7, 10, 30), () => last.Close("demo-meeting-1-close", office));
        step(day(6, 10, 0), n++, async () =>
        {
            var decided = (await last.Get())!.Decisions[0];
            DemoSeeder.Require((await grains.GetGrain<Grains.Problems.IProblemGrain>(decided.WorkId).Claim("demo-meeting-1-claim", officer("zrzy"))).Outcome);
        });
        step(day(6, 15, 0), n++, async () =>
        {
            var view = (await last.Get())!;
            var names = DemoCity.Departments.ToDictionary(d => d.Id, d => d.Name);
            DemoSeeder.Require((await last.ApproveMinutes("demo-meeting-1-minutes", office, MeetingMinutes.Draft(view, id => names.GetValueOrDefault(id, id)))).Outcome);
        });

        // This week's meeting, prepared yesterday afternoon for tomorrow morning: it opens with last week's open decisions.
        var tomorrow = day(-1, 9, 0);
        step(day(1, 16, 0), n++, async () =>
        {
            var previous = await last.Get();
            DemoSeeder.Require((await next.Schedule(new ScheduleMeeting(
                "demo-meeting-2", office, MeetingKind.WeeklyDispatch, MeetingText.DefaultTitle(MeetingKind.WeeklyDispatch, tomorrow), Series, tomorrow,
                "市重点项目指挥中心", chair.DisplayName, Attendees, [chair.DisplayName], await meetings.Agenda(previous), previous!.Summary.Id))).Outcome);
        });
    }
}
