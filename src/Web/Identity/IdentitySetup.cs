using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Identity;

public static class IdentitySetup
{
    /// <summary>Cookie for pages, bearer token for API clients: a request with "Authorization: Bearer" uses the token.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    public static IServiceCollection AddKeyProjectsIdentity(this IServiceCollection services, string dataProtectionKeysDirectory)
    {
        services.AddDataProtection()
            .SetApplicationName("KeyProjects")
            .PersistKeysToFileSystem(new DirectoryInfo(dataProtectionKeysDirectory));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrBearer;
                o.DefaultChallengeScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, null, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(8))
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(o =>
            {
                o.LoginPath = "/login";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    // API calls get a status code, never a redirect to the sign-in page.
                    OnRedirectToLogin = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status403Forbidden),
                };
            }));

        services.AddIdentityCore<KeyProjectsUser>(o =>
            {
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
            })
            .AddUserStore<GrainUserStore>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<KeyProjectsClaimsFactory>();

        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        return services;
    }

    private static Task ApiStatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/hubs"))
            ctx.Response.StatusCode = status;
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
