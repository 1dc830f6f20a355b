using System.Net.Http.Headers;
using KeyProjects.Web.Office;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace KeyProjects.Tests.Infrastructure;

/// <summary>Project-list files as an office fills them in: rows of the template, written as .xlsx by MiniExcel.</summary>
public static class ProjectFiles
{
    /// <summary>A good row for a new project of the demo city (a town, a leader and a department it has).</summary>
    public static Dictionary<string, object> Row(string code, int n) => new()
    {
        [ProjectWorkbook.Code] = code, [ProjectWorkbook.Name] = $"导入测试项目{n}", [ProjectWorkbook.Category] = "产业类",
        [ProjectWorkbook.Type] = "新建", [ProjectWorkbook.Level] = "市重点", [ProjectWorkbook.Stage] = n % 5 == 0 ? "前期" : "",
        [ProjectWorkbook.Town] = "城关街道", [ProjectWorkbook.Owner] = "市城投集团", [ProjectWorkbook.Leader] = "张建国",
        [ProjectWorkbook.Department] = "自然资源和规划局", [ProjectWorkbook.Total] = 1000 + n, [ProjectWorkbook.Annual] = 300,
        [ProjectWorkbook.PlannedStart] = "2027-03-01", [ProjectWorkbook.PlannedCompletion] = "2028-12-31",
        [ProjectWorkbook.NationalCode] = "", [ProjectWorkbook.Tour] = n % 7 == 0 ? "是" : "否",
    };

    public static byte[] Workbook(IEnumerable<Dictionary<string, object>> rows)
    {
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, rows.ToList(), sheetName: ProjectWorkbook.Sheet);
        return stream.ToArray();
    }

    /// <summary>The upload's body: the file as the form field "file".</summary>
    public static MultipartFormDataContent Upload(byte[] file, string fileName = "项目清单.xlsx")
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return new MultipartFormDataContent { { content, "file", fileName } };
    }

    /// <summary>A small PNG photo (a grey block on blue) for report photo uploads.</summary>
    public static byte[] Photo(int width = 160, int height = 120)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.SkyBlue);
            using var block = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.Gray };
            canvas.DrawRect(width / 4f, height / 3f, width / 2f, height / 2f, block);
        }
        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        return image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>The rows of an .xlsx (header row as keys).</summary>
    public static List<IDictionary<string, object?>> Read(byte[] file) =>
        MiniExcel.Query(new MemoryStream(file), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();

    public static List<string> Columns(byte[] file) =>
        MiniExcel.GetColumns(new MemoryStream(file), useHeaderRow: true).Select(c => c?.ToString() ?? "").ToList();
}
