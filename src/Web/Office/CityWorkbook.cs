using System.Text.RegularExpressions;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace KeyProjects.Web.Office;

/// <summary>A user as the city's starting data lists one (the first password only for a new account).</summary>
public sealed record CityUser(string UserName, string DisplayName, Role Role, string? DepartmentId, string Password);

/// <summary>The city's starting data read from one workbook: its departments and towns, its users, its leaders.</summary>
public sealed record CityData(IReadOnlyList<DepartmentProfile> Departments, IReadOnlyList<CityUser> Users, IReadOnlyList<Leader> Leaders);

/// <summary>What the city has already: a file may refer to it (a user of an existing department, a leader's existing account).</summary>
public sealed record CityRoster(IReadOnlyList<DepartmentProfile> Departments, IReadOnlyList<Leader> Leaders, IReadOnlyDictionary<string, (Role Role, string? DepartmentId)> Accounts);

/// <summary>
/// The city's starting data as an .xlsx (MiniExcel): three sheets — 单位 (departments and towns), 用户 (accounts),
/// 领导 (the leadership group) — the template to fill in, the export of what the city has, and the reading of an
/// upload: every row of every sheet checked, bad cells named by sheet, row and column, nothing returned unless all are good.
/// </summary>
public static partial class CityWorkbook
{
    public const string Units = "单位", Users = "用户", Leaders = "领导";
    public const string UnitId = "单位编码", UnitName = "单位名称", UnitKind = "类型";
    public const string UserName = "登录账号", DisplayName = "姓名", UserRole = "角色", UserUnit = "所属单位", Password = "初始密码";
    public const string LeaderId = "领导编码", LeaderName = "姓名", LeaderTitle = "职务", LeaderAccount = "登录账号";
    public const int MaxRows = 2000;

    public static readonly string[] UnitColumns = [UnitId, UnitName, UnitKind];
    public static readonly string[] UserColumns = [UserName, DisplayName, UserRole, UserUnit, Password];
    public static readonly string[] LeaderColumns = [LeaderId, LeaderName, LeaderTitle, LeaderAccount];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    public static byte[] Template() => Write([], [], [], withHelp: true);

    /// <summary>What the city has, as a file that imports again as it is (no passwords: existing accounts keep theirs).</summary>
    public static byte[] Export(CityRoster roster, IReadOnlyList<(string UserName, string DisplayName, Role Role, string? DepartmentId)> accounts) =>
        Write(roster.Departments.Select(d => Row(UnitColumns, d.Id, d.Name, ChineseNames.Of(d.Kind))),
            accounts.Select(a => Row(UserColumns, a.UserName, a.DisplayName, ChineseNames.Of(a.Role),
                roster.Departments.FirstOrDefault(d => d.Id == a.DepartmentId)?.Name ?? a.DepartmentId ?? "", "")),
            roster.Leaders.Select(l => Row(LeaderColumns, l.Id, l.Name, l.Title, l.UserName ?? "")), withHelp: false);

    private static Dictionary<string, object> Row(string[] columns, params string[] values) =>
        columns.Select((c, i) => (c, values[i])).ToDictionary(x => x.c, x => (object)x.Item2);

    private static byte[] Write(IEnumerable<Dictionary<string, object>> units, IEnumerable<Dictionary<string, object>> users,
        IEnumerable<Dictionary<string, object>> leaders, bool withHelp)
    {
        // An empty sheet is written with one empty row (skipped on import): MiniExcel writes no header without rows.
        static List<Dictionary<string, object>> OrEmpty(IEnumerable<Dictionary<string, object>> rows, string[] columns)
        {
            var list = rows.ToList();
            return list.Count > 0 ? list : [columns.ToDictionary(c => c, _ => (object)"")];
        }
        var sheets = new Dictionary<string, object>
        {
            [Units] = OrEmpty(units, UnitColumns), [Users] = OrEmpty(users, UserColumns), [Leaders] = OrEmpty(leaders, LeaderColumns),
        };
        if (withHelp)
            sheets["填写说明"] = new List<Dictionary<string, object>>
            {
                Help(Units, $"{UnitId}：字母、数字、短横线，如 zrzy；{UnitName}：如 自然资源和规划局；{UnitKind}：{ChineseNames.All<DepartmentKind>()}"),
                Help(Users, $"{UserRole}：{ChineseNames.All<Role>()}；{UserUnit}：{ChineseNames.Of(Role.Department)}用户必填（单位名称或编码）；{Password}：新账号必填，首次登录后请修改"),
                Help(Leaders, $"{LeaderId}：如 L01；{LeaderAccount}：选填，领导的登录账号（本文件或系统中已有的账号）"),
            };
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheets);
        return stream.ToArray();
    }

    private static Dictionary<string, object> Help(string sheet, string text) => new() { ["工作表"] = sheet, ["填写要求"] = text };

    /// <summary>Reads an upload against what the city has; a password is checked by <paramref name="passwordProblem"/> (null when good).</summary>
    public static (CityData? Data, IReadOnlyList<ImportError> Errors) Read(byte[] file, CityRoster roster, Func<string, string?> passwordProblem,
        string allowedUserNameCharacters)
    {
        var (unitRows, unitErrors) = SheetReader.Read(file, Units, UnitColumns);
        var (userRows, userErrors) = SheetReader.Read(file, Users, UserColumns);
        var (leaderRows, leaderErrors) = SheetReader.Read(file, Leaders, LeaderColumns);
        var errors = unitErrors.Concat(userErrors).Concat(leaderErrors).ToList();
        if (errors.Count > 0) return (null, errors);
        if (unitRows.Count + userRows.Count + leaderRows.Count > MaxRows) return (null, [new ImportError(0, "file", $"一次最多导入 {MaxRows} 行")]);

        // 单位: new ones and renamed ones; ids and names unique in the file.
        var units = new List<DepartmentProfile>();
        Each(unitRows, Units, (cell, bad, row, seen) =>
        {
            var id = Id(cell, bad, UnitId, seen);
            var name = cell.Required(UnitName, 64);
            if (name.Length > 0 && units.Any(u => u.Name == name)) bad(UnitName, "单位名称重复");
            var kind = cell.Choice<DepartmentKind>(UnitKind);
            return () => units.Add(new DepartmentProfile(id, name, kind));
        }, errors);
        var allUnits = roster.Departments.Where(d => units.All(u => u.Id != d.Id)).Concat(units).ToList();

        // 用户: a new account, or one the city has with the same role and unit (kept as it is: a file imports again).
        var users = new List<CityUser>();
        Each(userRows, Users, (cell, bad, row, seen) =>
        {
            var name = cell.Required(UserName, 64);
            if (name.Length > 0 && name.Any(c => !allowedUserNameCharacters.Contains(c))) bad(UserName, "只能用字母、数字和 - . _ @ +");
            else if (name.Length > 0 && !seen.Add(name.ToUpperInvariant())) bad(UserName, "登录账号重复");
            var display = cell.Required(DisplayName, KeyProjects.Web.Identity.KeyProjectsUser.DisplayNameMaxLength);
            var role = cell.Choice<Role>(UserRole);
            var unitText = cell.Text(UserUnit);
            string? unit = null;
            if (role == Role.Department)
            {
                unit = allUnits.OrderBy(d => d.Retired).FirstOrDefault(d => d.Name == unitText || d.Id == unitText)?.Id;
                if (unitText.Length == 0) bad(UserUnit, "部门用户必填所属单位");
                else if (unit is null) bad(UserUnit, $"“{unitText}”不是本市单位（单位表或系统中）");
                else if (roster.Departments.Any(d => d.Id == unit && d.Retired)) bad(UserUnit, $"“{unitText}”已撤销");
            }
            var password = cell.Text(Password);
            if (name.Length > 0 && roster.Accounts.TryGetValue(name, out var existing))
            {
                if (existing.Role != role || existing.DepartmentId != unit) bad(UserName, "账号已存在，且角色或单位与本行不同");
            }
            else if (password.Length == 0) bad(Password, "新账号必填");
            else if (passwordProblem(password) is { } problem) bad(Password, problem);
            return () => users.Add(new CityUser(name, display, role, unit, password));
        }, errors);

        // 领导: id, name, title; the account, when given, is one of the file's users or the city's accounts.
        var leaders = new List<Leader>();
        Each(leaderRows, Leaders, (cell, bad, row, seen) =>
        {
            var id = Id(cell, bad, LeaderId, seen);
            var name = cell.Required(LeaderName, 64);
            var title = cell.Required(LeaderTitle, 64);
            var account = cell.Text(LeaderAccount);
            if (account.Length > 0 && users.All(u => !string.Equals(u.UserName, account, StringComparison.OrdinalIgnoreCase)) && !roster.Accounts.ContainsKey(account)
                && userRows.All(r => !string.Equals(SheetReader.Text(r.TryGetValue(UserName, out var v) ? v : null), account, StringComparison.OrdinalIgnoreCase)))
                bad(LeaderAccount, $"“{account}”不是用户表或系统中的账号");
            return () => leaders.Add(new Leader(id, name, title, account.Length == 0 ? null : account));
        }, errors);

        return errors.Count > 0 ? (null, errors) : (new CityData(units, users, leaders), []);
    }

    private static string Id(Cells cell, Action<string, string> bad, string column, HashSet<string> seen)
    {
        var id = cell.Required(column, 64);
        if (id.Length > 0 && !IdPattern().IsMatch(id)) bad(column, "只能用字母、数字、短横线和下划线");
        else if (id.Length > 0 && !seen.Add(id)) bad(column, "编码重复");
        return id;
    }

    /// <summary>Checks each non-empty row; a row without a bad cell runs what its check returned.</summary>
    private static void Each(List<IDictionary<string, object?>> rows, string sheet,
        Func<Cells, Action<string, string>, int, HashSet<string>, Action> check, List<ImportError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            if (SheetReader.IsEmpty(rows[i])) continue;
            var row = i + 2;
            var rowErrors = new List<ImportError>();
            void Bad(string column, string message) => rowErrors.Add(new ImportError(row, column, message, sheet));
            var cells = new Cells(rows[i], Bad);
            var add = check(cells, Bad, row, seen);
            if (rowErrors.Count == 0) add();
            errors.AddRange(rowErrors);
        }
    }

    /// <summary>One row's cells with the checks every sheet uses.</summary>
    private sealed class Cells(IDictionary<string, object?> row, Action<string, string> bad)
    {
        public string Text(string column) => SheetReader.Text(row.TryGetValue(column, out var v) ? v : null);

        public string Required(string column, int max)
        {
            var value = Text(column);
            if (value.Length == 0) bad(column, "必填");
            else if (value.Length > max) bad(column, $"最长 {max} 字");
            return value;
        }

        public TEnum Choice<TEnum>(string column) where TEnum : struct, Enum
        {
            var value = Text(column);
            if (ChineseNames.TryParse<TEnum>(value, out var parsed)) return parsed;
            bad(column, value.Length == 0 ? "必填" : $"“{value}”不是可选值：{ChineseNames.All<TEnum>()}");
            return default;
        }
    }
}
