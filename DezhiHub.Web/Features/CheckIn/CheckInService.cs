using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Localization;
using DezhiHub.Web.Features.Organization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.CheckIn;

public enum CheckInOutcome
{
    CheckedIn,
    AlreadyCheckedIn,
    CheckedOut,
    AlreadyCheckedOut,
}

/// <summary>What was recorded (or found recorded already) and when.</summary>
public sealed record CheckInResult(CheckInOutcome Outcome, int ActivityId, string ActivityTitle, DateTime AtUtc);

/// <summary>
/// Records check-in and check-out. Idempotent: the database holds one attendance per (activity, person), and a
/// repeat answers with the first record instead of failing. Every refusal is a <see cref="DomainException"/> with a
/// localizable code and changes nothing.
/// </summary>
public sealed class CheckInService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    AuditTrail audit,
    DisplayTime time,
    TimeProvider clock)
{
    /// <summary>Check-in opens this long before the start.</summary>
    public static readonly TimeSpan OpensBeforeStart = TimeSpan.FromMinutes(30);

    /// <summary>Check-out stays possible this long after the end.</summary>
    public static readonly TimeSpan CheckOutGraceAfterEnd = TimeSpan.FromHours(3);

    /// <summary>The person checks themself in or out, having scanned the activity's live code.</summary>
    public Task<CheckInResult> ScanAsync(ClaimsPrincipal user, int activityId, CheckInPurpose purpose, CancellationToken cancellationToken = default) =>
        RecordAsync(activityId, user.RequiredUserId(), purpose, CheckInMethod.Screen, recordedBy: null, reason: null, cancellationToken);

    /// <summary>
    /// An organizer of the host records someone: by scanning their volunteer card, or by hand with a reason
    /// (audited). The same rules apply as for a scan.
    /// </summary>
    public async Task<CheckInResult> RecordForAsync(
        ClaimsPrincipal organizer,
        int activityId,
        int personId,
        CheckInPurpose purpose,
        CheckInMethod method,
        string? reason,
        CancellationToken cancellationToken = default)
    {
        if (method == CheckInMethod.Screen)
        {
            throw new ArgumentException("A screen check-in is the person's own scan.", nameof(method));
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var orgPath = await db.Activities.Where(a => a.Id == activityId).Select(a => a.OrgPath).FirstOrDefaultAsync(cancellationToken)
                ?? throw new DomainException("Activity.NotFound");
            if (!(await access.GetScopeAsync(organizer, cancellationToken)).Contains(orgPath))
            {
                throw new AccessDeniedException();
            }
        }

        if (method == CheckInMethod.Manual && string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("CheckIn.ReasonRequired");
        }

        return await RecordAsync(activityId, personId, purpose, method, organizer, reason, cancellationToken);
    }

    private async Task<CheckInResult> RecordAsync(
        int activityId,
        int userId,
        CheckInPurpose purpose,
        CheckInMethod method,
        ClaimsPrincipal? recordedBy,
        string? reason,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await db.Activities.AsNoTracking().FirstOrDefaultAsync(a => a.Id == activityId, cancellationToken);
        if (activity is null || activity.Status == ActivityStatus.Draft)
        {
            throw new DomainException("Activity.NotFound");
        }

        var existing = await db.Attendance.FirstOrDefaultAsync(a => a.ActivityId == activityId && a.UserId == userId, cancellationToken);
        return purpose == CheckInPurpose.CheckIn
            ? await CheckInAsync(db, activity, existing, userId, method, recordedBy, reason, now, cancellationToken)
            : await CheckOutAsync(db, activity, existing, method, recordedBy, reason, now, cancellationToken);
    }

    private async Task<CheckInResult> CheckInAsync(
        AppDbContext db,
        Activity activity,
        AttendanceRecord? existing,
        int userId,
        CheckInMethod method,
        ClaimsPrincipal? recordedBy,
        string? reason,
        DateTime now,
        CancellationToken cancellationToken)
    {
        if (existing is not null)
        {
            return new CheckInResult(CheckInOutcome.AlreadyCheckedIn, activity.Id, activity.Title, existing.CheckedInAtUtc);
        }

        EnsureOpen(activity, now, activity.EndUtc);
        var signedUp = await db.Registrations.AnyAsync(
            r => r.ActivityId == activity.Id && r.UserId == userId && r.Status == RegistrationStatus.Confirmed, cancellationToken);
        if (!signedUp)
        {
            if (activity.SignUpRequired && !activity.WalkInsAllowed)
            {
                throw new DomainException("CheckIn.NotSignedUp");
            }

            // A walk-in takes a place only if one is left after the confirmed sign-ups.
            if (activity.Capacity is { } capacity
                && activity.ConfirmedCount + await WalkInsAsync(db, activity.Id, cancellationToken) >= capacity)
            {
                throw new DomainException("CheckIn.Full");
            }
        }

        var record = AttendanceRecord.CheckIn(activity.Id, userId, method, now, recordedBy?.UserId(), reason);
        db.Attendance.Add(record);
        if (method == CheckInMethod.Manual)
        {
            audit.Record(db, recordedBy, "attendance.manual-check-in", "Attendance", $"{activity.Id}/{userId}", activity.OrgNodeId, null,
                new { Activity = activity.Title, UserId = userId, Reason = record.ManualReason });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new CheckInResult(CheckInOutcome.CheckedIn, activity.Id, activity.Title, record.CheckedInAtUtc);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The same person's other scan got there first: answer with what it recorded.
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var first = await fresh.Attendance.AsNoTracking().FirstAsync(a => a.ActivityId == activity.Id && a.UserId == userId, cancellationToken);
            return new CheckInResult(CheckInOutcome.AlreadyCheckedIn, activity.Id, activity.Title, first.CheckedInAtUtc);
        }
    }

    private async Task<CheckInResult> CheckOutAsync(
        AppDbContext db,
        Activity activity,
        AttendanceRecord? existing,
        CheckInMethod method,
        ClaimsPrincipal? recordedBy,
        string? reason,
        DateTime now,
        CancellationToken cancellationToken)
    {
        if (existing is null)
        {
            throw new DomainException("CheckIn.NotCheckedIn");
        }

        if (existing.CheckedOutAtUtc is { } outAt)
        {
            return new CheckInResult(CheckInOutcome.AlreadyCheckedOut, activity.Id, activity.Title, outAt);
        }

        EnsureOpen(activity, now, activity.EndUtc + CheckOutGraceAfterEnd);
        existing.CheckOut(method, now);
        var checkedOutAt = existing.CheckedOutAtUtc!.Value;
        // Written below with a guarded update instead of by the change tracker.
        db.Entry(existing).State = EntityState.Detached;
        if (method == CheckInMethod.Manual)
        {
            audit.Record(db, recordedBy, "attendance.manual-check-out", "Attendance", $"{activity.Id}/{existing.UserId}", activity.OrgNodeId, null,
                new { Activity = activity.Title, existing.UserId, Reason = reason?.Trim() });
        }

        // Two check-out scans at once: the second save finds nothing left to change.
        var changed = await db.Attendance
            .Where(a => a.Id == existing.Id && a.CheckedOutAtUtc == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.CheckedOutAtUtc, checkedOutAt).SetProperty(a => a.CheckOutMethod, method),
                cancellationToken);
        if (changed == 0)
        {
            var first = await db.Attendance.AsNoTracking().Where(a => a.Id == existing.Id).Select(a => a.CheckedOutAtUtc).FirstAsync(cancellationToken);
            return new CheckInResult(CheckInOutcome.AlreadyCheckedOut, activity.Id, activity.Title, first ?? now);
        }

        await db.SaveChangesAsync(cancellationToken); // the audit entry, if any
        return new CheckInResult(CheckInOutcome.CheckedOut, activity.Id, activity.Title, checkedOutAt);
    }

    private void EnsureOpen(Activity activity, DateTime now, DateTime closesAt)
    {
        if (activity.Status == ActivityStatus.Cancelled)
        {
            throw new DomainException("CheckIn.Cancelled");
        }

        var opensAt = activity.StartUtc - OpensBeforeStart;
        if (now < opensAt)
        {
            throw new DomainException("CheckIn.NotStarted", time.ToLocal(opensAt).ToString("HH:mm", CultureInfo.InvariantCulture));
        }

        if (now > closesAt)
        {
            throw new DomainException("CheckIn.Over");
        }
    }

    private static Task<int> WalkInsAsync(AppDbContext db, int activityId, CancellationToken cancellationToken) =>
        db.Attendance.CountAsync(
            a => a.ActivityId == activityId
                && !db.Registrations.Any(r => r.ActivityId == activityId && r.UserId == a.UserId && r.Status == RegistrationStatus.Confirmed),
            cancellationToken);
}
