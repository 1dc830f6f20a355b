using System.Security.Claims;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Directives;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

public enum InboxAccess
{
    Allowed,
    NotFound,
    Forbidden,
}

/// <summary>A department's desk: its problems by urgency, what it returned, its overdue items, its orders, its figures.</summary>
public sealed record DeskView(
    DepartmentProfile Department,
    IReadOnlyList<ProblemSummary> Lead,
    IReadOnlyList<ProblemSummary> Assisting,
    IReadOnlyList<ProblemSummary> Former,
    IReadOnlyList<ProblemSummary> Overdue,
    IReadOnlyList<DirectiveSummary> Directives,
    DepartmentFigures Figures);

/// <summary>The roster of departments and towns, a department's inbox and desk, its figures, and the leadership group.</summary>
public sealed class DepartmentService(IGrainFactory grains, ReadModelQueries readModel, TimeProvider clock)
{
    public Task<IReadOnlyList<DepartmentProfile>> GetDepartments() =>
        grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).GetDepartments();

    /// <summary>The units that take new work (retired ones keep their names on what they handled, for display only).</summary>
    public async Task<IReadOnlyList<DepartmentProfile>> GetActiveDepartments() => (await GetDepartments()).Where(d => !d.Retired).ToList();

    /// <summary>
    /// The units whose duty lists (职责清单) best match a problem's title, description and category, best first, with the
    /// duty words that matched: a proposal to whoever routes the problem, never a routing.
    /// </summary>
    public async Task<IReadOnlyList<LeadProposal>> ProposeLead(string? title, string? description, ProblemCategory? category)
    {
        var text = string.Join(" ", title, description, category is { } c && Enum.IsDefined(c) ? KeyProjects.Web.Office.ChineseNames.Of(c) : "");
        return DepartmentRules.ProposeLead(text, await readModel.Departments());
    }

    /// <summary>
    /// The best-matching unit for each problem waiting to be routed (none where no duty matches), never one that led it
    /// before: a problem it returned is not proposed back to it.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, LeadProposal>> ProposeLeads(IReadOnlyList<ProblemSummary> problems)
    {
        if (problems.Count == 0) return new Dictionary<Guid, LeadProposal>();
        var roster = await readModel.Departments();
        var former = await readModel.FormerLeads(problems.Select(p => p.Id).ToList());
        var proposals = new Dictionary<Guid, LeadProposal>();
        foreach (var p in problems)
        {
            var candidates = roster.Where(u => !former[p.Id.ToString()].Contains(u.Profile.Id));
            if (DepartmentRules.ProposeLead($"{p.Title} {KeyProjects.Web.Office.ChineseNames.Of(p.Category)}", candidates, take: 1) is [var best])
                proposals[p.Id] = best;
        }
        return proposals;
    }

    public Task<IReadOnlyList<LeaderAssignment>> GetLeadership() =>
        grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City).GetMembers();

    /// <summary>A department's users read their own inbox; the office, the leadership and admins read any.</summary>
    public async Task<(InboxAccess Access, DepartmentProfile? Department, IReadOnlyList<InboxItem> Items)> GetInbox(ClaimsPrincipal user, string departmentId)
    {
        var (access, department) = await Access(user, departmentId);
        return access == InboxAccess.Allowed ? (access, department, await readModel.Inbox(departmentId)) : (access, department, []);
    }

    public async Task<(InboxAccess Access, DeskView? Desk)> GetDesk(ClaimsPrincipal user, string departmentId)
    {
        var (access, profile) = await Access(user, departmentId);
        if (access != InboxAccess.Allowed) return (access, null);
        var inboxTask = readModel.Inbox(departmentId);
        var directivesTask = readModel.Directives(new DirectiveFilter { DepartmentId = departmentId });
        var figures = (await readModel.Figures([profile!], clock.GetUtcNow()))[0];
        var (inbox, directives) = (await inboxTask, await directivesTask);
        List<ProblemSummary> Of(Involvement involvement) => inbox.Where(i => i.Involvement == involvement).Select(i => i.Problem).ToList();
        var lead = Of(Involvement.Lead);
        return (access, new DeskView(profile!, lead, Of(Involvement.Assisting), Of(Involvement.Former),
            lead.Where(p => p.Overdue).ToList(), directives, figures));
    }

    /// <summary>Every department's figures (the basis of the 红黑榜), best on-time rate first.</summary>
    public async Task<IReadOnlyList<DepartmentFigures>> GetAllFigures()
    {
        var figures = await readModel.Figures(await GetDepartments(), clock.GetUtcNow());
        return figures.OrderByDescending(f => f.OnTimeCloseRate ?? -1).ThenBy(f => f.Overdue).ThenBy(f => f.DepartmentId, StringComparer.Ordinal).ToList();
    }

    public async Task<DepartmentFigures?> GetFigures(string departmentId)
    {
        if (string.IsNullOrWhiteSpace(departmentId) || departmentId.Length > 64) return null;
        var profile = await grains.GetGrain<IDepartmentGrain>(departmentId).GetProfile();
        return profile is null ? null : (await readModel.Figures([profile], clock.GetUtcNow()))[0];
    }

    private async Task<(InboxAccess, DepartmentProfile?)> Access(ClaimsPrincipal user, string departmentId)
    {
        if (string.IsNullOrWhiteSpace(departmentId) || departmentId.Length > 64) return (InboxAccess.NotFound, null);
        var profile = await grains.GetGrain<IDepartmentGrain>(departmentId).GetProfile();
        if (profile is null) return (InboxAccess.NotFound, null);
        var actor = user.ToActor();
        var allowed = actor.Role is Role.Office or Role.Leadership or Role.Admin || actor.IsMemberOf(departmentId);
        return (allowed ? InboxAccess.Allowed : InboxAccess.Forbidden, profile);
    }
}
