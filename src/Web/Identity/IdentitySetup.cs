using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Identity;

public static class IdentitySetup
{
    /// <summary>Cookie for pages, bearer token for API clients: a request with "Authorization: Bearer" uses the token.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    public static IServiceCollection AddKeyProjectsIdentity(this IServiceCollection services, KeyProjects.Silo.Storage.StorageSettings storage,
        System.Security.Cryptography.X509Certificates.X509Certificate2? keyCertificate, IConfiguration configuration)
    {
        services.AddKeyProjectsDataProtection(storage, keyCertificate);

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrBearer;
                o.DefaultChallengeScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, null, o => o.ForwardDefaultSelector = ctx =>
                KioskAuthentication.TokenOf(ctx.Request) switch
                {
                    { } token when KioskAuthentication.IsKioskToken(token) => KioskAuthentication.Scheme,
                    not null => IdentityConstants.BearerScheme,
                    null => IdentityConstants.ApplicationScheme,
                })
            .AddScheme<AuthenticationSchemeOptions, KioskAuthenticationHandler>(KioskAuthentication.Scheme, null)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(8);
                // Browsers' WebSockets cannot send headers: the hub also takes the token from the query.
                o.Events.OnMessageReceived = ctx =>
                {
                    if (ctx.Request.Path.StartsWithSegments("/hubs") && ctx.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                        ctx.Token = token;
                    return Task.CompletedTask;
                };
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(o =>
            {
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/access-denied";
                // At most 12 hours from sign-in (a wall screen's is renewed as it ages); an idle session ends sooner
                // (SessionActivity, checked at every request).
                o.ExpireTimeSpan = SessionActivity.MaxSessionLength;
                o.SlidingExpiration = false;
                o.Events = new CookieAuthenticationEvents
                {
                    // API calls get a status code, never a redirect to the sign-in page.
                    OnRedirectToLogin = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status403Forbidden),
                    OnValidatePrincipal = SessionActivity.ValidateCookie,
                    OnSigningIn = SessionActivity.SigningIn,
                };
            }));

        services.AddIdentityCore<KeyProjectsUser>(o =>
            {
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                PasswordPolicy.Apply(o.Password, configuration.GetSection("KeyProjects:Passwords"));
            })
            .AddUserStore<GrainUserStore>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<KeyProjectsClaimsFactory>();

        // A renewed security stamp (sign-out everywhere, a disabled account, a new password) ends cookie sessions at their
        // next check: as often as live sessions are checked (KeyProjects:Kiosk:RevalidateSeconds, a minute by default).
        services.AddOptions<SecurityStampValidatorOptions>().Configure<SessionCheck>((o, sessions) =>
        {
            o.ValidationInterval = sessions.RevalidationInterval;
            o.OnRefreshingPrincipal = SessionActivity.KeepSession;
        });
        services.AddSingleton<SessionActivity>();
        services.AddAuthorization(options => options.AddReadPolicies());
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
