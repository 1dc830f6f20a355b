using System.Security.Claims;
using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Silo.ReadModel;

namespace KeyProjects.Web.Identity;

/// <summary>
/// What one signed-in user may read: the city's single read policy. Pages and the API ask it (through the services),
/// the read matrix test tries it.
/// <list type="bullet">
/// <item>The leadership group, the office and administrators read everything.</item>
/// <item>A department reads what the city shares openly among its officials — the project library and every project's
/// page, the problem lists (a problem's line: title, lead, status, light, deadlines), the figures and the ranking
/// (<see cref="ReadPolicies.CityFigures"/>) — and in full only the problems it takes part in (lead, assisting, or led
/// before a return), its own desk, the orders addressed to it and the meetings it attends or has agenda items in.</item>
/// <item>A project reporter (项目业主 / 镇街) reads only the projects bound to its account
/// (<see cref="AccountRecord.Projects"/>): their pages, reports, photos and problems; and acts only on them.</item>
/// <item>A wall screen (the screen account or a kiosk token) reads only the war room
/// (<see cref="ReadPolicies.WarRoom"/>); no other API or page (<see cref="ReadPolicies.Officials"/>).</item>
/// <item>Anyone who raised a problem reads it.</item>
/// </list>
/// A reporter's projects are read from its account on each request, so a changed binding holds at once.
/// </summary>
public sealed class ReadAccess(IGrainFactory grains)
{
    public async Task<ReadScope> Of(ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        if (actor.Role != Role.ProjectReporter) return new ReadScope(actor, ReadScope.NoProjects);
        var account = await grains.GetGrain<IAccountGrain>(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? actor.UserName.ToUpperInvariant()).Get();
        return new ReadScope(actor, (account?.Projects ?? []).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Why the user may not act on the project as a reporter (404 when there is no such project, else 403), or null when it may.</summary>
    public async Task<CommandOutcome?> RefuseAct(ClaimsPrincipal user, string code)
    {
        if ((await Of(user)).ActsOn(code)) return null;
        return code.Length is > 0 and <= 64 && await grains.GetGrain<KeyProjects.Grains.Projects.IProjectGrain>(code).GetProfile() is not null
            ? ReadScope.ProjectRefused(code)
            : CommandOutcome.NotFound("project.not_found", $"Project '{code}' does not exist.");
    }
}

/// <summary>One user's reach (see <see cref="ReadAccess"/>).</summary>
public sealed record ReadScope(Actor Actor, IReadOnlySet<string> Projects)
{
    public static readonly IReadOnlySet<string> NoProjects = new HashSet<string>();

    /// <summary>Reads the whole city: the leadership group, the office, administrators.</summary>
    public bool WholeCity => Actor.Role is Role.Leadership or Role.Office or Role.Admin;

    /// <summary>A project's page, reports and photos.</summary>
    public bool Project(string code) => WholeCity || Actor.Role == Role.Department || Actor.Role == Role.ProjectReporter && Projects.Contains(code);

    /// <summary>Acts on a project as a reporter may (raises a problem, reports a month): only on its own.</summary>
    public bool ActsOn(string code) => Actor.Role != Role.ProjectReporter || Projects.Contains(code);

    /// <summary>A problem in full: its description, history, inputs, returns.</summary>
    public bool Problem(ProblemView problem) =>
        WholeCity
        || problem.RaisedBy.UserName == Actor.UserName
        || Actor.Role == Role.Department && Actor.DepartmentId is { } unit
            && (problem.Summary.LeadDepartmentId == unit || problem.Summary.AssistingDepartmentIds.Contains(unit) || problem.FormerLeadDepartmentIds.Contains(unit))
        || Actor.Role == Role.ProjectReporter && Projects.Contains(problem.Summary.ProjectCode);

    /// <summary>The problem lines a list shows this user: a reporter sees its own projects' only; wall screens none.</summary>
    public ProblemFilter Narrow(ProblemFilter filter) => Actor.Role switch
    {
        Role.ProjectReporter => filter with { ProjectCodes = filter.ProjectCodes is { } asked ? asked.Where(Projects.Contains).ToList() : Projects.ToList() },
        Role.BigScreen => filter with { ProjectCodes = [] },
        _ => filter,
    };

    /// <summary>The library rows this user sees: a reporter its own projects only; wall screens none.</summary>
    public ProjectFilter Narrow(ProjectFilter filter) => Actor.Role switch
    {
        Role.ProjectReporter => filter with { Codes = filter.Codes is { } asked ? asked.Where(Projects.Contains).ToList() : Projects.ToList() },
        Role.BigScreen => filter with { Codes = [] },
        _ => filter,
    };

    public static CommandOutcome ProjectRefused(string code) =>
        CommandOutcome.Forbidden("project.read_forbidden", $"Project '{code}' is not one of yours.");

    public static CommandOutcome ProblemRefused() =>
        CommandOutcome.Forbidden("problem.read_forbidden", "Only the units taking part in a problem, its project's reporters and the command read it in full.");
}
