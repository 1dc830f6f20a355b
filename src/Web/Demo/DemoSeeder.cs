using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Grains.Office;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Settings;
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

    /// <summary>The duty lists are the administrators' to keep.</summary>
    private static readonly Actor Administrator = new("system", "系统初始化", Role.Admin, null);

    public async Task StartAsync(CancellationToken ct)
    {
        await SeedAccounts();
        var office = grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City);
        if (await office.IsDemoSeeded()) return;

        logger.LogInformation("Seeding the demo city and its last {Days} days…", DemoCity.HistoryDays);
        var clock = services.GetService<DemoHistoryClock>();
        var history = new DemoHistory(grains, clock, services.GetRequiredService<Services.MeetingService>());
        try
        {
            history.At(history.Start);
            foreach (var department in DemoCity.Departments)
            {
                var unit = grains.GetGrain<IDepartmentGrain>(department.Id);
                Require(await unit.Register(System, department));
                if (DemoCity.Duties.TryGetValue(department.Id, out var duties))
                    Require((await unit.SetDuties($"demo-duties-{department.Id}", Administrator, duties)).Outcome);
            }
            foreach (var project in DemoCity.Projects)
                Require(await grains.GetGrain<IProjectGrain>(project.Code).Register(System, project));
            var leadership = grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City);
            foreach (var leader in DemoCity.Leaders)
                Require(await leadership.SetMember(System, leader, DemoCity.ProjectsOf(leader.Id)));
            await history.Replay(ct);
            // After the replay the clock is the real one again: the paths are walked up to today.
            await DemoFactors.Seed(grains, WorkingCalendar.LocalDate(services.GetRequiredService<TimeProvider>().GetUtcNow()));
        }
        finally
        {
            clock?.Release(); // whatever happened, the city runs on the real time from here
        }
        await office.MarkDemoSeeded();
        logger.LogInformation("Seeded {Projects} projects, {Departments} departments and towns, {Problems} problems, {Directives} orders and instructions",
            DemoCity.Projects.Count, DemoCity.Departments.Count, DemoCity.Problems.Count, DemoCity.Directives.Count);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task SeedAccounts()
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>();
        foreach (var account in DemoCity.Accounts)
        {
            if (await users.FindByNameAsync(account.UserName) is { } existing)
            {
                // A demo city seeded before reporters were bound to projects: bind its reporter now.
                if (existing.Role == Role.ProjectReporter && existing.Projects.Count == 0)
                {
                    existing.Projects = DemoCity.ProjectsOf(account);
                    await users.UpdateAsync(existing);
                }
                continue;
            }
            var user = new KeyProjectsUser
            {
                UserName = account.UserName,
                DisplayName = account.DisplayName,
                Role = account.Role,
                DepartmentId = account.DepartmentId,
                Projects = DemoCity.ProjectsOf(account),
            };
            var result = await users.CreateAsync(user, DemoCity.Password);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Demo account {account.UserName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
        // The demo's administrator is the city's first: the one-time set-up page stays closed.
        await grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).RecordFirstAdministrator("admin");
    }

    internal static void Require(CommandOutcome outcome)
    {
        if (!outcome.Succeeded)
            throw new InvalidOperationException($"Demo seeding was refused: {outcome.Kind} {outcome.Code} {outcome.Field} {outcome.Message}");
    }
}
