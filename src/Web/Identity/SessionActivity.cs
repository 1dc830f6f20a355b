using System.Collections.Concurrent;
using System.Security.Claims;
using KeyProjects.Grains.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Identity;

/// <summary>
/// Idle sessions end (等保 2.0): a signed-in browser session that has seen no use for
/// <c>KeyProjects:Sessions:IdleTimeout</c> (default 30 minutes) is over — its cookie is refused and removed at its next
/// request, its open live pages are signed out at their next revalidation, and the page itself goes to the sign-in page
/// (<c>wwwroot/session.js</c>). Use is what the person does: a page requested, or a keep-alive the page sends while
/// someone types, clicks or scrolls (a live page updating itself is not use). Each sign-in is a session of its own
/// (<see cref="SessionClaim"/>). Wall screens (the screen account, kiosk tokens) and API clients with bearer tokens have
/// no idle limit: a screen is watched, not used; a token has its own lifetime.
/// Kept in this web host's memory: behind the proxy's sticky sessions a browser talks to one host; a restarted host
/// counts a session's idle time from the first request it sees.
/// </summary>
public sealed class SessionActivity(IConfiguration configuration, TimeProvider clock)
{
    public const string SessionClaim = "kp:session";
    public const string IdleTimeoutSetting = "KeyProjects:Sessions:IdleTimeout";
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastUse = new(StringComparer.Ordinal);

    /// <summary>Sessions ended for want of use, and when: a copy of their cookie stays refused (kept as long as a cookie lives).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    /// <summary>How long an ended session is remembered: longer than any cookie lives (12 hours).</summary>
    private static readonly TimeSpan RememberEnded = TimeSpan.FromHours(13);

    public TimeSpan IdleTimeout { get; } = Read(configuration);

    /// <summary>The idle timeout the settings give, or an error naming the setting (a minute's fraction to a day).</summary>
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

    /// <summary>The person used the session now.</summary>
    public void Used(ClaimsPrincipal user)
    {
        if (!Applies(user)) return;
        var now = clock.GetUtcNow();
        var id = user.FindFirstValue(SessionClaim)!;
        if (_ended.ContainsKey(id)) return;
        _lastUse[id] = now;
        if (_lastUse.Count + _ended.Count > 10_000) Forget(now);
    }

    /// <summary>Whether the session has been idle longer than the limit (a session first seen now counts from now).</summary>
    public bool IsIdle(ClaimsPrincipal user)
    {
        if (!Applies(user)) return false;
        var id = user.FindFirstValue(SessionClaim)!;
        if (_ended.ContainsKey(id)) return true;
        var now = clock.GetUtcNow();
        return now - _lastUse.GetOrAdd(id, now) > IdleTimeout;
    }

    /// <summary>Ends an idle session for good; true for the first caller only (the one that writes the audit line).</summary>
    public bool End(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(SessionClaim) is not { } id || !_ended.TryAdd(id, clock.GetUtcNow())) return false;
        _lastUse.TryRemove(id, out _);
        return true;
    }

    /// <summary>Sessions long idle become ended ones; ended ones are forgotten once no cookie of theirs can still be alive.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (id, at) in _lastUse)
            if (now - at > IdleTimeout && _ended.TryAdd(id, now)) _lastUse.TryRemove(id, out _);
        foreach (var (id, at) in _ended)
            if (now - at > RememberEnded) _ended.TryRemove(id, out _);
    }

    /// <summary>
    /// The application cookie's check at each request: a kiosk's token is still active; a user's security stamp is
    /// current (renewed by signing out, a new password, a disabled account: every copy of the session ends); the session
    /// is not idle. A refused cookie is removed and the request goes on signed out.
    /// </summary>
    public static async Task ValidateCookie(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirst(KioskAuthentication.TokenClaim) is not null)
        {
            await KioskAuthentication.ValidateKioskCookie(context);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal is not { } user) return; // the stamp changed: refused and signed out
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionActivity>();
        if (sessions.IsIdle(user))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            if (sessions.End(user))
                await context.HttpContext.RequestServices.GetRequiredService<AuditLog>().IdleSignOut(user.Identity?.Name ?? "", sessions.IdleTimeout);
            return;
        }
        if (IsUse(context.HttpContext.Request)) sessions.Used(user);
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
