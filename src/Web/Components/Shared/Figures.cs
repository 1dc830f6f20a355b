using System.Globalization;

namespace KeyProjects.Web.Components.Shared;

/// <summary>
/// Figures written the same way on every render, whichever thread renders them (a live update does not run under
/// the request's culture): "58.3%", "12,345" (万元), "1.5".
/// </summary>
public static class Figures
{
    private static readonly CultureInfo Format = CultureInfo.GetCultureInfo("zh-CN");

    public static string Percent(double? rate, int decimals = 1) =>
        rate is { } r ? (r * 100).ToString("F" + decimals, Format) + "%" : "—";

    public static string Money(decimal amount) => amount.ToString("N0", Format);

    /// <summary>A quantity in its own unit (亩, 吨, 千伏安…) with up to two decimals: half a 亩 is not rounded away.</summary>
    public static string Quantity(decimal amount) => amount.ToString("#,0.##", Format);

    public static string Number(double? value, string format = "0.0") => value is { } v ? v.ToString(format, Format) : "—";
}
