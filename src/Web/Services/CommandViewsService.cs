using System.Security.Claims;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Problems;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>One of a leader's 包联 projects: its light, stage, this year's investment against plan, its open problems (red first).</summary>
public sealed record CockpitProject(string Code, string Name, LightReading Light, IReadOnlyList<ProblemSummary> OpenProblems,
    ProjectStage Stage = ProjectStage.UnderConstruction, decimal AnnualPlanned = 0, decimal Completed = 0)
{
    public double? CompletionRate => AnnualPlanned > 0 ? (double)(Completed / AnnualPlanned) : null;
}

/// <summary>A leader's 包联 projects in figures: this year's investment against plan and the time schedule, and the lights.</summary>
public sealed record CockpitFigures(int Projects, decimal AnnualPlanned, decimal Completed, double TimeProgress, int Red, int Yellow, int OpenProblems, int Overdue)
{
    public double? CompletionRate => AnnualPlanned > 0 ? (double)(Completed / AnnualPlanned) : null;
}

/// <summary>A leader's cockpit: my projects, what was escalated to me, what reached the group, my instructions and orders.</summary>
public sealed record CockpitView(
    Leader? Leader,
    CockpitFigures Figures,
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

/// <summary>The leader cockpit and the office console, read from the read model (each list one SQL query).</summary>
public sealed class CommandViewsService(IGrainFactory grains, ReadModelQueries readModel, ProjectService projectService, TimeProvider clock)
{
    /// <summary>Null when the user is not a member of the leadership group.</summary>
    public async Task<CockpitView?> GetCockpit(ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        if (actor.Role != Role.Leadership) return null;
        var members = await grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City).GetMembers();
        var mine = members.FirstOrDefault(m => m.Leader.UserName == actor.UserName);
        var myCodes = (mine?.ProjectCodes ?? []).ToHashSet(StringComparer.Ordinal);
        // Independent reads, at once; the light rules once for every project.
        var openTask = readModel.ProblemList(new ProblemFilter { ProjectCodes = myCodes, Open = true }, ReadModelQueries.MaxLimit);
        var projectsTask = readModel.Projects(myCodes);
        var groupTask = readModel.ProblemList(new ProblemFilter { Open = true, MinEscalation = 2 });
        var mineTask = readModel.Directives(new DirectiveFilter { IssuedBy = actor.UserName });
        var ordersTask = readModel.Directives(new DirectiveFilter { Open = true });
        var lastTask = readModel.LastReportMonths(myCodes);
        var rules = await projectService.LightRules();
        var open = await openTask;
        var last = await lastTask;
        var now = clock.GetUtcNow();
        var byProject = open.ToLookup(p => p.ProjectCode, StringComparer.Ordinal);
        var projects = (await projectsTask)
            .Select(project => new CockpitProject(project.Code, project.Name,
                ProjectService.LightOf(project, byProject[project.Code], last.GetValueOrDefault(project.Code), rules, now), byProject[project.Code].ToList(),
                project.Stage, project.AnnualPlannedInvestment, project.CompletedInvestment))
            .OrderByDescending(p => p.Light.Light).ThenByDescending(p => p.OpenProblems.Count).ThenBy(p => p.Code, StringComparer.Ordinal).ToList();
        var figures = new CockpitFigures(projects.Count, projects.Sum(p => p.AnnualPlanned), projects.Sum(p => p.Completed),
            KeyProjects.Grains.Figures.FigureRules.TimeProgressAt(now),
            projects.Count(p => p.Light.Light == WarningLight.Red), projects.Count(p => p.Light.Light == WarningLight.Yellow),
            open.Count, open.Count(p => p.Overdue));

        return new CockpitView(
            mine?.Leader,
            figures,
            projects,
            open.Where(p => p.EscalationLevel >= 1).ToList(),
            await groupTask,
            await mineTask,
            await ordersTask);
    }

    /// <summary>Null unless the user is the office (or an admin).</summary>
    public async Task<ConsoleView?> GetConsole(ClaimsPrincipal user)
    {
        if (user.ToActor().Role is not (Role.Office or Role.Admin)) return null;
        // Independent sections, read at once (each the first rows of its own index).
        var unrouted = readModel.ProblemList(new ProblemFilter { Status = ProblemStatus.Unrouted });
        var ruling = readModel.ProblemList(new ProblemFilter { Status = ProblemStatus.AwaitingRuling });
        var pauses = readModel.ProblemList(new ProblemFilter { Pause = PauseState.Requested, Open = true });
        var overdue = readModel.ProblemList(new ProblemFilter { Overdue = true, Open = true });
        var agenda = readModel.ProblemList(new ProblemFilter { OnAgenda = true, Open = true });
        var orders = readModel.Directives(new DirectiveFilter { Open = true });
        return new ConsoleView(await unrouted, await ruling, await pauses, await overdue, await agenda, await orders);
    }
}
