using System.Text.RegularExpressions;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Projects;

namespace KeyProjects.Web.Office;

/// <summary>
/// A project's library fields as the office fills them in — a row of the yearly list's file, the registration form, the
/// API's body. <see cref="Check"/> is the one set of rules all three pass: every field is checked and each fault is
/// named by its field, so a file names row and column, the form marks the box, the API answers 400 naming the field.
/// The leader and the department are given by id or by name.
/// </summary>
public sealed record ProjectForm(
    string? Code, string? Name, ProjectCategory? Category, ProjectType? Type, ProjectLevel? Level, ProjectStage? Stage,
    string? Town, string? OwnerUnit, string? ResponsibleLeader, string? ResponsibleDepartment,
    decimal? TotalInvestment, decimal? AnnualPlannedInvestment, DateOnly? PlannedStart, DateOnly? PlannedCompletion,
    string? NationalCode = null, bool OnInspectionTour = false);

/// <summary>One fault of a form: the field (as the API names it) and what is wrong, in Chinese.</summary>
public sealed record FormFault(string Field, string Message);

public static partial class ProjectRules
{
    public const int CodeMax = 64, NameMax = 200, TownMax = 64, OwnerMax = 200, NationalCodeMax = 64;

    /// <summary>The largest amount a money field takes (万元): a trillion yuan.</summary>
    public const decimal MoneyMax = 100_000_000m;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex CodePattern();

    /// <summary>
    /// The profile a form describes, or every fault in it. A new project starts at its stage (储备 when not given), with
    /// nothing completed; registering again keeps what the project's own commands keep (its stage, start, progress).
    /// </summary>
    public static (ProjectProfile? Profile, IReadOnlyList<FormFault> Faults) Check(ProjectForm form, ProjectRoster roster)
    {
        var faults = new List<FormFault>();
        void Bad(string field, string message) => faults.Add(new FormFault(field, message));
        string Required(string field, string? given, int max)
        {
            var value = given?.Trim() ?? "";
            if (value.Length == 0) Bad(field, "必填");
            else if (value.Length > max) Bad(field, $"最长 {max} 字");
            return value;
        }
        T Chosen<T>(string field, T? value) where T : struct, Enum
        {
            if (value is { } v && Enum.IsDefined(v)) return v;
            Bad(field, value is null ? "必填" : $"不是可选值：{ChineseNames.All<T>()}");
            return default;
        }
        decimal Money(string field, decimal? value)
        {
            if (value is { } m && m >= 0 && m < MoneyMax) return Math.Round(m, 2);
            Bad(field, value is null ? "必填" : "不是不小于0的金额（万元）");
            return 0;
        }

        var code = Required("code", form.Code, CodeMax);
        if (code.Length is > 0 and <= CodeMax && !CodePattern().IsMatch(code)) Bad("code", "只能用字母、数字、短横线和下划线");
        var name = Required("name", form.Name, NameMax);
        var category = Chosen("category", form.Category);
        var type = Chosen("type", form.Type);
        var level = Chosen("level", form.Level);
        var stage = Chosen<ProjectStage>("stage", form.Stage ?? ProjectStage.Reserve);

        // Units that take work first, so a name a retired unit shared finds the one in use; a retired unit is named as such.
        var town = Required("town", form.Town, TownMax);
        var townUnit = roster.Departments.Where(d => d.Kind == DepartmentKind.Town).OrderBy(d => d.Retired).FirstOrDefault(d => d.Name == town || d.Id == town);
        if (town.Length > 0 && townUnit is null) Bad("town", $"“{town}”不是本市的镇街");
        else if (townUnit is { Retired: true }) Bad("town", $"“{town}”已撤销");
        var owner = Required("ownerUnit", form.OwnerUnit, OwnerMax);
        var leaderText = Required("responsibleLeader", form.ResponsibleLeader, 64);
        var leader = roster.Leaders.FirstOrDefault(l => l.Id == leaderText || l.Name == leaderText);
        if (leaderText.Length > 0 && leader is null) Bad("responsibleLeader", $"“{leaderText}”不是领导小组成员");
        var departmentText = Required("responsibleDepartment", form.ResponsibleDepartment, 64);
        var department = roster.Departments.Where(d => d.Kind == DepartmentKind.Department).OrderBy(d => d.Retired)
            .FirstOrDefault(d => d.Id == departmentText || d.Name == departmentText);
        if (departmentText.Length > 0 && department is null) Bad("responsibleDepartment", $"“{departmentText}”不是本市部门");
        else if (department is { Retired: true }) Bad("responsibleDepartment", $"“{departmentText}”已撤销");

        var total = Money("totalInvestment", form.TotalInvestment);
        var annual = Money("annualPlannedInvestment", form.AnnualPlannedInvestment);
        if (annual > total && faults.All(f => f.Field is not ("totalInvestment" or "annualPlannedInvestment"))) Bad("annualPlannedInvestment", "年度计划投资大于总投资");
        if (form.PlannedStart is { } s && form.PlannedCompletion is { } c && c < s) Bad("plannedCompletion", "计划竣工早于计划开工");
        var national = form.NationalCode?.Trim() ?? "";
        if (national.Length > NationalCodeMax) Bad("nationalCode", $"最长 {NationalCodeMax} 位");

        if (faults.Count > 0) return (null, faults);
        return (new ProjectProfile(code, name, category, type, level, stage, townUnit!.Name, owner, leader!.Id, department!.Id, total, annual, 0m,
            form.PlannedStart, form.PlannedCompletion, null, "", 0, form.OnInspectionTour, national.Length > 0 ? national : null), []);
    }
}
