using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// The booking engine's two guarded writes, in SQL that SQLite and PostgreSQL share (INSERT … ON CONFLICT). They run
/// inside the booking's transaction, so a refusal rolls everything back.
/// </summary>
internal static class BookingSql
{
    /// <summary>
    /// Inserts the claim rows of a booking; returns how many were new. Fewer than asked means some unit is held by
    /// another booking: the caller refuses and rolls back.
    /// </summary>
    public static Task<int> ClaimAsync(AppDbContext db, int resourceId, int bookingId, IReadOnlyList<DateTime> units, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("INSERT INTO \"SlotClaims\" (\"ResourceId\", \"UnitStartUtc\", \"BookingId\") VALUES ");
        var parameters = new object[units.Count + 2];
        parameters[0] = resourceId;
        parameters[1] = bookingId;
        for (var i = 0; i < units.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({{0}}, {{{i + 2}}}, {{1}})");
            parameters[i + 2] = units[i];
        }

        sql.Append(" ON CONFLICT DO NOTHING");
        return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }

    /// <summary>Takes a place in a capacity slot while fewer than <paramref name="capacity"/> are taken; 1 if taken, 0 if full.</summary>
    public static Task<int> TakePlaceAsync(AppDbContext db, int resourceId, DateTime slotStartUtc, int capacity, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "SlotCounts" ("ResourceId", "SlotStartUtc", "Taken") VALUES ({resourceId}, {slotStartUtc}, 1)
            ON CONFLICT ("ResourceId", "SlotStartUtc") DO UPDATE SET "Taken" = "SlotCounts"."Taken" + 1
            WHERE "SlotCounts"."Taken" < {capacity}
            """,
            cancellationToken);
}
