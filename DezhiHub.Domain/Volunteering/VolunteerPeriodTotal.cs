namespace DezhiHub.Domain.Volunteering;

/// <summary>
/// A person's ledger sums for one period — a year ("2026") or a month ("2026-11") in the deployment's zone — kept in
/// the same transaction as the entries, so a leaderboard reads one row per person instead of summing the ledger.
/// </summary>
public sealed class VolunteerPeriodTotal
{
    public string Period { get; set; } = "";

    public int UserId { get; set; }

    public long Minutes { get; set; }

    public int PointsEarned { get; set; }

    public static string Year(DateTime local) => local.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static string Month(DateTime local) => local.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
