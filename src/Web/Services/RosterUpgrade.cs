using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Office;

namespace KeyProjects.Web.Services;

/// <summary>
/// At start, every unit on the office's roster is registered again as it is: a unit kept before its changes were
/// events (a city upgraded from an earlier version) gets its first event, so the read model's roster (the
/// administration page, the lead proposals) has it. A unit that has its events already changes nothing.
/// </summary>
public sealed class RosterUpgrade(IGrainFactory grains, ILogger<RosterUpgrade> logger) : IHostedService
{
    private static readonly Actor System = new("system", "系统升级", Role.Admin, null);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var roster = await grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City).GetDepartments();
        foreach (var unit in roster)
        {
            var outcome = await grains.GetGrain<IDepartmentGrain>(unit.Id).Register(System, unit);
            if (!outcome.Succeeded) logger.LogWarning("The unit {Id} was not registered again at start: {Code} {Message}", unit.Id, outcome.Code, outcome.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
