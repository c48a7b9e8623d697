using MudBlazor;

namespace DezhiHub.Web.Components.Layout;

/// <summary>Chinese red and gold, with system CJK fonts (no web fonts: deployments may be offline).</summary>
public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#B71C1C",
            Secondary = "#C8961E",
            Tertiary = "#2E7D32",
            AppbarBackground = "#B71C1C",
            Background = "#FAF7F2",
            DrawerBackground = "#FFFFFF",
        },
        Typography = new Typography
        {
            // Chinese has no capitals, and English labels read better in sentence case.
            Button = new ButtonTypography { TextTransform = "none" },
            Default = new DefaultTypography
            {
                FontFamily = ["PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", "Source Han Sans SC", "Roboto", "Helvetica", "Arial", "sans-serif"],
            },
        },
    };
}
