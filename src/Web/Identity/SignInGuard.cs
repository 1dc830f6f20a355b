using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Identity;

/// <summary>
/// The one way in, for the sign-in page and the token endpoint: one password-hash check on every path (an unknown
/// name and a locked account are checked against a throw-away hash), and one answer for every failure — an unknown
/// name, a wrong password and a locked account read the same, by code and by time, so nobody learns which names exist.
/// Lockout still counts failures of real accounts. The audit log keeps the true reason of each failure.
/// </summary>
public sealed class SignInGuard(SignInManager<KeyProjectsUser> signIn, IPasswordHasher<KeyProjectsUser> hasher, AuditLog audit)
{
    private static readonly KeyProjectsUser Nobody = new() { UserName = "nobody" };
    private static string? _throwAway;

    /// <summary>Signs in (a cookie, or the bearer token when the scheme is set); false for any failure.</summary>
    public async Task<bool> SignIn(string userName, string password, bool persistent, string? scheme = null)
    {
        if (scheme is not null) signIn.AuthenticationScheme = scheme;
        var channel = scheme is null ? "登录页" : "接口令牌";
        var user = await signIn.UserManager.FindByNameAsync(userName);
        if (user is null || await signIn.UserManager.IsLockedOutAsync(user))
        {
            // The same work as a real check, for an answer that takes as long as one.
            hasher.VerifyHashedPassword(Nobody, ThrowAway(), password);
            await audit.SignIn(userName, succeeded: false, user is null ? "用户不存在" : "账户已锁定", channel);
            return false;
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            await audit.SignIn(userName, succeeded: false, "密码错误", channel);
            if (result.IsLockedOut) await audit.Lockout(userName);
            return false;
        }
        await signIn.SignInAsync(user, persistent);
        await audit.SignIn(userName, succeeded: true, "", channel);
        return true;
    }

    private string ThrowAway() => _throwAway ??= hasher.HashPassword(Nobody, RandomNumberGenerator.GetHexString(32));
}
