using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.CheckIn;

public enum CheckInOutcome
{
    CheckedIn,
    AlreadyCheckedIn,
    CheckedOut,
    AlreadyCheckedOut,
}

/// <summary>What the phone's scan page shows of an activity.</summary>
public sealed record ScanActivity(int Id, string Title, DateTime StartUtc, DateTime EndUtc, string Place, ActivityStatus Status);

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
    TimeProvider clock,
    VolunteerCards cards)
{
    /// <summary>Check-out stays possible this long after the end.</summary>

    /// <summary>The activity a scanned code names, in one small query; null for a draft or a missing one.</summary>
    public async Task<ScanActivity?> DescribeAsync(int activityId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await DescribeQuery.For(db)(db, activityId, cancellationToken);
    }

    // The phone's scan path runs these on every GET and POST: compiled once per engine, so a request neither walks nor hashes the
    // LINQ tree to find EF's cached query.
    private static readonly CompiledPerEngine<Func<AppDbContext, int, CancellationToken, Task<ScanActivity?>>> DescribeQuery = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, int activityId, CancellationToken _) => db.Activities.AsNoTracking()
            .Where(a => a.Id == activityId && a.Status != ActivityStatus.Draft)
            .Select(a => new ScanActivity(a.Id, a.Title, a.StartUtc, a.EndUtc, a.Place, a.Status))
            .FirstOrDefault()));

    /// <summary>The activity and whether the person has a confirmed sign-up, in one statement.</summary>
    private static readonly CompiledPerEngine<Func<AppDbContext, int, int, CancellationToken, Task<ScanFacts?>>> ScanFactsQuery = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, int activityId, int userId, CancellationToken _) => db.Activities.AsNoTracking()
            .Where(a => a.Id == activityId)
            .Select(a => new ScanFacts(
                a,
                db.Registrations.Any(r => r.ActivityId == activityId && r.UserId == userId && r.Status == RegistrationStatus.Confirmed)))
            .FirstOrDefault()));

    /// <summary>The person's attendance at the activity so far (at most one row: unique index). Not tracked.</summary>
    private static readonly CompiledPerEngine<Func<AppDbContext, int, int, CancellationToken, Task<AttendanceRecord?>>> ExistingQuery = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, int activityId, int userId, CancellationToken _) => db.Attendance.AsNoTracking()
            .FirstOrDefault(r => r.ActivityId == activityId && r.UserId == userId)));

    private sealed record ScanFacts(Activity Activity, bool SignedUp);

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

        await EnsureManagesAsync(organizer, activityId, cancellationToken);
        if (method == CheckInMethod.Manual && string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException(ErrorCodes.CheckIn.ReasonRequired);
        }

        return await RecordAsync(activityId, personId, purpose, method, organizer, reason, cancellationToken);
    }

    /// <summary>
    /// An organizer of the host scanned (or typed) a volunteer card: checks the card, then records its holder like a
    /// card check-in. A forged card, or one voided by reissuing, is refused and records nothing.
    /// </summary>
    public async Task<(CheckInResult Result, CardHolder Holder)> RecordByCardAsync(
        ClaimsPrincipal organizer,
        int activityId,
        string? scanned,
        CheckInPurpose purpose,
        CancellationToken cancellationToken = default)
    {
        // The organizer's right to the activity first: a card's validity (and its holder's name) is only told to them.
        await EnsureManagesAsync(organizer, activityId, cancellationToken);
        var (check, holder) = await cards.ReadAsync(scanned, cancellationToken);
        if (check == CardCheck.Revoked)
        {
            throw new DomainException(ErrorCodes.Card.Revoked, holder!.RealName);
        }

        if (check != CardCheck.Valid)
        {
            throw new DomainException(ErrorCodes.Card.Invalid);
        }

        var result = await RecordForAsync(organizer, activityId, holder!.UserId, purpose, CheckInMethod.Card, reason: null, cancellationToken);
        return (result, holder);
    }

    /// <summary>
    /// An organizer of the host takes back a check-in recorded in error (wrong person, double card): the record is
    /// removed, with a reason, and audited. Attendance already credited cannot be undone here.
    /// </summary>
    public async Task UndoAsync(ClaimsPrincipal organizer, int activityId, int personId, string? reason, CancellationToken cancellationToken = default)
    {
        reason = PersonText.CheckedMultiline(reason);
        if (reason.Length == 0)
        {
            throw new DomainException(ErrorCodes.CheckIn.ReasonRequired);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await db.Activities.AsNoTracking().FirstOrDefaultAsync(a => a.Id == activityId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Activity.NotFound);
        if (!(await access.GetScopeAsync(organizer, cancellationToken)).Contains(activity.OrgPath))
        {
            throw new AccessDeniedException();
        }

        var record = await db.Attendance.AsNoTracking().FirstOrDefaultAsync(a => a.ActivityId == activityId && a.UserId == personId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.CheckIn.NotCheckedIn);
        if (record.CreditedAtUtc is not null)
        {
            throw new DomainException(ErrorCodes.CheckIn.AlreadyCredited);
        }

        var walkIn = !await db.Registrations.AnyAsync(
            r => r.ActivityId == activityId && r.UserId == personId && r.Status == RegistrationStatus.Confirmed, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Attendance.Where(a => a.Id == record.Id && a.CreditedAtUtc == null).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            // Credited meanwhile, or undone by another organizer at the same moment.
            throw new DomainException(await db.Attendance.AnyAsync(a => a.Id == record.Id, cancellationToken) ? ErrorCodes.CheckIn.AlreadyCredited : ErrorCodes.CheckIn.NotCheckedIn);
        }

        if (walkIn)
        {
            await db.Activities.Where(a => a.Id == activityId && a.WalkInCount > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.WalkInCount, a => a.WalkInCount - 1), cancellationToken);
        }

        var person = await db.Users.Where(u => u.Id == personId).Select(u => u.RealName).FirstOrDefaultAsync(cancellationToken);
        audit.Record(db, organizer, "attendance.check-in-undone", "Attendance", $"{activityId}/{personId}", activity.OrgNodeId,
            new { record.CheckedInAtUtc, Method = record.CheckInMethod },
            new { Activity = activity.Title, Person = person, Reason = reason.Length > AttendanceRecord.ReasonMaxLength ? reason[..AttendanceRecord.ReasonMaxLength] : reason });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task EnsureManagesAsync(ClaimsPrincipal organizer, int activityId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var orgPath = await db.Activities.Where(a => a.Id == activityId).Select(a => a.OrgPath).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(ErrorCodes.Activity.NotFound);
        if (!(await access.GetScopeAsync(organizer, cancellationToken)).Contains(orgPath))
        {
            throw new AccessDeniedException();
        }
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
        // One connection for the few statements of a scan (EF would open and close one per statement).
        await db.Database.OpenConnectionAsync(cancellationToken);
        var found = await ScanFactsQuery.For(db)(db, activityId, userId, cancellationToken);
        if (found is null || found.Activity.Status == ActivityStatus.Draft)
        {
            throw new DomainException(ErrorCodes.Activity.NotFound);
        }

        // Read without tracking: a check-in only reads it, a check-out writes it with a guarded update.
        var existing = await ExistingQuery.For(db)(db, activityId, userId, cancellationToken);
        return purpose == CheckInPurpose.CheckIn
            ? await CheckInAsync(db, found.Activity, existing, found.SignedUp, userId, method, recordedBy, reason, now, cancellationToken)
            : await CheckOutAsync(db, found.Activity, existing, method, recordedBy, reason, now, cancellationToken);
    }

    private async Task<CheckInResult> CheckInAsync(
        AppDbContext db,
        Activity activity,
        AttendanceRecord? existing,
        bool signedUp,
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

        var admission = Admitted(activity, CheckInPurpose.CheckIn, now, signedUp);

        // A signed-up person's own scan is one INSERT; a walk-in's place, or a manual check-in's audit entry, commit with
        // it in one transaction.
        var manual = method == CheckInMethod.Manual;
        await using var transaction = signedUp && !manual ? null : await db.Database.BeginTransactionAsync(cancellationToken);
        // A walk-in takes a place only if one is left after the confirmed sign-ups: claimed with a guarded counter in
        // the check-in's transaction, so parallel walk-ins cannot overfill, and a refused insert gives the place back.
        if (admission.TakesWalkInPlace && await db.Activities
                .Where(a => a.Id == activity.Id).Where(Activity.HasPlaceLeft)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.WalkInCount, a => a.WalkInCount + 1), cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.CheckIn.Full);
        }

        var record = AttendanceRecord.CheckIn(activity.Id, userId, method, now, recordedBy?.UserId(), reason);
        // The unique index (activity, person) decides a race without an exception: the same person's other scan got
        // there first, and this one answers with what that one recorded.
        if (await AttendanceSql.TryCheckInAsync(db, record, cancellationToken) == 0)
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
            }

            var first = await db.Attendance.AsNoTracking().FirstAsync(a => a.ActivityId == activity.Id && a.UserId == userId, cancellationToken);
            return new CheckInResult(CheckInOutcome.AlreadyCheckedIn, activity.Id, activity.Title, first.CheckedInAtUtc);
        }

        if (manual)
        {
            audit.Record(db, recordedBy, "attendance.manual-check-in", "Attendance", $"{activity.Id}/{userId}", activity.OrgNodeId, null,
                new { Activity = activity.Title, UserId = userId, Reason = record.ManualReason });
            await db.SaveChangesAsync(cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new CheckInResult(CheckInOutcome.CheckedIn, activity.Id, activity.Title, record.CheckedInAtUtc);
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
            throw new DomainException(ErrorCodes.CheckIn.NotCheckedIn);
        }

        if (existing.CheckedOutAtUtc is { } outAt)
        {
            return new CheckInResult(CheckInOutcome.AlreadyCheckedOut, activity.Id, activity.Title, outAt);
        }

        Admitted(activity, CheckInPurpose.CheckOut, now, signedUp: true);
        // Read without tracking: written below with a guarded update, not by the change tracker.
        existing.CheckOut(method, now);
        var checkedOutAt = existing.CheckedOutAtUtc!.Value;
        var manual = method == CheckInMethod.Manual;
        // A manual check-out's audit entry commits with it.
        await using var transaction = manual ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

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

        if (manual)
        {
            audit.Record(db, recordedBy, "attendance.manual-check-out", "Attendance", $"{activity.Id}/{existing.UserId}", activity.OrgNodeId, null,
                new { Activity = activity.Title, existing.UserId, Reason = PersonText.CheckedMultiline(reason) });
            await db.SaveChangesAsync(cancellationToken);
            await transaction!.CommitAsync(cancellationToken);
        }

        return new CheckInResult(CheckInOutcome.CheckedOut, activity.Id, activity.Title, checkedOutAt);
    }

    /// <summary>The activity's <see cref="Activity.Admit"/>; a refusal thrown, "not open yet" naming the local time it opens.</summary>
    private ScanAdmission Admitted(Activity activity, CheckInPurpose purpose, DateTime now, bool signedUp)
    {
        var admission = activity.Admit(purpose, now, signedUp);
        return admission switch
        {
            { IsAdmitted: true } => admission,
            { OpensAtUtc: { } opens } => throw new DomainException(admission.RefusalCode!, time.FormatTime(opens)),
            _ => throw new DomainException(admission.RefusalCode!),
        };
    }
}
