using System.Globalization;
using System.Resources;

namespace KeyProjects.Web.Office;

/// <summary>
/// The Chinese names of the values an office file carries (项目类别, 建设性质, 阶段 …), from the same resources the pages
/// speak: a file reads the same words the screen shows, whatever the reader's page language.
/// </summary>
public static class ChineseNames
{
    private static readonly ResourceManager Resources = new("KeyProjects.Web.Resources.SharedResource", typeof(SharedResource).Assembly);
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Resources.GetString($"{typeof(TEnum).Name}.{value}", Chinese) ?? value.ToString();

    /// <summary>The Chinese text of a resource key ("Light.Red" → 红灯).</summary>
    public static string Text(string key) => Resources.GetString(key, Chinese) ?? key;

    /// <summary>The value a Chinese name (or the value's own name) stands for.</summary>
    public static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
            if (Of(candidate) == text || string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        value = default;
        return false;
    }

    public static string All<TEnum>() where TEnum : struct, Enum => string.Join("、", Enum.GetValues<TEnum>().Select(Of));
}
