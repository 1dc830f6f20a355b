using System.Globalization;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace KeyProjects.Web.Office;

/// <summary>
/// Reads the rows of one sheet of an uploaded workbook (MiniExcel), header row as keys: whatever MiniExcel makes of a
/// file that is not a workbook, and every column the template has that the sheet lacks, is a named error, not a 500.
/// </summary>
public static class SheetReader
{
    public static (List<IDictionary<string, object?>> Rows, List<ImportError> Errors) Read(byte[] file, string? sheet, IReadOnlyList<string> columns)
    {
        try
        {
            using var buffer = new MemoryStream(file);
            var header = MiniExcel.GetColumns(buffer, useHeaderRow: true, sheetName: sheet).Select(c => c?.ToString()?.Trim() ?? "").ToList();
            buffer.Position = 0;
            var rows = MiniExcel.Query(buffer, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().ToList();
            var missing = columns.Where(c => !header.Contains(c)).Select(c => new ImportError(1, c, "缺少此列（请使用下载的模板）", sheet)).ToList();
            return missing.Count > 0 ? ([], missing) : (rows, []);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ([], [new ImportError(0, "file", (sheet is null ? "" : $"找不到工作表“{sheet}”或") + "不是可读取的 .xlsx 文件：" + e.Message, sheet)]);
        }
    }

    /// <summary>A cell as text (dates as yyyy-MM-dd, numbers invariant), trimmed.</summary>
    public static string Text(object? value) => value switch
    {
        null => "",
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture).Trim(),
        _ => value.ToString()?.Trim() ?? "",
    };

    public static bool IsEmpty(IDictionary<string, object?> row) => row.Values.All(v => string.IsNullOrWhiteSpace(Text(v)));
}
