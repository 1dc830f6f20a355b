using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace KeyProjects.Web.Office;

/// <summary>
/// The city's Word documents (会议纪要, 月通报) with the Open XML SDK: A4, 宋体, titles, paragraphs and bordered tables.
/// </summary>
public static class WordDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static byte[] Create(Action<Body> write)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body());
            var body = main.Document.Body!;
            write(body);
            body.Append(new SectionProperties(new PageSize { Width = 11906, Height = 16838 }, new PageMargin { Top = 1440, Bottom = 1440, Left = 1587, Right = 1474 }));
        }
        return stream.ToArray();
    }

    public static Paragraph Paragraph(string text, bool bold = false, int size = 24, bool centred = false)
    {
        var runProperties = new RunProperties(new RunFonts { EastAsia = "宋体", Ascii = "Times New Roman", HighAnsi = "Times New Roman" },
            new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) });
        if (bold) runProperties.Append(new Bold());
        var paragraph = new Paragraph(new Run(runProperties, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        if (centred) paragraph.PrependChild(new ParagraphProperties(new Justification { Val = JustificationValues.Center }));
        return paragraph;
    }

    /// <summary>A full-width table with borders: the header row in bold, then the rows.</summary>
    public static Table Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table(new TableProperties(
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
                new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }),
            new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }));
        table.Append(Row(true, header));
        foreach (var row in rows) table.Append(Row(false, row));
        return table;
    }

    private static TableRow Row(bool header, IEnumerable<string> cells) =>
        new(cells.Select(c => new TableCell(Paragraph(c, bold: header, size: 21))));
}
