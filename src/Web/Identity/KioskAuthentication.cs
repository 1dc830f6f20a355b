using System.Security.Claims;
using System.Text.Encodings.Web;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.WarRoom;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyProjects.Web.Identity;

/// <summary>
/// Read-only kiosk tokens for war-room screens. A token opens the hub as <c>Authorization: Bearer kiosk_…</c> or, for
/// browsers' WebSockets, <c>?access_token=kiosk_…</c>; a wall browser opens <c>/kiosk?token=kiosk_…</c> once and
/// keeps a cookie that is checked against the token on every request, so revoking the token shuts the screen out.
/// </summary>
public static class KioskAuthentication
{
    public const string Scheme = "Kiosk";
    public const string TokenClaim = "kp:kiosk";

    public static bool IsKioskToken(string? token) =>
        token is not null && token.StartsWith(KioskTokensGrain.Prefix, StringComparison.Ordinal);

    /// <summary>The token a request carries in its Authorization header, or in the query on hub paths.</summary>
    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } query) return query;
        return null;
    }

    public static ClaimsPrincipal Principal(KioskToken token, string authenticationType) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, $"kiosk:{token.Id}"),
        new Claim(ClaimTypes.Role, nameof(Role.BigScreen)),
        new Claim(KeyProjectsClaims.DisplayName, token.Name),
        new Claim(TokenClaim, token.Id),
    ], authenticationType));

    /// <summary>For the application cookie: a kiosk's sign-in lasts only while its token is active.</summary>
    public static async Task ValidateKioskCookie(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(TokenClaim) is not { } tokenId) return;
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        if (await grains.GetGrain<IKioskTokensGrain>(IKioskTokensGrain.City).IsActive(tokenId)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    /// <summary>
    /// A kiosk is read-only whatever the endpoint: any API request that is not a read is refused with 403 before it
    /// reaches an endpoint (grains refuse the big-screen role as well; this makes it hold for every new endpoint).
    /// </summary>
    public static IApplicationBuilder UseKioskReadOnly(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.HasClaim(c => c.Type == TokenClaim)
            && context.Request.Path.StartsWithSegments("/api")
            && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "A kiosk token only reads.",
                detail: "A kiosk token only reads.", extensions: new Dictionary<string, object?> { ["code"] = "kiosk.read_only" })
                .ExecuteAsync(context);
            return;
        }
        await next();
    });

    /// <summary><c>GET /kiosk?token=…</c>: a wall browser signs in with a kiosk token and lands on the screen.</summary>
    public static IEndpointRouteBuilder MapKioskSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/kiosk", async (string? token, HttpContext context, IGrainFactory grains) =>
        {
            var valid = IsKioskToken(token) ? await grains.GetGrain<IKioskTokensGrain>(IKioskTokensGrain.City).Validate(token!) : null;
            if (valid is null)
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Kiosk token not valid",
                    detail: "The kiosk token is unknown or was revoked.", extensions: new Dictionary<string, object?> { ["field"] = "token" });
            await context.SignInAsync(IdentityConstants.ApplicationScheme, Principal(valid, IdentityConstants.ApplicationScheme),
                new AuthenticationProperties { IsPersistent = true });
            return Results.Redirect("/screen");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

/// <summary>Authenticates a request carrying a kiosk token: a read-only big-screen principal.</summary>
public sealed class KioskAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = KioskAuthentication.TokenOf(Request);
        if (!KioskAuthentication.IsKioskToken(token)) return AuthenticateResult.NoResult();
        var valid = await grains.GetGrain<IKioskTokensGrain>(IKioskTokensGrain.City).Validate(token!);
        return valid is null
            ? AuthenticateResult.Fail("The kiosk token is unknown or was revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(KioskAuthentication.Principal(valid, Scheme.Name), Scheme.Name));
    }
}

/// <summary>
/// Re-checks an open page's session every <c>KeyProjects:Kiosk:RevalidateSeconds</c> (default 60): a revoked kiosk
/// token, a renewed security stamp or an idle session (<see cref="SessionActivity"/>) ends the live page too, not only
/// the next request (the page then falls back to the sign-in page).
/// </summary>
public sealed class KioskRevalidation(ILoggerFactory loggerFactory, SessionCheck sessions, SessionActivity activity)
    : Microsoft.AspNetCore.Components.Server.RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => sessions.RevalidationInterval;

    /// <summary>A revoked kiosk token's screen, a disabled or re-keyed account's open pages, and an idle session's pages end.</summary>
    protected override async Task<bool> ValidateAuthenticationStateAsync(
        Microsoft.AspNetCore.Components.Authorization.AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        !activity.IsIdle(authenticationState.User) && await sessions.MayContinue(authenticationState.User);
}
