using System.Security.Claims;
using KeyProjects.Silo.Storage;

namespace KeyProjects.Web.Identity;

/// <summary>
/// The audit log (安全审计) a 等保 2.0 review asks for: every sign-in (succeeded or failed, and why — which the person
/// signing in is never told), every lockout and sign-out, and every administrator's action (users, kiosk tokens, the
/// city's data, settings and the calendar), each with who, from which address and when. Written where each happens;
/// read by administrators at /admin/audit.
/// </summary>
public sealed class AuditLog(AuditStore store, IHttpContextAccessor http, TimeProvider clock, ILogger<AuditLog> logger)
{
    public const string Succeeded = "succeeded", Failed = "failed";

    /// <summary>A sign-in through the page or the token endpoint: succeeded, or failed with the true reason.</summary>
    /// <remarks>The details are written in the city's language (the log is read by its administrators).</remarks>
    public Task SignIn(string userName, bool succeeded, string reason, string channel) =>
        Write(userName, "sign-in", userName, succeeded ? Succeeded : Failed, $"{channel}{(reason.Length > 0 ? "；" + reason : "")}");

    /// <summary>An account locked after too many failed sign-ins.</summary>
    public Task Lockout(string userName) => Write(userName, "lockout", userName, Failed, "连续登录失败，账户锁定");

    public Task SignOut(string userName) => Write(userName, "sign-out", userName, Succeeded, "");

    /// <summary>A browser session ended after no use for the idle timeout.</summary>
    public Task IdleSignOut(string userName, TimeSpan idle) =>
        Write(userName, "sign-out", userName, Succeeded, $"空闲 {(idle.TotalMinutes >= 1 ? $"{idle.TotalMinutes:0} 分钟" : $"{idle.TotalSeconds:0} 秒")}未操作，会话结束");

    /// <summary>The first administrator, created with the set-up token.</summary>
    public Task Setup(string userName) => Write("setup", "user.created", userName, Succeeded, "以初始化令牌创建首位管理员");

    /// <summary>An administrator's (or the office's) action that changed something: what, on whom or what, a detail.</summary>
    public Task Admin(ClaimsPrincipal user, string action, string subject, string detail = "") =>
        Write(user.ToActor().UserName, action, subject, Succeeded, detail);

    private async Task Write(string actor, string kind, string subject, string outcome, string detail)
    {
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "";
        // Also a log line (with its event id), so a log collector sees the same trail.
        logger.LogInformation(AuditEvent, "Audit: {Actor} {Kind} {Subject} {Outcome} from {Address} {Detail}", actor, kind, subject, outcome, address, detail);
        await store.Append(clock.GetUtcNow(), actor, kind, subject, outcome, address, detail);
    }

    private static readonly EventId AuditEvent = new(9100, "Audit");
}
