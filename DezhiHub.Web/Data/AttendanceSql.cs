using DezhiHub.Domain.Attendance;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// The check-in's insert, in SQL that SQLite and PostgreSQL share (INSERT … ON CONFLICT). A second scan of the same person
/// is an expected answer ("already checked in"), not a failure: the unique index turns it into "0 rows" instead of an
/// exception that EF would log as a database error with its stack trace.
/// </summary>
internal static class AttendanceSql
{
    /// <summary>Inserts the check-in; 1 if recorded, 0 when the person already has an attendance row for the activity.</summary>
    public static Task<int> TryCheckInAsync(AppDbContext db, AttendanceRecord record, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "Attendance" ("ActivityId", "UserId", "CheckedInAtUtc", "CheckInMethod", "RecordedByUserId", "ManualReason")
            VALUES ({record.ActivityId}, {record.UserId}, {record.CheckedInAtUtc}, {record.CheckInMethod.ToString()}, {record.RecordedByUserId}, {record.ManualReason})
            ON CONFLICT ("ActivityId", "UserId") DO NOTHING
            """,
            cancellationToken);
}
