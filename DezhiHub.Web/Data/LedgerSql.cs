using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// The ledger's upserts: the only ledger code that speaks SQL (the append-only triggers are in the Volunteering migration). The statements use
/// INSERT … ON CONFLICT, which SQLite and PostgreSQL share.
/// </summary>
internal static class LedgerSql
{
    /// <summary>How many volunteers' cached points or minutes differ from their ledger sums: 0 in any consistent copy.</summary>
    public const string VolunteersWhoseTotalsDifferFromTheirLedgers = """
        SELECT COUNT(*) FROM "VolunteerProfiles" AS p
        WHERE p."PointsBalance" <> COALESCE((SELECT SUM(e."Delta") FROM "PointsEntries" AS e WHERE e."UserId" = p."UserId"), 0)
           OR p."TotalMinutes" <> COALESCE((SELECT SUM(h."Minutes") FROM "HoursEntries" AS h WHERE h."UserId" = p."UserId"), 0)
        """;

    /// <summary>Makes sure the person has a ledger account row (a <c>VolunteerProfiles</c> row) to hold the totals.</summary>
    public static Task EnsureAccountAsync(AppDbContext db, int userId, DateTime nowUtc, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "VolunteerProfiles" ("UserId", "Skills", "CreatedAtUtc", "TotalMinutes", "PointsBalance", "PointsEarned", "StarLevel")
            VALUES ({userId}, '', {nowUtc}, 0, 0, 0, 0)
            ON CONFLICT ("UserId") DO NOTHING
            """,
            cancellationToken);

    /// <summary>Adds to the person's year and month totals.</summary>
    public static async Task AddToPeriodsAsync(AppDbContext db, int userId, IEnumerable<string> periods, long minutes, int pointsEarned, CancellationToken cancellationToken)
    {
        foreach (var period in periods)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO "VolunteerPeriodTotals" ("Period", "UserId", "Minutes", "PointsEarned")
                VALUES ({period}, {userId}, {minutes}, {pointsEarned})
                ON CONFLICT ("Period", "UserId") DO UPDATE SET
                    "Minutes" = "VolunteerPeriodTotals"."Minutes" + excluded."Minutes",
                    "PointsEarned" = "VolunteerPeriodTotals"."PointsEarned" + excluded."PointsEarned"
                """,
                cancellationToken);
        }
    }
}
