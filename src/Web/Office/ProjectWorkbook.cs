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

    /// <summary>The column of each field <see cref="ProjectRules.Check"/> names.</summary>
    private static readonly IReadOnlyDictionary<string, string> ColumnOf = new Dictionary<string, string>
    {
        ["code"] = Code, ["name"] = Name, ["category"] = Category, ["type"] = Type, ["level"] = Level, ["stage"] = Stage, ["town"] = Town,
        ["ownerUnit"] = Owner, ["responsibleLeader"] = Leader, ["responsibleDepartment"] = Department, ["totalInvestment"] = Total,
        ["annualPlannedInvestment"] = Annual, ["plannedStart"] = PlannedStart, ["plannedCompletion"] = PlannedCompletion, ["nationalCode"] = NationalCode,
    };

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
            // A cell that is not the kind of value its column takes is named here; what the value means is ProjectRules'.
            TEnum? Choice<TEnum>(string column) where TEnum : struct, Enum
            {
                var value = Cell(column);
                if (value.Length == 0) return null;
                if (ChineseNames.TryParse<TEnum>(value, out var parsed)) return parsed;
                Bad(column, $"“{value}”不是可选值：{ChineseNames.All<TEnum>()}");
                return null;
            }
            decimal? Money(string column)
            {
                var value = cells.TryGetValue(column, out var v) ? v : null;
                if (Text(value).Length == 0) return null;
                if (Number(value) is { } number && number >= 0 && number < ProjectRules.MoneyMax) return number;
                Bad(column, $"“{Text(value)}”不是不小于0的金额（万元）");
                return null;
            }
            DateOnly? Date(string column)
            {
                var value = cells.TryGetValue(column, out var v) ? v : null;
                if (Text(value).Length == 0) return null;
                if (ToDate(value) is { } day) return day;
                Bad(column, $"“{Text(value)}”不是日期（如 2026-03-01）");
                return null;
            }

            var tour = Cell(Tour);
            if (tour.Length > 0 && tour is not ("是" or "否")) Bad(Tour, "填“是”或“否”");
            var form = new ProjectForm(Cell(Code), Cell(Name), Choice<ProjectCategory>(Category), Choice<ProjectType>(Type), Choice<ProjectLevel>(Level),
                Choice<ProjectStage>(Stage), Cell(Town), Cell(Owner), Cell(Leader), Cell(Department), Money(Total), Money(Annual),
                Date(PlannedStart), Date(PlannedCompletion), Cell(NationalCode), tour == "是");
            var unreadable = rowErrors.Select(e => e.Column).ToHashSet();
            var (profile, faults) = ProjectRules.Check(form, roster);
            // A column whose cell could not be read is named once (not again as "必填").
            foreach (var fault in faults)
                if (ColumnOf[fault.Field] is var column && !unreadable.Contains(column)) Bad(column, fault.Message);
            var code = form.Code?.Trim() ?? "";
            if (code.Length > 0 && seen.TryGetValue(code, out var first)) Bad(Code, $"与第 {first} 行重复");
            else if (code.Length > 0) seen[code] = row;

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors.OrderBy(e => Columns.ToList().IndexOf(e.Column)));
                continue;
            }
            projects.Add(profile!);
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
