using KeyProjects.Grains.Meetings;
using KeyProjects.Grains.Settings;

namespace KeyProjects.Web.Meetings;

/// <summary>The words of a meeting's official documents (titles, minutes): always Chinese, whatever the page language.</summary>
public static class MeetingText
{
    public static string KindName(MeetingKind kind) => kind switch
    {
        MeetingKind.WeeklyDispatch => "周调度会",
        MeetingKind.MonthlyReport => "月通报会",
        MeetingKind.JointMeeting => "领导小组联席会议",
        MeetingKind.OnSiteOffice => "现场办公会",
        MeetingKind.InspectionTour => "项目观摩",
        _ => kind.ToString(),
    };

    public static string DefaultTitle(MeetingKind kind, DateTimeOffset at) =>
        $"重点项目{KindName(kind)}（{at.ToOffset(WorkingCalendar.ChinaOffset):yyyy年M月d日}）";

    public static string DecisionKindName(DecisionKind kind) => kind switch
    {
        DecisionKind.Problem => "协调事项",
        DecisionKind.SupervisionOrder => "督办单",
        DecisionKind.Instruction => "领导批示",
        _ => kind.ToString(),
    };

    public static string Date(DateTimeOffset at) => at.ToOffset(WorkingCalendar.ChinaOffset).ToString("yyyy年M月d日 HH:mm");

    /// <summary>The last day of a deadline: one at 24:00 (00:00 of the next day) is its day's, as the city reads it.</summary>
    public static string LastDay(DateTimeOffset deadline, string format = "yyyy年M月d日")
    {
        var local = deadline.ToOffset(WorkingCalendar.ChinaOffset);
        return (local.TimeOfDay == TimeSpan.Zero ? local.AddDays(-1) : local).ToString(format);
    }
}
