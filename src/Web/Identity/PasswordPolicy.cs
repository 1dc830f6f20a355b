using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Identity;

/// <summary>
/// The password policy, from <c>KeyProjects:Passwords</c>: <c>RequiredLength</c> (default 8, 8 to 128),
/// <c>RequireDigit</c> (true), <c>RequireLowercase</c> (true), <c>RequireUppercase</c> (false),
/// <c>RequireNonAlphanumeric</c> (false), <c>RequiredUniqueChars</c> (1, 1 to the length). A bad setting stops start-up
/// with a message naming it.
/// </summary>
public static class PasswordPolicy
{
    public static void Apply(PasswordOptions o, IConfigurationSection settings)
    {
        o.RequiredLength = Number(settings, "RequiredLength", 8, 8, 128);
        o.RequireDigit = Flag(settings, "RequireDigit", true);
        o.RequireLowercase = Flag(settings, "RequireLowercase", true);
        o.RequireUppercase = Flag(settings, "RequireUppercase", false);
        o.RequireNonAlphanumeric = Flag(settings, "RequireNonAlphanumeric", false);
        o.RequiredUniqueChars = Number(settings, "RequiredUniqueChars", 1, 1, o.RequiredLength);
    }

    /// <summary>What is wrong with a password under the policy, in Chinese for an office file; null when it is good.</summary>
    public static string? Problem(PasswordOptions o, string password)
    {
        var missing = new List<string>();
        if (password.Length < o.RequiredLength) missing.Add($"至少 {o.RequiredLength} 位");
        // ASCII classes, as Identity's own validator counts them.
        if (o.RequireDigit && !password.Any(char.IsAsciiDigit)) missing.Add("含数字");
        if (o.RequireLowercase && !password.Any(char.IsAsciiLetterLower)) missing.Add("含小写字母");
        if (o.RequireUppercase && !password.Any(char.IsAsciiLetterUpper)) missing.Add("含大写字母");
        if (o.RequireNonAlphanumeric && password.All(char.IsAsciiLetterOrDigit)) missing.Add("含符号");
        if (password.Distinct().Count() < o.RequiredUniqueChars) missing.Add($"至少 {o.RequiredUniqueChars} 个不同字符");
        return missing.Count == 0 ? null : "密码须" + string.Join("、", missing);
    }

    private static int Number(IConfigurationSection settings, string name, int fallback, int min, int max) =>
        settings[name] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, out var value) && value >= min && value <= max ? value
        : throw new InvalidOperationException($"{settings.Path}:{name} is '{text}': a whole number from {min} to {max}.");

    private static bool Flag(IConfigurationSection settings, string name, bool fallback) =>
        settings[name] is not { Length: > 0 } text ? fallback
        : bool.TryParse(text, out var value) ? value
        : throw new InvalidOperationException($"{settings.Path}:{name} is '{text}': true or false.");
}
