using System.Globalization;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Platform.Localization;

namespace DezhiHub.Web.Features.Leaderboards;

/// <summary>What a board ranks: credited service hours, or points earned (earnings minus their reversals; spending does not lower it).</summary>
public enum LeaderboardMetric
{
    Hours = 0,
    Points = 1,
}

public enum LeaderboardPeriod
{
    Month = 0,
    Year = 1,
    AllTime = 2,
}

/// <summary>
/// A board: the people of <see cref="NodeId"/>'s subtree ranked by <see cref="Metric"/> over <see cref="Period"/>.
/// <see cref="PeriodKey"/> names a month ("2026-10") or year ("2025") in the deployment's zone; null means the current one.
/// </summary>
public sealed record LeaderboardQuery(int NodeId, LeaderboardMetric Metric, LeaderboardPeriod Period, string? PeriodKey = null, int Top = LeaderboardQuery.DefaultTop)
{
    public const int DefaultTop = 50;
    public const int MaxTop = 200;

    /// <summary>"2026", "2026-11", or null for all time; false when <paramref name="key"/> does not fit <paramref name="period"/>.</summary>
    public static bool IsValidKey(LeaderboardPeriod period, string? key) =>
        key is null
        || (period == LeaderboardPeriod.Month && DateTime.TryParseExact(key, DateText.IsoMonthFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        || (period == LeaderboardPeriod.Year && key.Length == 4 && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1 and <= 9999);
}

/// <summary>
/// One place on a board. <see cref="Value"/> is minutes on an hours board and points on a points board. Equal values
/// share a rank (1, 2, 2, 4). Only the real name and the community are shown: boards are public within the area.
/// </summary>
public sealed record LeaderboardRow(int Rank, int UserId, string RealName, string? Community, long Value, int StarLevel);

/// <summary>The signed-in person's own standing on a board: no rank until they have something to rank.</summary>
public sealed record LeaderboardStanding(int? Rank, long Value, int StarLevel);

public sealed record Leaderboard(
    int NodeId,
    string NodeName,
    string NodeFullName,
    OrgLevel NodeLevel,
    LeaderboardMetric Metric,
    LeaderboardPeriod Period,
    string? PeriodKey,
    IReadOnlyList<LeaderboardRow> Rows,
    LeaderboardStanding? Me);

/// <summary>A node a person may open a board for, for quick choices on the page.</summary>
public sealed record LeaderboardNode(int Id, string Name, OrgLevel Level, string Path);

/// <summary>One volunteer of an export: totals of the period, with the balance and star level of today.</summary>
public sealed record VolunteerTotalsRow(
    int UserId, string RealName, string PhoneMasked, string? Community, long Minutes, int PointsEarned, int PointsBalance, int StarLevel);

/// <summary>One unit of an export: a direct child of the chosen node with everything below it, or the node's own people (<see cref="IsHostLevel"/>).</summary>
public sealed record UnitTotalsRow(int NodeId, string Name, bool IsHostLevel, int Volunteers, long Minutes, int PointsEarned);

/// <summary>The rows of an export and what they are of.</summary>
public sealed record LeaderboardReport<T>(int NodeId, string NodeFullName, LeaderboardPeriod Period, string? PeriodKey, IReadOnlyList<T> Rows);
