using System.Security.Claims;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>One of a leader's 包联 projects with its light and its open problems, red first.</summary>
public sealed record CockpitProject(string Code, string Name, LightReading Light, IReadOnlyList<ProblemSummary> OpenProblems);

/// <summary>A leader's cockpit: my projects, what was escalated to me, what reached the group, my instructions and orders.</summary>
public sealed record CockpitView(
    Leader? Leader,
    IReadOnlyList<CockpitProject> Projects,
    IReadOnlyList<ProblemSummary> EscalatedToMe,
    IReadOnlyList<ProblemSummary> EscalatedToGroup,
    IReadOnlyList<DirectiveSummary> MyDirectives,
    IReadOnlyList<DirectiveSummary> OpenDirectives);

/// <summary>The office console: what waits for the office.</summary>
public sealed record ConsoleView(
    IReadOnlyList<ProblemSummary> Unrouted,
    IReadOnlyList<ProblemSummary> AwaitingRuling,
    IReadOnlyList<ProblemSummary> PauseRequests,
    IReadOnlyList<ProblemSummary> Overdue,
    IReadOnlyList<ProblemSummary> Agenda,
    IReadOnlyList<DirectiveSummary> OpenDirectives);

/// <summary>The leader cockpit and the office console, read from the grains that keep them.</summary>
public sealed class CommandViewsService(IGrainFactory grains)
{
    public static readonly IComparer<ProblemSummary> Urgency = Comparer<ProblemSummary>.Create((a, b) =>
        (-(int)a.Light.Light, a.CurrentDeadline ?? DateTimeOffset.MaxValue).CompareTo((-(int)b.Light.Light, b.CurrentDeadline ?? DateTimeOffset.MaxValue)));

    private ICommandOfficeGrain Office => grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City);

    /// <summary>Null when the user is not a member of the leadership group.</summary>
    public async Task<CockpitView?> GetCockpit(ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        if (actor.Role != Role.Leadership) return null;
        var members = await grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City).GetMembers();
        var mine = members.FirstOrDefault(m => m.Leader.UserName == actor.UserName);
        var projects = new List<CockpitProject>();
        foreach (var code in mine?.ProjectCodes ?? [])
        {
            var project = grains.GetGrain<IProjectGrain>(code);
            if (await project.GetProfile() is not { } profile) continue;
            var open = (await project.GetProblems()).Where(p => p.IsOpen).OrderBy(p => p, Urgency).ToList();
            projects.Add(new CockpitProject(profile.Code, profile.Name, await project.GetLight(), open));
        }
        projects = projects.OrderByDescending(p => p.Light.Light).ThenByDescending(p => p.OpenProblems.Count).ThenBy(p => p.Code, StringComparer.Ordinal).ToList();

        var problems = await Office.GetProblems();
        var directives = await Office.GetDirectives();
        var myCodes = (mine?.ProjectCodes ?? []).ToHashSet(StringComparer.Ordinal);
        return new CockpitView(
            mine?.Leader,
            projects,
            problems.Where(p => p.IsOpen && p.EscalationLevel >= 1 && myCodes.Contains(p.ProjectCode)).OrderBy(p => p, Urgency).ToList(),
            problems.Where(p => p.IsOpen && p.EscalationLevel >= 2).OrderBy(p => p, Urgency).ToList(),
            directives.Where(d => d.IssuedBy == actor.UserName).ToList(),
            directives.Where(d => d.IsOpen).ToList());
    }

    /// <summary>Null unless the user is the office (or an admin).</summary>
    public async Task<ConsoleView?> GetConsole(ClaimsPrincipal user)
    {
        if (user.ToActor().Role is not (Role.Office or Role.Admin)) return null;
        var problems = await Office.GetProblems();
        List<ProblemSummary> Where(Func<ProblemSummary, bool> filter) => problems.Where(filter).OrderBy(p => p, Urgency).ToList();
        return new ConsoleView(
            Where(p => p.Status == ProblemStatus.Unrouted),
            Where(p => p.Status == ProblemStatus.AwaitingRuling),
            Where(p => p.Pause == PauseState.Requested),
            Where(p => p.Overdue),
            Where(p => p.IsOpen && p.OnMeetingAgenda),
            (await Office.GetDirectives()).Where(d => d.IsOpen).ToList());
    }
}
