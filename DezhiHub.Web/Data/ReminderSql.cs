using DezhiHub.Domain.Activities;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// The reminder sweep's "sent once" row, in SQL that SQLite and PostgreSQL share (INSERT … ON CONFLICT): a reminder that
/// another sweep sent meanwhile inserts nothing, instead of a unique-index exception that EF would log as an error.
/// </summary>
internal static class ReminderSql
{
    /// <summary>Records the reminder as sent; 1 if this call recorded it, 0 when it was recorded already.</summary>
    public static Task<int> TryRecordAsync(AppDbContext db, int activityId, int userId, ReminderKind kind, DateTime nowUtc, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "ActivityReminders" ("ActivityId", "UserId", "Kind", "SentAtUtc")
            VALUES ({activityId}, {userId}, {kind.ToString()}, {nowUtc})
            ON CONFLICT ("ActivityId", "UserId", "Kind") DO NOTHING
            """,
            cancellationToken);
}
