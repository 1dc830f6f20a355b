using System.Collections.Concurrent;
using System.Security.Claims;
using KeyProjects.Grains.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Identity;

/// <summary>
/// Idle sessions end (等保 2.0): a signed-in browser session that has seen no use for
/// <c>KeyProjects:Sessions:IdleTimeout</c> (default 30 minutes) is over, and none lives longer than
/// <see cref="MaxSessionLength"/> from its sign-in. Use is what the person does: a page opened, or the keep-alive the page
/// sends while someone types, clicks, touches or scrolls (<c>wwwroot/session.js</c>); a live page updating itself is not.
/// <list type="bullet">
/// <item>The cookie carries its sign-in time and its last use (renewed as it is used), so any web host, before or after
/// a restart, refuses and removes a cookie — or a copy of it — that has been idle too long.</item>
/// <item>An open live page (a Blazor circuit, which sees no cookie after it starts) is judged by the last use this web
/// host saw of its session (<see cref="SessionClaim"/>; the proxy's sticky sessions keep a browser on one host), and
/// signed out at its next revalidation.</item>
/// <item>The page itself goes to the sign-in page, saying why, just before the server's limit.</item>
/// </list>
/// Wall screens (the screen account, kiosk tokens) have no idle limit and their cookie is renewed as it ages; API
/// clients with bearer tokens have the token's own lifetime.
/// </summary>
public sealed class SessionActivity(IConfiguration configuration, TimeProvider clock)
{
    public const string SessionClaim = "kp:session";
    public const string IdleTimeoutSetting = "KeyProjects:Sessions:IdleTimeout";
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The longest a browser session lives, used or not.</summary>
    public static readonly TimeSpan MaxSessionLength = TimeSpan.FromHours(12);

    private const string SignedInItem = ".kp-signed-in", LastUseItem = ".kp-last-use";

    /// <summary>Last use of each session this host saw (for open live pages); swept of long-idle ones once a minute.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastUse = new(StringComparer.Ordinal);
    private long _sweptAt;

    public TimeSpan IdleTimeout { get; } = Read(configuration);

    /// <summary>The idle timeout the settings give, or an error naming the setting (5 seconds to a day).</summary>
    public static TimeSpan Read(IConfiguration configuration)
    {
        var text = configuration[IdleTimeoutSetting];
        if (string.IsNullOrWhiteSpace(text)) return DefaultIdleTimeout;
        if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var timeout) && timeout >= TimeSpan.FromSeconds(5) && timeout <= TimeSpan.FromDays(1))
            return timeout;
        throw new InvalidOperationException($"{IdleTimeoutSetting} is '{text}': a time span from 00:00:05 to 1.00:00:00 (hh:mm:ss), e.g. 00:30:00.");
    }

    /// <summary>Whether the principal is a browser session the idle limit applies to (signed in with the cookie, not a wall screen).</summary>
    public static bool Applies(ClaimsPrincipal user) =>
        user.FindFirstValue(SessionClaim) is not null
        && user.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme
        && !user.IsInRole(nameof(Role.BigScreen))
        && user.FindFirst(KioskAuthentication.TokenClaim) is null;

    /// <summary>The person used the session now (seen by this host).</summary>
    public void Used(ClaimsPrincipal user)
    {
        if (!Applies(user)) return;
        var now = clock.GetUtcNow();
        _lastUse[user.FindFirstValue(SessionClaim)!] = now;
        if (now.UtcTicks - Interlocked.Read(ref _sweptAt) > TimeSpan.TicksPerMinute) Sweep(now);
    }

    /// <summary>Whether an open live page's session has been idle longer than the limit (a session first seen now counts from now).</summary>
    public bool IsIdle(ClaimsPrincipal user)
    {
        if (!Applies(user)) return false;
        var now = clock.GetUtcNow();
        return now - _lastUse.GetOrAdd(user.FindFirstValue(SessionClaim)!, now) > IdleTimeout;
    }

    private void Forget(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(SessionClaim) is { } id) _lastUse.TryRemove(id, out _);
    }

    private void Sweep(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _sweptAt, now.UtcTicks);
        foreach (var (id, at) in _lastUse)
            if (now - at > IdleTimeout) _lastUse.TryRemove(id, out _);
    }

    /// <summary>A cookie being issued at sign-in: when the session began and was last used.</summary>
    public static Task SigningIn(CookieSigningInContext context)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToString("O");
        context.Properties.Items.TryAdd(SignedInItem, now);
        context.Properties.Items[LastUseItem] = now;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The application cookie's check at each request: a kiosk's token is still active; a user's security stamp is
    /// current (renewed by signing out, a new password, a disabled account: every copy of the session ends); the session
    /// is neither idle nor older than <see cref="MaxSessionLength"/>. A refused cookie is removed and the request goes on
    /// signed out.
    /// </summary>
    public static async Task ValidateCookie(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (context.Principal?.FindFirst(KioskAuthentication.TokenClaim) is not null)
        {
            await KioskAuthentication.ValidateKioskCookie(context);
            if (context.Principal is not null) RenewAsItAges(context, now);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal is not { } user) return; // the stamp changed: refused and signed out
        if (user.IsInRole(nameof(Role.BigScreen)))
        {
            RenewAsItAges(context, now); // a wall screen is watched, not used
            return;
        }
        if (!Applies(user)) return;

        var sessions = services.GetRequiredService<SessionActivity>();
        var items = context.Properties.Items;
        var signedIn = Time(items, SignedInItem) ?? context.Properties.IssuedUtc ?? now;
        var lastUse = Time(items, LastUseItem) ?? context.Properties.IssuedUtc ?? now;
        var idle = now - lastUse > sessions.IdleTimeout;
        if (idle || now - signedIn > MaxSessionLength)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            sessions.Forget(user);
            if (idle) await services.GetRequiredService<AuditLog>().IdleSignOut(user.Identity?.Name ?? "", sessions.IdleTimeout);
            return;
        }
        if (!IsUse(context.HttpContext.Request)) return;
        sessions.Used(user);
        // The cookie learns of the use too (not on every request: a few times within the limit is enough).
        if (now - lastUse > sessions.IdleTimeout / 6)
        {
            items[LastUseItem] = now.ToString("O");
            items.TryAdd(SignedInItem, signedIn.ToString("O"));
            context.ShouldRenew = true;
        }
    }

    private static DateTimeOffset? Time(IDictionary<string, string?> items, string key) =>
        items.TryGetValue(key, out var text) && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? at : null;

    /// <summary>A wall screen's cookie is issued anew once past half its life, so a screen stays signed in for as long as it runs.</summary>
    private static void RenewAsItAges(CookieValidatePrincipalContext context, DateTimeOffset now)
    {
        if (context.Properties.IssuedUtc is { } issued && context.Properties.ExpiresUtc is { } expires && now - issued > (expires - issued) / 2)
            context.ShouldRenew = true;
    }

    /// <summary>
    /// What counts as use: the page's keep-alive, a page (or a file) the person opens. Not the files a page loads by
    /// itself (styles, scripts, images), nor the live connection's own requests, nor the sign-in page (where an idle page
    /// sends itself).
    /// </summary>
    private static bool IsUse(HttpRequest request) =>
        request.Path.StartsWithSegments("/account/keep-alive")
        || request.Headers["Sec-Fetch-Mode"] == "navigate" && !request.Path.StartsWithSegments("/login") && !request.Path.StartsWithSegments("/_blazor");

    /// <summary>A new principal from the security stamp's refresh keeps the session it refreshes.</summary>
    public static Task KeepSession(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirstValue(SessionClaim) is { } id && context.NewPrincipal?.Identity is ClaimsIdentity identity
            && identity.FindFirst(SessionClaim) is { } fresh)
        {
            identity.RemoveClaim(fresh);
            identity.AddClaim(new Claim(SessionClaim, id));
        }
        return Task.CompletedTask;
    }
}
