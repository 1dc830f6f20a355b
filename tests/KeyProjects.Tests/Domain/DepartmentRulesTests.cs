using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;

namespace KeyProjects.Tests.Domain;

/// <summary>The duty lists (职责清单) and the lead proposals made from them, on hand-made units.</summary>
public sealed class DepartmentRulesTests
{
    private static DepartmentView Unit(string id, string name, bool retired = false, params string[] duties) =>
        new(new DepartmentProfile(id, name, DepartmentKind.Department, retired), duties, null, null, null, 1);

    private static readonly DepartmentView[] Units =
    [
        Unit("zrzy", "自然资源和规划局", false, "用地预审、选址", "土地供应、供地、用地"),
        Unit("czj", "财政局", false, "财政资金、资金、专项债"),
        Unit("jrb", "金融服务中心", false, "融资、资金缺口"),
        Unit("old", "原国土局", true, "土地供应、用地预审、征地"),
        Unit("none", "统计局"),
    ];

    [Fact]
    public void The_unit_whose_longest_duty_terms_appear_in_the_problem_is_proposed_first_with_the_words_that_matched()
    {
        var proposals = DepartmentRules.ProposeLead("二期地块土地供应迟迟未落实，需要用地预审 用地", Units);
        var first = Assert.Single(proposals);
        Assert.Equal("zrzy", first.DepartmentId);
        Assert.Equal(["用地预审", "土地供应"], first.Matched); // 用地 lies inside 用地预审 and adds nothing
        Assert.Equal(8, first.Score);
        Assert.DoesNotContain(proposals, p => p.DepartmentId == "old"); // retired units are never proposed

        // 资金缺口 (four characters) outweighs 资金 (two): the financing centre first, the finance bureau second.
        Assert.Equal(["jrb", "czj"], DepartmentRules.ProposeLead("项目资金缺口 3000 万元", Units).Select(p => p.DepartmentId));
        // Nothing matched, nothing proposed: the office routes it.
        Assert.Empty(DepartmentRules.ProposeLead("施工噪声投诉", Units));
        Assert.Empty(DepartmentRules.ProposeLead("  ", Units));
    }

    [Fact]
    public void A_duty_list_is_kept_trimmed_without_blanks_or_repeats_and_too_many_or_too_long_is_named()
    {
        var (kept, refused) = DepartmentRules.Duties([" 土地供应 ", "", null, "土地供应", "规划许可"]);
        Assert.Null(refused);
        Assert.Equal(["土地供应", "规划许可"], kept);
        Assert.Equal("duties", DepartmentRules.Duties(Enumerable.Range(0, DepartmentRules.MaxDuties + 1).Select(i => $"职责{i}")).Refused?.Field);
        Assert.Equal("text.too_long", DepartmentRules.Duties([new string('职', DepartmentRules.DutyMaxLength + 1)]).Refused?.Code);
        Assert.True(DepartmentRules.IsWellFormedId("zrzy-2_a"));
        Assert.False(DepartmentRules.IsWellFormedId("自然资源"));
        Assert.False(DepartmentRules.IsWellFormedId(new string('a', DepartmentRules.IdMaxLength + 1)));
    }
}
