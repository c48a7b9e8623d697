using DezhiHub.Domain.Notifications;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Volunteering;

/// <summary>
/// Posts to the two append-only ledgers. Every post runs inside the caller's transaction, first takes the person's
/// ledger lock (<see cref="LockSql.LedgerAsync"/>), and does three things together: the entry (its <c>SourceKey</c>
/// checked under that lock and unique, so a source credits once), the cached totals on the person's
/// <see cref="VolunteerProfile"/> (the balance by a guarded update that can never go below zero, backed by a CHECK),
/// and the year/month totals the leaderboards read. Nothing else writes these tables.
/// </summary>
public sealed class Ledger(DisplayTime time)
{
    /// <summary>
    /// Posts a points entry; returns null (and changes nothing) when the source has posted already. A debit larger
    /// than the balance throws ErrorCodes.Points.InsufficientBalance. <paramref name="earnedDelta"/> is the change to the
    /// points earned (the points board): the delta for earnings and their reversals, 0 for spending and refunds.
    /// </summary>
    public async Task<PointsEntry?> PostPointsAsync(
        AppDbContext db,
        int userId,
        int delta,
        PointsKind kind,
        string sourceKey,
        DateTime nowUtc,
        int? activityId = null,
        string? reason = null,
        int? actorUserId = null,
        CancellationToken cancellationToken = default)
    {
        EnsureTransaction(db);
        await LockSql.LedgerAsync(db, userId, nowUtc, cancellationToken);
        if (await db.PointsEntries.AnyAsync(e => e.SourceKey == sourceKey, cancellationToken))
        {
            return null;
        }

        var earnedDelta = VolunteerAccount.EarnedDelta(kind, delta);
        var changed = await db.VolunteerProfiles
            .Where(p => p.UserId == userId && p.PointsBalance + delta >= 0)
            .ExecuteUpdateAsync(
                s => s.SetProperty(p => p.PointsBalance, p => p.PointsBalance + delta).SetProperty(p => p.PointsEarned, p => p.PointsEarned + earnedDelta),
                cancellationToken);
        if (changed == 0)
        {
            throw new DomainException(ErrorCodes.Points.InsufficientBalance);
        }

        var balance = await db.VolunteerProfiles.Where(p => p.UserId == userId).Select(p => p.PointsBalance).SingleAsync(cancellationToken);
        var entry = PointsEntry.Create(userId, delta, kind, sourceKey, balance, nowUtc, activityId, reason, actorUserId);
        db.PointsEntries.Add(entry);
        if (earnedDelta != 0)
        {
            await LedgerSql.AddToPeriodsAsync(db, userId, Periods(nowUtc), 0, earnedDelta, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>
    /// Posts an hours entry; returns null when the source has posted already. Raises the cached star level, and tells
    /// the volunteer, when the total reaches a new one.
    /// </summary>
    public async Task<HoursEntry?> PostHoursAsync(
        AppDbContext db,
        int userId,
        int minutes,
        HoursKind kind,
        string sourceKey,
        DateTime nowUtc,
        int? activityId = null,
        string? reason = null,
        int? actorUserId = null,
        CancellationToken cancellationToken = default)
    {
        EnsureTransaction(db);
        await LockSql.LedgerAsync(db, userId, nowUtc, cancellationToken);
        if (await db.HoursEntries.AnyAsync(e => e.SourceKey == sourceKey, cancellationToken))
        {
            return null;
        }

        await db.VolunteerProfiles.Where(p => p.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.TotalMinutes, p => p.TotalMinutes + minutes), cancellationToken);
        var entry = HoursEntry.Create(userId, minutes, kind, sourceKey, nowUtc, activityId, reason, actorUserId);
        db.HoursEntries.Add(entry);
        await LedgerSql.AddToPeriodsAsync(db, userId, Periods(nowUtc), minutes, 0, cancellationToken);

        var account = await db.VolunteerProfiles.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => new { p.TotalMinutes, p.StarLevel }).SingleAsync(cancellationToken);
        var (level, announce) = VolunteerAccount.StarAfter(account.TotalMinutes, account.StarLevel);
        if (level != account.StarLevel)
        {
            await db.VolunteerProfiles.Where(p => p.UserId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.StarLevel, level), cancellationToken);
            if (announce)
            {
                db.Notifications.Add(Notification.Create(userId, "Volunteer.StarReached",
                    [level.ToString(System.Globalization.CultureInfo.InvariantCulture), StarLevel.ThresholdHours[level - 1].ToString(System.Globalization.CultureInfo.InvariantCulture)],
                    "/volunteer", nowUtc));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>Hours and points for one credited attendance, once (sources "attendance:{id}").</summary>
    public async Task CreditAttendanceAsync(AppDbContext db, int attendanceId, int userId, int activityId, int minutes, int pointsPerHour, DateTime nowUtc, CancellationToken cancellationToken)
    {
        if (minutes <= 0)
        {
            return;
        }

        var source = LedgerSource.Attendance(attendanceId);
        await PostHoursAsync(db, userId, minutes, HoursKind.Attendance, source, nowUtc, activityId, cancellationToken: cancellationToken);
        var points = VolunteerAccount.PointsFor(minutes, pointsPerHour);
        if (points > 0)
        {
            await PostPointsAsync(db, userId, points, PointsKind.Earned, source, nowUtc, activityId, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The year and month (in the deployment's zone) a post counts towards.</summary>
    public string[] Periods(DateTime nowUtc)
    {
        var local = time.ToLocal(nowUtc);
        return [VolunteerPeriodTotal.Year(local), VolunteerPeriodTotal.Month(local)];
    }

    private static void EnsureTransaction(AppDbContext db)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Ledger posts run inside the caller's transaction.");
        }
    }
}
