using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyProjects.Web.Identity;

/// <summary>
/// Whether a signed-in user's session is still good: the account exists and its security stamp is the one the
/// session was issued with. Disabling an account, a new password or signing out everywhere renews the stamp, so every
/// copy of the session ends: bearer tokens at their next request, live pages (Blazor circuits) at their next
/// revalidation (<c>KeyProjects:Kiosk:RevalidateSeconds</c>, default 60), cookies at their next check (one minute).
/// Kiosk sessions are judged by their token instead.
/// </summary>
public sealed class SessionCheck(IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IGrainFactory grains, IConfiguration configuration)
{
    /// <summary>How often open live sessions (pages, hub connections) are checked again: <c>KeyProjects:Kiosk:RevalidateSeconds</c>.</summary>
    public TimeSpan RevalidationInterval =>
        TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("KeyProjects:Kiosk:RevalidateSeconds", 60), 1, 3600));

    /// <summary>Whether an open live session may go on: a kiosk's token is still active, a user's session is current.</summary>
    public async Task<bool> MayContinue(ClaimsPrincipal user) =>
        user.FindFirstValue(KioskAuthentication.TokenClaim) is { } tokenId
            ? await grains.GetGrain<Grains.WarRoom.IKioskTokensGrain>(Grains.WarRoom.IKioskTokensGrain.City).IsActive(tokenId)
            : await IsCurrent(user);

    public async Task<bool> IsCurrent(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || user.FindFirst(KioskAuthentication.TokenClaim) is not null) return true;
        var stamp = user.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        var name = user.FindFirstValue(identity.Value.ClaimsIdentity.UserNameClaimType);
        if (stamp is null || name is null) return false;
        using var scope = scopes.CreateScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>().FindByNameAsync(name);
        return account is not null && account.SecurityStamp == stamp;
    }

    /// <summary>API requests with a bearer token whose account was disabled or re-keyed: 401, before anything runs.</summary>
    public static IApplicationBuilder UseSessionCheck(IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && http.User.Identity?.IsAuthenticated == true
            && !await http.RequestServices.GetRequiredService<SessionCheck>().IsCurrent(http.User))
        {
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The session has ended (the account was changed or disabled).",
                extensions: new Dictionary<string, object?> { ["code"] = "account.session_ended" }).ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}
