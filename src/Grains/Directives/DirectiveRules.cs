using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Directives;

/// <summary>Who may read, answer and judge a directive: the grain enforces these, pages use them to offer the actions.</summary>
public static class DirectiveRules
{
    /// <summary>The leadership, the office and administrators see every directive; a department sees those addressed to it.</summary>
    public static bool MayRead(Actor actor, DirectiveSummary directive) =>
        actor.Role is Role.Leadership or Role.Office or Role.Admin || actor.IsMemberOf(directive.DepartmentId);

    /// <summary>Only the department a directive is addressed to responds to it.</summary>
    public static bool MayRespond(Actor actor, string departmentId) => actor.IsMemberOf(departmentId);

    /// <summary>The issuer judges a response; the office may also judge supervision orders.</summary>
    public static bool MayJudge(Actor actor, DirectiveKind kind, string issuedBy) =>
        actor.UserName == issuedBy || kind == DirectiveKind.SupervisionOrder && actor.Role == Role.Office;
}
