using System.Text;
using KeyProjects.Grains.Meetings;
using KeyProjects.Web.Office;
using KeyProjects.Web.Services;

namespace KeyProjects.Web.Meetings;

/// <summary>
/// 会议纪要: the draft the office starts from when a meeting closes (attendance, each agenda item with the status the
/// departments posted, the decisions with owner and deadline), and the .docx of the minutes (the Open XML SDK).
/// </summary>
public static class MeetingMinutes
{
    /// <summary>The draft text, from the meeting as it was run.</summary>
    public static string Draft(MeetingView m, Func<string, string> departmentName)
    {
        var s = m.Summary;
        var text = new StringBuilder();
        text.AppendLine($"时间：{MeetingText.Date(s.StartedAt ?? s.ScheduledAt)}");
        if (s.Place.Length > 0) text.AppendLine($"地点：{s.Place}");
        if (s.Chair.Length > 0) text.AppendLine($"主持：{s.Chair}");
        if (s.AttendeeLeaders.Count > 0) text.AppendLine($"出席领导：{string.Join("、", s.AttendeeLeaders)}");
        if (s.AttendeeDepartmentIds.Count > 0) text.AppendLine($"参会单位：{string.Join("、", s.AttendeeDepartmentIds.Select(departmentName))}");
        if (m.Attendance.Count > 0) text.AppendLine($"到会人员：{string.Join("、", m.Attendance.Select(a => a.DepartmentId is { } d ? $"{a.Name}（{departmentName(d)}）" : a.Name))}");
        text.AppendLine();
        text.AppendLine($"会议听取了{m.Agenda.Count}项议题的进展汇报，研究议定{m.Decisions.Count}项事项。纪要如下：");
        text.AppendLine();
        text.AppendLine("一、会议议题");
        var n = 0;
        foreach (var item in m.Agenda)
        {
            text.AppendLine($"（{++n}）{item.Title}" + (item.DepartmentId is { } d ? $"（{departmentName(d)}）" : ""));
            foreach (var post in m.Posts.Where(p => p.ItemId == item.Id))
                text.AppendLine($"　　{departmentName(post.DepartmentId)}：{post.Text}");
            foreach (var decision in m.Decisions.Where(x => x.ItemId == item.Id))
                text.AppendLine($"　　议定：{decision.Text}");
        }
        text.AppendLine();
        text.AppendLine("二、议定事项");
        foreach (var d in m.Decisions)
            text.AppendLine($"{d.Sequence}. {d.Text}（责任单位：{departmentName(d.DepartmentId)}；完成时限：{MeetingText.LastDay(d.Deadline)}）");
        if (m.Decisions.Count == 0) text.AppendLine("无。");
        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// The minutes as a Word document: the title, the minutes text as edited (or the draft), and a table of every
    /// decision with its owner, deadline, the work it became and where that work stands.
    /// </summary>
    public static byte[] Document(MeetingDetail detail, Func<string, string> departmentName, Func<WorkStatus?, string> status)
    {
        var m = detail.Meeting;
        var text = m.MinutesText ?? Draft(m, departmentName);
        return WordDocument.Create(b =>
        {
            b.Append(WordDocument.Paragraph("会议纪要", bold: true, size: 44, centred: true));
            b.Append(WordDocument.Paragraph(m.Summary.Title, bold: true, size: 32, centred: true));
            b.Append(WordDocument.Paragraph(m.Summary.Minutes == MinutesStatus.Approved
                ? $"已审定：{m.MinutesApprovedBy}　{MeetingText.Date(m.MinutesApprovedAt!.Value)}" : "草稿（未审定）", size: 21, centred: true));
            foreach (var line in text.Split('\n'))
                b.Append(WordDocument.Paragraph(line.TrimEnd('\r')));
            b.Append(WordDocument.Paragraph("议定事项一览", bold: true, size: 28));
            b.Append(WordDocument.Table(["序号", "议定事项", "责任单位", "完成时限", "办理方式", "当前状态"],
                m.Decisions.Select(d => (IReadOnlyList<string>)[d.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Text,
                    departmentName(d.DepartmentId), MeetingText.LastDay(d.Deadline), MeetingText.DecisionKindName(d.Kind), status(detail.Work.GetValueOrDefault(d.WorkId))])));
        });
    }
}
