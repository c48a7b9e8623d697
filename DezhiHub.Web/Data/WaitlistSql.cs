using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// Gives waiting sign-ups that have no waitlist number one (decision 0013): rows from before the numbers existed and
/// the demo seeder's, numbered per activity after the activity's counter, in the order they signed up, and the
/// counter moved past them. SQL that SQLite and PostgreSQL share (window function, UPDATE … FROM).
/// </summary>
internal static class WaitlistSql
{
    public const string NumberUnnumbered = """
        WITH numbered AS (
            SELECT r."Id", a."WaitlistIssued" + ROW_NUMBER() OVER (PARTITION BY r."ActivityId" ORDER BY r."SignedUpAtUtc", r."Id") AS "Number"
            FROM "Registrations" r JOIN "Activities" a ON a."Id" = r."ActivityId"
            WHERE r."Status" = 'Waitlisted' AND r."WaitlistNumber" IS NULL)
        UPDATE "Registrations" SET "WaitlistNumber" = numbered."Number" FROM numbered WHERE "Registrations"."Id" = numbered."Id";
        UPDATE "Activities" SET "WaitlistIssued" = (SELECT MAX(r."WaitlistNumber") FROM "Registrations" r WHERE r."ActivityId" = "Activities"."Id")
        WHERE "WaitlistIssued" < (SELECT MAX(r."WaitlistNumber") FROM "Registrations" r WHERE r."ActivityId" = "Activities"."Id");
        """;

    public static Task NumberUnnumberedAsync(AppDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(NumberUnnumbered, cancellationToken);
}
