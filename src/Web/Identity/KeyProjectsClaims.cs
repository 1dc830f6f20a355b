using System.Security.Claims;
using KeyProjects.Grains.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyProjects.Web.Identity;

public static class KeyProjectsClaims
{
    public const string DisplayName = "kp:display_name";
    public const string Department = "kp:department";

    /// <summary>The actor a signed-in principal acts as; grains judge commands by it.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var userName = user.Identity?.Name ?? throw new InvalidOperationException("The user is not signed in.");
        var role = Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("The user has no role."));
        return new Actor(userName, user.FindFirstValue(DisplayName) ?? userName, role, user.FindFirstValue(Department));
    }
}

/// <summary>Puts the account's role, display name and department into the sign-in's claims.</summary>
public sealed class KeyProjectsClaimsFactory(UserManager<KeyProjectsUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<KeyProjectsUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(KeyProjectsUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role.ToString()));
        identity.AddClaim(new Claim(KeyProjectsClaims.DisplayName, user.DisplayName));
        if (user.DepartmentId is not null) identity.AddClaim(new Claim(KeyProjectsClaims.Department, user.DepartmentId));
        // Each sign-in is a session of its own (the idle limit counts per session: SessionActivity).
        identity.AddClaim(new Claim(SessionActivity.SessionClaim, Guid.NewGuid().ToString("N")));
        return identity;
    }
}
