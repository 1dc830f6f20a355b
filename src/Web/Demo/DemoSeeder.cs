using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Projects;
using KeyProjects.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Demo;

/// <summary>
/// Seeds the demo city on first start in demo mode, through the grains' own commands (so the problems carry real
/// histories). Every step is idempotent (fixed command ids), so an interrupted seeding completes on the next start.
/// </summary>
public sealed class DemoSeeder(IGrainFactory grains, IServiceProvider services, ILogger<DemoSeeder> logger) : IHostedService
{
    private static readonly Actor System = new("system", "系统初始化", Role.Office, null);

    public async Task StartAsync(CancellationToken ct)
    {
        await SeedAccounts();
        var office = grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City);
        if (await office.IsDemoSeeded()) return;

        logger.LogInformation("Seeding the demo city…");
        foreach (var department in DemoCity.Departments)
            Require(await grains.GetGrain<IDepartmentGrain>(department.Id).Register(System, department));
        foreach (var project in DemoCity.Projects)
            Require(await grains.GetGrain<IProjectGrain>(project.Code).Register(System, project));
        var leadership = grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City);
        foreach (var leader in DemoCity.Leaders)
            Require(await leadership.SetMember(System, leader, DemoCity.ProjectsOf(leader.Id)));
        foreach (var problem in DemoCity.Problems)
            await SeedProblem(problem);
        await office.MarkDemoSeeded();
        logger.LogInformation("Seeded {Projects} projects, {Departments} departments and towns, {Problems} problems",
            DemoCity.Projects.Count, DemoCity.Departments.Count, DemoCity.Problems.Count);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task SeedAccounts()
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>();
        foreach (var account in DemoCity.Accounts)
        {
            if (await users.FindByNameAsync(account.UserName) is not null) continue;
            var user = new KeyProjectsUser
            {
                UserName = account.UserName,
                DisplayName = account.DisplayName,
                Role = account.Role,
                DepartmentId = account.DepartmentId,
            };
            var result = await users.CreateAsync(user, DemoCity.Password);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Demo account {account.UserName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    private async Task SeedProblem(DemoProblem p)
    {
        var raiser = new Actor(p.RaisedBy.UserName, p.RaisedBy.DisplayName, p.RaisedBy.Role, p.RaisedBy.DepartmentId);
        var leadName = DemoCity.Departments.Single(d => d.Id == p.LeadDepartmentId).Name;
        var lead = new Actor($"demo-{p.LeadDepartmentId}", $"{leadName} 经办人", Role.Department, p.LeadDepartmentId);
        var key = $"demo-{p.Number:000}";
        var problem = grains.GetGrain<IProblemGrain>(
            Grains.Domain.CommandId.DeriveGuid(Services.ProblemService.RaiseScope, raiser.UserName + "\n" + key + "-raise"));

        Require((await problem.Raise(new RaiseProblem(key + "-raise", raiser, p.ProjectCode, p.Title, p.Description, p.Category,
            p.LeadDepartmentId, p.Assisting, null, null))).Outcome);
        if (p.Reach == ProblemStatus.Routed) return;

        Require((await problem.Claim(key + "-claim", lead)).Outcome);
        if (p.SentBackOnce)
        {
            Require((await problem.SubmitResolution(key + "-resolve-1", lead, "已初步协调，待相关单位确认。")).Outcome);
            Require((await problem.SendBack(key + "-send-back", raiser, "办理结果未达到要求，请补充佐证材料后重新办结。")).Outcome);
        }
        if (p.Reach == ProblemStatus.InProgress) return;

        Require((await problem.SubmitResolution(key + "-resolve", lead, "已会同配合单位现场办公，问题已按时序解决，附会议纪要。")).Outcome);
        if (p.Reach == ProblemStatus.ResolutionSubmitted) return;

        Require((await problem.Close(key + "-close", raiser, "经核实已解决，同意销号。")).Outcome);
    }

    private static void Require(CommandOutcome outcome)
    {
        if (!outcome.Succeeded)
            throw new InvalidOperationException($"Demo seeding was refused: {outcome.Kind} {outcome.Code} {outcome.Field} {outcome.Message}");
    }
}
