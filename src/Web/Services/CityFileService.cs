using System.Security.Claims;
using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Leadership;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Office;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyProjects.Web.Services;

/// <summary>What an import of the city's starting data did: the bad cells (nothing done), or what it added.</summary>
public sealed record CityImport(IReadOnlyList<ImportError> Errors, int Departments, int UsersCreated, int UsersKept, int Leaders);

/// <summary>
/// The city's starting data as an office file (administrators): the template, the export, and the import — every
/// row of every sheet checked first, nothing done unless all are good; then departments and towns, accounts, the
/// leadership group, each step idempotent (the same file imported again, after a failure half-way, finishes it and
/// changes nothing else: existing accounts keep their passwords, leaders keep their 包联 projects).
/// </summary>
public sealed class CityFileService(IGrainFactory grains, DepartmentService departments, UserAdminService users, IOptions<IdentityOptions> identity, AuditLog audit)
{
    public static bool MayImport(ClaimsPrincipal user) => user.ToActor().Role == Role.Admin;

    public byte[] Template() => CityWorkbook.Template();

    public async Task<byte[]> Export()
    {
        var accounts = await grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.City).List();
        return CityWorkbook.Export(await Roster(), accounts.Select(a => (a.UserName, a.DisplayName, a.Role, a.DepartmentId)).ToList());
    }

    public async Task<(CommandOutcome Outcome, CityImport? Import)> Import(ClaimsPrincipal user, byte[] file)
    {
        if (!MayImport(user)) return (CommandOutcome.Forbidden("admin.forbidden", "Administrators only."), null);
        var actor = user.ToActor();
        var (data, errors) = CityWorkbook.Read(file, await Roster(), password => PasswordPolicy.Problem(identity.Value.Password, password),
            identity.Value.User.AllowedUserNameCharacters);
        if (data is null) return (CommandOutcome.Ok, new CityImport(errors, 0, 0, 0, 0));

        foreach (var unit in data.Departments)
            if (await grains.GetGrain<IDepartmentGrain>(unit.Id).Register(actor, unit) is { Succeeded: false } refused) return (refused, null);
        // Names compared as Identity compares them (normalised: case does not tell two accounts apart).
        var existing = (await grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.City).List()).Select(a => a.UserName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var (created, kept) = (0, 0);
        foreach (var account in data.Users)
        {
            if (existing.Contains(account.UserName))
            {
                kept++;
                continue;
            }
            var outcome = await users.Create(user, new CreateUserRequest(account.UserName, account.DisplayName, account.Role, account.DepartmentId, account.Password));
            if (!outcome.Succeeded && outcome.Code != "user.exists") return (outcome, null);
            created++;
        }
        var group = grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City);
        foreach (var leader in data.Leaders)
            if (await group.SetLeader(actor, leader) is { Succeeded: false } refused) return (refused, null);
        await audit.Admin(user, "city.imported", "city", $"{data.Departments.Count} 个单位；新建用户 {created} 个，已有 {kept} 个；领导 {data.Leaders.Count} 位");
        return (CommandOutcome.Ok, new CityImport([], data.Departments.Count, created, kept, data.Leaders.Count));
    }

    private async Task<CityRoster> Roster()
    {
        var accounts = await grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.City).List();
        return new CityRoster(await departments.GetDepartments(), (await departments.GetLeadership()).Select(m => m.Leader).ToList(),
            accounts.ToDictionary(a => a.UserName, a => (a.Role, a.DepartmentId), StringComparer.OrdinalIgnoreCase));
    }
}
