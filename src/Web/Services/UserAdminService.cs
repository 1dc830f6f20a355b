using System.Security.Claims;
using KeyProjects.Grains.Accounts;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Services;

public sealed record CreateUserRequest(string? UserName, string? DisplayName, Role? Role, string? DepartmentId, string? Password);
public sealed record PasswordRequest(string? Password);

/// <summary>
/// The administrators' user management: list, create (role and department), disable (locked out for good, its
/// security stamp renewed so open sessions end at their next check), enable, set a new password. Identity does the
/// password rules and hashing; every call is refused unless the caller is an administrator.
/// </summary>
public sealed class UserAdminService(IGrainFactory grains, IServiceScopeFactory scopes, AuditLog audit)
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
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>();
        if (await users.FindByNameAsync(request.UserName.Trim()) is not null)
            return CommandOutcome.Conflict("user.exists", $"A user '{request.UserName.Trim()}' exists.");
        var created = await users.CreateAsync(new KeyProjectsUser
        {
            UserName = request.UserName.Trim(), DisplayName = request.DisplayName.Trim(), Role = role, DepartmentId = department,
        }, request.Password ?? "");
        if (!created.Succeeded) return PasswordRefused(created);
        await audit.Admin(user, "user.created", request.UserName.Trim(), $"角色：{Office.ChineseNames.Of(role)}{(departmentName is null ? "" : "；单位：" + departmentName)}");
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

    /// <summary>Changes an account (administrators only) and, when it changed, writes it to the audit log.</summary>
    private async Task<CommandOutcome> Change(ClaimsPrincipal user, string userName, string action,
        Func<UserManager<KeyProjectsUser>, KeyProjectsUser, Task<CommandOutcome>> change)
    {
        if (RefuseUnlessAdmin(user) is { } refused) return refused;
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>();
        if (await users.FindByNameAsync(userName) is not { } account) return CommandOutcome.NotFound("user.not_found", $"No user '{userName}'.");
        var outcome = await change(users, account);
        if (outcome.Succeeded) await audit.Admin(user, action, account.UserName ?? userName);
        return outcome;
    }

    private static CommandOutcome PasswordRefused(IdentityResult result) =>
        CommandOutcome.Invalid("password", "password.weak", string.Join(" ", result.Errors.Select(e => e.Description)));
}
