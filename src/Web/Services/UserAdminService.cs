using System.Security.Claims;
using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Services;

public sealed record CreateUserRequest(string? UserName, string? DisplayName, Role? Role, string? DepartmentId, string? Password, IReadOnlyList<string>? Projects = null);
/// <summary>The projects a project reporter answers for (all of them: the list replaces the one before).</summary>
public sealed record UserProjectsRequest(IReadOnlyList<string>? Projects);
public sealed record PasswordRequest(string? Password);

/// <summary>
/// The administrators' user management: list, create (role and department), disable (locked out for good, its
/// security stamp renewed so open sessions end at their next check), enable, set a new password. Identity does the
/// password rules and hashing; every call is refused unless the caller is an administrator.
/// </summary>
public sealed class UserAdminService(IGrainFactory grains, IServiceScopeFactory scopes, AuditLog audit, KeyProjects.Silo.ReadModel.ReadModelQueries readModel)
{
    private IAccountDirectoryGrain Directory => grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.City);

    private static CommandOutcome? RefuseUnlessAdmin(ClaimsPrincipal user) =>
        user.ToActor().Role == Role.Admin ? null : CommandOutcome.Forbidden("admin.forbidden", "Administrators only.");

    public async Task<IReadOnlyList<AccountListing>?> List(ClaimsPrincipal user) =>
        RefuseUnlessAdmin(user) is null ? await Directory.List() : null;

    public async Task<CommandOutcome> Create(ClaimsPrincipal user, CreateUserRequest request)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(request.UserName)) return CommandOutcome.Invalid("userName", "field.required", "The user name is required.");
        if (request.UserName.Trim().Length > 64) return CommandOutcome.Invalid("userName", "text.too_long", "At most 64 characters.");
        if (string.IsNullOrWhiteSpace(request.DisplayName)) return CommandOutcome.Invalid("displayName", "field.required", "The name is required.");
        if (request.DisplayName.Trim().Length > KeyProjectsUser.DisplayNameMaxLength)
            return CommandOutcome.Invalid("displayName", "text.too_long", $"At most {KeyProjectsUser.DisplayNameMaxLength} characters.");
        if (request.Role is not { } role || !Enum.IsDefined(role)) return CommandOutcome.Invalid("role", "field.required", "One of: " + string.Join(", ", Enum.GetNames<Role>()) + ".");
        string? department = null, departmentName = null;
        if (role == Role.Department)
        {
            if (string.IsNullOrWhiteSpace(request.DepartmentId)) return CommandOutcome.Invalid("departmentId", "field.required", "A department user needs a department.");
            if (await DepartmentRules.TakesWork(grains, request.DepartmentId, "departmentId") is { } noUnit) return noUnit;
            department = request.DepartmentId;
            departmentName = (await grains.GetGrain<IDepartmentGrain>(department).GetProfile())?.Name;
        }
        var (projects, badProjects) = await Projects(role, request.Projects);
        if (badProjects is not null) return badProjects;
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>();
        if (await users.FindByNameAsync(request.UserName.Trim()) is not null)
            return CommandOutcome.Conflict("user.exists", $"A user '{request.UserName.Trim()}' exists.");
        var created = await users.CreateAsync(new KeyProjectsUser
        {
            UserName = request.UserName.Trim(), DisplayName = request.DisplayName.Trim(), Role = role, DepartmentId = department, Projects = projects,
        }, request.Password ?? "");
        if (!created.Succeeded) return PasswordRefused(created);
        var note = $"角色：{Office.ChineseNames.Of(role)}{(departmentName is null ? "" : "；单位：" + departmentName)}" + (projects.Count == 0 ? "" : "；项目：" + string.Join("、", projects));
        await Changed(user, "user.created", request.UserName.Trim(), note);
        return CommandOutcome.Ok;
    }

    public Task<CommandOutcome> Disable(ClaimsPrincipal user, string userName) =>
        Change(user, userName, "user.disabled", async (users, account) =>
        {
            if (account.UserName == user.ToActor().UserName)
                return CommandOutcome.Conflict("user.self", "An administrator does not disable their own account.");
            await users.SetLockoutEnabledAsync(account, true);
            var locked = await users.SetLockoutEndDateAsync(account, DateTimeOffset.MaxValue);
            if (!locked.Succeeded) return CommandOutcome.Conflict("user.changed", "The account changed meanwhile; try again.");
            await users.UpdateSecurityStampAsync(account); // every session of the account ends at its next check
            return CommandOutcome.Ok;
        });

    public Task<CommandOutcome> Enable(ClaimsPrincipal user, string userName) =>
        Change(user, userName, "user.enabled", async (users, account) =>
        {
            var unlocked = await users.SetLockoutEndDateAsync(account, null);
            if (!unlocked.Succeeded) return CommandOutcome.Conflict("user.changed", "The account changed meanwhile; try again.");
            await users.ResetAccessFailedCountAsync(account);
            return CommandOutcome.Ok;
        });

    public Task<CommandOutcome> SetPassword(ClaimsPrincipal user, string userName, string? password) =>
        Change(user, userName, "user.password-set", async (users, account) =>
        {
            foreach (var validator in users.PasswordValidators)
                if (await validator.ValidateAsync(users, account, password ?? "") is { Succeeded: false } weak) return PasswordRefused(weak);
            await users.RemovePasswordAsync(account);
            var added = await users.AddPasswordAsync(account, password!); // renews the security stamp: old sessions end
            return added.Succeeded ? CommandOutcome.Ok : PasswordRefused(added);
        });

    /// <summary>Binds a project reporter to its projects (the list replaces the one before; it reads and reports on these only, at once).</summary>
    public Task<CommandOutcome> SetProjects(ClaimsPrincipal user, string userName, IReadOnlyList<string>? codes) =>
        Change(user, userName, "user.projects-set", async (users, account) =>
        {
            if (account.Role != Role.ProjectReporter)
                return CommandOutcome.Invalid("projects", "user.not_reporter", "Only a project reporter's account answers for projects.");
            if (codes is null) // a body without the list would clear the binding unasked
                return CommandOutcome.Invalid("projects", "field.required", "The projects the reporter answers for (an empty list for none).");
            var (projects, bad) = await Projects(account.Role, codes);
            if (bad is not null) return bad;
            account.Projects = projects;
            var updated = await users.UpdateAsync(account);
            return updated.Succeeded ? CommandOutcome.Ok : CommandOutcome.Conflict("user.changed", "The account changed meanwhile; try again.");
        }, account => "项目：" + (account.Projects.Count == 0 ? "无" : string.Join("、", account.Projects)));

    /// <summary>A reporter's projects: each exists, none twice, at most <see cref="AccountRecord.MaxProjects"/>; other roles have none.</summary>
    private async Task<(IReadOnlyList<string> Projects, CommandOutcome? Refused)> Projects(Role role, IReadOnlyList<string>? codes)
    {
        var given = (codes ?? []).Select(c => c?.Trim() ?? "").ToList();
        if (given.Count == 0) return ([], null);
        if (role != Role.ProjectReporter)
            return ([], CommandOutcome.Invalid("projects", "user.not_reporter", "Only a project reporter's account answers for projects."));
        if (given.Count > AccountRecord.MaxProjects)
            return ([], CommandOutcome.Invalid("projects", "user.too_many_projects", $"At most {AccountRecord.MaxProjects} projects."));
        foreach (var code in given)
            if (code.Length is 0 or > 64 || await grains.GetGrain<KeyProjects.Grains.Projects.IProjectGrain>(code).Get() is null)
                return ([], CommandOutcome.Invalid("projects", "project.not_found", $"Project '{code}' does not exist."));
        return (given.Distinct(StringComparer.Ordinal).ToList(), null);
    }

    /// <summary>Changes an account (administrators only) and, when it changed, writes it to the audit log.</summary>
    private async Task<CommandOutcome> Change(ClaimsPrincipal user, string userName, string action,
        Func<UserManager<KeyProjectsUser>, KeyProjectsUser, Task<CommandOutcome>> change, Func<KeyProjectsUser, string>? detail = null)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>();
        if (await users.FindByNameAsync(userName) is not { } account) return CommandOutcome.NotFound("user.not_found", $"No user '{userName}'.");
        var outcome = await change(users, account);
        if (outcome.Succeeded) await Changed(user, action, account.UserName ?? userName, detail?.Invoke(account) ?? "");
        return outcome;
    }

    /// <summary>
    /// A change made: an audit line (who, from where) and an event in the log (stream accounts-city, with the account as
    /// it is now, never a secret).
    /// </summary>
    private async Task Changed(ClaimsPrincipal user, string action, string userName, string note)
    {
        await audit.Admin(user, action, userName, note);
        var account = (await Directory.List()).FirstOrDefault(a => a.UserName == userName);
        await Directory.Record(user.ToActor(), new AccountChanged(action["user.".Length..], userName, account, note));
    }

    /// <summary>The accounts' history from the event log, newest first (administrators only).</summary>
    public async Task<IReadOnlyList<LoggedHistoryEntry>?> History(ClaimsPrincipal user) =>
        RefuseUnlessAdmin(user) is not null ? null
        : (await readModel.Stream(KeyProjects.Grains.Events.Streams.Of(KeyProjects.Grains.Events.Streams.Accounts, IAccountDirectoryGrain.City))).Select(e =>
        {
            var change = KeyProjects.Grains.Events.EventJson.Read<AccountChanged>(e.Data);
            return new LoggedHistoryEntry(e.Position, e.Sequence, e.At, e.Kind, e.Actor, e.ActorName, null, null,
                change.UserName + (change.Note.Length > 0 ? "：" + change.Note : ""), e.PrevHash, e.Hash);
        }).Reverse().Take(200).ToList();

    private static CommandOutcome PasswordRefused(IdentityResult result) =>
        CommandOutcome.Invalid("password", "password.weak", string.Join(" ", result.Errors.Select(e => e.Description)));
}
