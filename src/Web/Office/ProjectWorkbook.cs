using System.Globalization;
using System.Text.RegularExpressions;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Projects;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace KeyProjects.Web.Office;

/// <summary>A bad cell of an uploaded file: its row as the spreadsheet numbers it (the header is row 1), its column, why.</summary>
public sealed record ImportError(int Row, string Column, string Message, string? Sheet = null);

/// <summary>What the city's roster says a file may name: departments and towns, leaders.</summary>
public sealed record ProjectRoster(IReadOnlyList<DepartmentProfile> Departments, IReadOnlyList<Leader> Leaders);

/// <summary>
/// The project list as an .xlsx (MiniExcel): the template the office fills in, the export of the library (which
/// imports again as it is), and the reading of an uploaded file — every row checked, every bad cell named by row and
/// column, nothing taken from a file with a single bad cell.
/// </summary>
public static partial class ProjectWorkbook
{
    public const string Sheet = "项目清单";
    public const long MaxBytes = 5 * 1024 * 1024;

    public const string Code = "项目编号", Name = "项目名称", Category = "项目类别", Type = "建设性质", Level = "项目级别", Stage = "项目阶段",
        Town = "所在镇街", Owner = "项目业主", Leader = "包联领导", Department = "责任单位", Total = "总投资(万元)", Annual = "年度计划投资(万元)",
        PlannedStart = "计划开工", PlannedCompletion = "计划竣工", NationalCode = "国家项目代码", Tour = "拟观摩";

    /// <summary>The columns a file must have, in the template's order.</summary>
    public static readonly IReadOnlyList<string> Columns =
        [Code, Name, Category, Type, Level, Stage, Town, Owner, Leader, Department, Total, Annual, PlannedStart, PlannedCompletion, NationalCode, Tour];

    /// <summary>Columns the export adds (read-only facts; an import ignores them).</summary>
    public const string ActualStart = "实际开工", ActualCompletion = "实际竣工", Completed = "年度完成投资(万元)";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex CodePattern();

    /// <summary>The empty template, with a sheet of instructions and the values each column takes.</summary>
    public static byte[] Template(ProjectRoster roster)
    {
        // The header and one empty row (an empty row is skipped on import): MiniExcel writes no header for a sheet without rows.
        var table = new List<Dictionary<string, object>> { Columns.ToDictionary(c => c, _ => (object)"") };
        var help = new List<Dictionary<string, object>>
        {
            Help(Code, "必填；字母、数字、短横线，最长64位；已在库的编号更新该项目（阶段不变，阶段请在项目页登记）"),
            Help(Name, "必填，最长200字"),
            Help(Category, "必填：" + ChineseNames.All<ProjectCategory>()),
            Help(Type, "必填：" + ChineseNames.All<ProjectType>()),
            Help(Level, "必填：" + ChineseNames.All<ProjectLevel>()),
            Help(Stage, "新入库项目的阶段，不填为谋划储备：" + ChineseNames.All<ProjectStage>()),
            Help(Town, "必填：" + string.Join("、", roster.Departments.Where(d => d.Kind == DepartmentKind.Town).Select(d => d.Name))),
            Help(Owner, "必填，最长200字"),
            Help(Leader, "必填，领导小组成员姓名：" + string.Join("、", roster.Leaders.Select(l => l.Name))),
            Help(Department, "必填，部门名称：" + string.Join("、", roster.Departments.Where(d => d.Kind == DepartmentKind.Department).Select(d => d.Name))),
            Help(Total, "必填，万元，不小于0"),
            Help(Annual, "必填，万元，不小于0且不大于总投资"),
            Help(PlannedStart, "日期，如 2026-03-01"),
            Help(PlannedCompletion, "日期，不早于计划开工"),
            Help(NationalCode, "选填，投资项目在线审批监管平台代码"),
            Help(Tour, "选填：是 / 否"),
        };
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, new Dictionary<string, object> { [Sheet] = table, ["填写说明"] = help });
        return stream.ToArray();
    }

    private static Dictionary<string, object> Help(string column, string text) => new() { ["列"] = column, ["填写要求"] = text };

    /// <summary>The library's projects as a file that imports again as it is.</summary>
    public static byte[] Export(IEnumerable<ProjectSummary> projects, ProjectRoster roster)
    {
        var departments = roster.Departments.ToDictionary(d => d.Id, d => d.Name);
        var leaders = roster.Leaders.ToDictionary(l => l.Id, l => l.Name);
        var rows = projects.Select(p => new Dictionary<string, object?>
        {
            [Code] = p.Code, [Name] = p.Name, [Category] = ChineseNames.Of(p.Category), [Type] = ChineseNames.Of(p.Type),
            [Level] = ChineseNames.Of(p.Level), [Stage] = ChineseNames.Of(p.Stage), [Town] = p.Town, [Owner] = p.OwnerUnit,
            [Leader] = leaders.GetValueOrDefault(p.ResponsibleLeaderId, p.ResponsibleLeaderId),
            [Department] = departments.GetValueOrDefault(p.ResponsibleDepartmentId, p.ResponsibleDepartmentId),
            [Total] = p.TotalInvestment, [Annual] = p.AnnualPlannedInvestment,
            [PlannedStart] = Day(p.PlannedStart), [PlannedCompletion] = Day(p.PlannedCompletion), [NationalCode] = p.NationalCode ?? "",
            [Tour] = p.OnInspectionTour ? "是" : "否",
            [ActualStart] = Day(p.ActualStart), [ActualCompletion] = Day(p.ActualCompletion), [Completed] = p.CompletedInvestment,
        }).ToList();
        using var stream = new MemoryStream();
        if (rows.Count == 0) rows.Add(Columns.Append(ActualStart).Append(ActualCompletion).Append(Completed).ToDictionary(c => c, _ => (object?)""));
        MiniExcel.SaveAs(stream, rows, sheetName: Sheet);
        return stream.ToArray();
    }

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// Reads an uploaded file: the projects when every row is good, else every bad cell (and no project). Fully empty
    /// rows are skipped; a missing column is named once, in row 1.
    /// </summary>
    public static (IReadOnlyList<ProjectProfile> Projects, IReadOnlyList<ImportError> Errors) Read(Stream file, ProjectRoster roster)
    {
        using var buffer = new MemoryStream();
        file.CopyTo(buffer);
        var (rows, errors) = SheetReader.Read(buffer.ToArray(), null, Columns);
        if (errors.Count > 0) return ([], errors);
        if (rows.Count > IProjectImportGrain.MaxRows)
            return ([], [new ImportError(0, "file", $"一次最多导入 {IProjectImportGrain.MaxRows} 个项目")]);

        // Units that take work first, so a name a retired unit shared finds the one in use; a retired unit is named as such.
        var towns = roster.Departments.Where(d => d.Kind == DepartmentKind.Town).OrderBy(d => d.Retired).ToList();
        var departments = roster.Departments.Where(d => d.Kind == DepartmentKind.Department).OrderBy(d => d.Retired).ToList();
        var projects = new List<ProjectProfile>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = rows[i];
            if (SheetReader.IsEmpty(cells)) continue;
            var row = i + 2;
            var rowErrors = new List<ImportError>();
            string Cell(string column) => Text(cells.TryGetValue(column, out var v) ? v : null);
            void Bad(string column, string message) => rowErrors.Add(new ImportError(row, column, message));
            string Required(string column, int max)
            {
                var value = Cell(column);
                if (value.Length == 0) Bad(column, "必填");
                else if (value.Length > max) Bad(column, $"最长 {max} 字");
                return value;
            }
            TEnum Choice<TEnum>(string column, TEnum? fallback = null) where TEnum : struct, Enum
            {
                var value = Cell(column);
                if (value.Length == 0 && fallback is { } given) return given;
                if (ChineseNames.TryParse<TEnum>(value, out var parsed)) return parsed;
                Bad(column, value.Length == 0 ? "必填" : $"“{value}”不是可选值：{ChineseNames.All<TEnum>()}");
                return default;
            }
            decimal Money(string column)
            {
                var value = cells.TryGetValue(column, out var v) ? v : null;
                if (Number(value) is { } number && number >= 0 && number < 100_000_000m) return Math.Round(number, 2);
                Bad(column, Text(value).Length == 0 ? "必填" : $"“{Text(value)}”不是不小于0的金额（万元）");
                return 0;
            }
            DateOnly? Date(string column)
            {
                var value = cells.TryGetValue(column, out var v) ? v : null;
                if (Text(value).Length == 0) return null;
                if (ToDate(value) is { } day) return day;
                Bad(column, $"“{Text(value)}”不是日期（如 2026-03-01）");
                return null;
            }

            var code = Required(Code, 64);
            if (code.Length > 0 && !CodePattern().IsMatch(code)) Bad(Code, "只能用字母、数字、短横线和下划线");
            else if (code.Length > 0 && seen.TryGetValue(code, out var first)) Bad(Code, $"与第 {first} 行重复");
            else if (code.Length > 0) seen[code] = row;
            var name = Required(Name, 200);
            var category = Choice<ProjectCategory>(Category);
            var type = Choice<ProjectType>(Type);
            var level = Choice<ProjectLevel>(Level);
            var stage = Choice(Stage, (ProjectStage?)ProjectStage.Reserve);
            var town = Required(Town, 64);
            var townUnit = towns.FirstOrDefault(d => d.Name == town);
            if (town.Length > 0 && townUnit is null) Bad(Town, $"“{town}”不是本市的镇街");
            else if (townUnit is { Retired: true }) Bad(Town, $"“{town}”已撤销");
            var owner = Required(Owner, 200);
            var leaderText = Required(Leader, 64);
            var leader = roster.Leaders.FirstOrDefault(l => l.Name == leaderText || l.Id == leaderText);
            if (leaderText.Length > 0 && leader is null) Bad(Leader, $"“{leaderText}”不是领导小组成员");
            var departmentText = Required(Department, 64);
            var department = departments.FirstOrDefault(d => d.Name == departmentText || d.Id == departmentText);
            if (departmentText.Length > 0 && department is null) Bad(Department, $"“{departmentText}”不是本市部门");
            else if (department is { Retired: true }) Bad(Department, $"“{departmentText}”已撤销");
            var total = Money(Total);
            var annual = Money(Annual);
            if (annual > total && rowErrors.All(e => e.Column is not (Total or Annual))) Bad(Annual, "年度计划投资大于总投资");
            var plannedStart = Date(PlannedStart);
            var plannedCompletion = Date(PlannedCompletion);
            if (plannedStart is { } s && plannedCompletion is { } c && c < s) Bad(PlannedCompletion, "计划竣工早于计划开工");
            var national = Cell(NationalCode);
            if (national.Length > 64) Bad(NationalCode, "最长 64 位");
            var tour = Cell(Tour);
            if (tour.Length > 0 && tour is not ("是" or "否")) Bad(Tour, "填“是”或“否”");

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }
            projects.Add(new ProjectProfile(code, name, category, type, level, stage, town, owner, leader!.Id, department!.Id, total, annual, 0m,
                plannedStart, plannedCompletion, null, "", 0, tour == "是", national.Length > 0 ? national : null));
        }
        if (errors.Count == 0 && projects.Count == 0) errors.Add(new ImportError(0, "file", "文件中没有项目"));
        return errors.Count > 0 ? ([], errors) : (projects, []);
    }

    private static string Text(object? value) => SheetReader.Text(value);

    private static decimal? Number(object? value) => value switch
    {
        double d when d is > -1e15 and < 1e15 => (decimal)d,
        decimal m => m,
        int n => n,
        long n => n,
        string s when decimal.TryParse(s.Replace(",", "", StringComparison.Ordinal).Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日"];

    private static DateOnly? ToDate(object? value) => value switch
    {
        DateTime d => DateOnly.FromDateTime(d),
        double oa when oa is > 20000 and < 80000 => DateOnly.FromDateTime(DateTime.FromOADate(oa)),
        string s when DateOnly.TryParseExact(s.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) => day,
        _ => null,
    };
}
