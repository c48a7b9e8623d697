using System.Globalization;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Leaderboards;

/// <summary>How boards and their exports word periods and values, and how the page's address spells its choices.</summary>
public static class LeaderboardText
{
    /// <summary>"hours" or "points" in an address; anything else is hours.</summary>
    public static LeaderboardMetric ParseMetric(string? text) =>
        string.Equals(text, "points", StringComparison.OrdinalIgnoreCase) ? LeaderboardMetric.Points : LeaderboardMetric.Hours;

    /// <summary>"month", "year" or "all" in an address; anything else is this month.</summary>
    public static LeaderboardPeriod ParsePeriod(string? text) => text?.ToLowerInvariant() switch
    {
        "year" => LeaderboardPeriod.Year,
        "all" => LeaderboardPeriod.AllTime,
        _ => LeaderboardPeriod.Month,
    };

    public static string MetricParameter(LeaderboardMetric metric) => metric == LeaderboardMetric.Points ? "points" : "hours";

    public static string PeriodParameter(LeaderboardPeriod period) => period switch
    {
        LeaderboardPeriod.Year => "year",
        LeaderboardPeriod.AllTime => "all",
        _ => "month",
    };

    /// <summary>"2026年11月", "2026年", "累计" (November 2026, 2026, All time).</summary>
    public static string PeriodLabel(IStringLocalizer<Strings> strings, LeaderboardPeriod period, string? key)
    {
        if (period == LeaderboardPeriod.AllTime || key is null)
        {
            return strings["Leaderboard.Period.AllTime"];
        }

        if (period == LeaderboardPeriod.Year)
        {
            return strings["Leaderboard.YearOf", key];
        }

        var month = DateTime.ParseExact(key, DateText.IsoMonthFormat, CultureInfo.InvariantCulture);
        return DateText.Month(month.Year, month.Month);
    }

    /// <summary>The line under a board's title: what is ranked over which period.</summary>
    public static string Caption(IStringLocalizer<Strings> strings, Leaderboard board) =>
        strings["Leaderboard.Caption", PeriodLabel(strings, board.Period, board.PeriodKey),
            strings[board.Metric == LeaderboardMetric.Hours ? "Leaderboard.Metric.Hours" : "Leaderboard.Metric.Points"]];

    /// <summary>A board value with its unit: "12.5 小时" or "130 分".</summary>
    public static string Value(IStringLocalizer<Strings> strings, LeaderboardMetric metric, long value) =>
        metric == LeaderboardMetric.Hours
            ? strings["Leaderboard.HoursValue", HoursText.Format(value)]
            : strings["Leaderboard.PointsValue", value.ToString("N0", CultureInfo.CurrentCulture)];

    /// <summary>Minutes as hours for a spreadsheet: a number with one decimal, rounded as the pages round it.</summary>
    public static double Hours(long minutes) => HoursText.Value(minutes);
}
