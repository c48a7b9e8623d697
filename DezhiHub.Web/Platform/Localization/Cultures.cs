using System.Globalization;

namespace DezhiHub.Web.Platform.Localization;

public static class Cultures
{
    public const string Chinese = "zh-CN";
    public const string English = "en-US";
    public const string Default = Chinese;

    public static readonly IReadOnlyList<string> Supported = [Chinese, English];

    public static bool IsSupported(string? name) => name is not null && Supported.Contains(name);

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name == Chinese;
}
