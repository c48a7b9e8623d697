namespace DezhiHub.Domain.Volunteering;

/// <summary>
/// The rules of a volunteer's account (志愿者账户) that the ledger, the pages and the corrections share: which points are
/// earned, what the points board counts, how credited minutes turn into points, and when a new star level is announced.
/// </summary>
public static class VolunteerAccount
{
    /// <summary>
    /// Points the volunteer earned (service, an organizer's award, a kept pledge): shown as gains, counted on the points
    /// board, and the only entries an organizer may reverse.
    /// </summary>
    public static bool IsEarning(this PointsKind kind) => kind is PointsKind.Earned or PointsKind.Awarded or PointsKind.PledgeBonus;

    /// <summary>
    /// What a post adds to the points earned (the board): earnings and their reversals; spending and refunds move the
    /// balance only.
    /// </summary>
    public static int EarnedDelta(PointsKind kind, int delta) => kind.IsEarning() || kind == PointsKind.Reversed ? delta : 0;

    /// <summary>Points for credited minutes: whole points, rounded half up (90 min at 10/h → 15).</summary>
    public static int PointsFor(int minutes, int pointsPerHour) => (int)Math.Round(minutes * pointsPerHour / 60.0, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The star level for a new total and whether the volunteer is told: levels are announced going up; a correction
    /// below a threshold lowers the level quietly.
    /// </summary>
    public static (int Level, bool Announce) StarAfter(long totalMinutes, int levelBefore)
    {
        var level = StarLevel.ForMinutes(totalMinutes);
        return (level, level > levelBefore);
    }
}
