using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using KeyProjects.Grains.Meetings;
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
        var body = m.MinutesText ?? Draft(m, departmentName);
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body());
            var b = main.Document.Body!;
            b.Append(Paragraph("会议纪要", bold: true, size: 44, centred: true));
            b.Append(Paragraph(m.Summary.Title, bold: true, size: 32, centred: true));
            b.Append(Paragraph(m.Summary.Minutes == MinutesStatus.Approved
                ? $"已审定：{m.MinutesApprovedBy}　{MeetingText.Date(m.MinutesApprovedAt!.Value)}" : "草稿（未审定）", size: 21, centred: true));
            foreach (var line in body.Split('\n'))
                b.Append(Paragraph(line.TrimEnd('\r')));
            b.Append(Paragraph("议定事项一览", bold: true, size: 28));
            var table = new Table(new TableProperties(
                new TableBorders(
                    new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
                    new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                    new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }),
                new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }));
            table.Append(Row(true, "序号", "议定事项", "责任单位", "完成时限", "办理方式", "当前状态"));
            foreach (var d in m.Decisions)
                table.Append(Row(false, d.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Text, departmentName(d.DepartmentId),
                    MeetingText.LastDay(d.Deadline), MeetingText.DecisionKindName(d.Kind), status(detail.Work.GetValueOrDefault(d.WorkId))));
            b.Append(table);
            b.Append(new SectionProperties(new PageSize { Width = 11906, Height = 16838 }, new PageMargin { Top = 1440, Bottom = 1440, Left = 1587, Right = 1474 }));
        }
        return stream.ToArray();
    }

    private static Paragraph Paragraph(string text, bool bold = false, int size = 24, bool centred = false)
    {
        var runProperties = new RunProperties(new RunFonts { EastAsia = "宋体", Ascii = "Times New Roman", HighAnsi = "Times New Roman" }, new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (bold) runProperties.Append(new Bold());
        var paragraph = new Paragraph(new Run(runProperties, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        if (centred) paragraph.PrependChild(new ParagraphProperties(new Justification { Val = JustificationValues.Center }));
        return paragraph;
    }

    private static TableRow Row(bool header, params string[] cells) =>
        new(cells.Select(c => new TableCell(Paragraph(c, bold: header, size: 21))));
}
