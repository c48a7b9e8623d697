using System.Security.Claims;
using DezhiHub.Domain.Accounts;
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
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.CheckIn;

/// <summary>The "DezhiHub:Attendance" configuration section.</summary>
public sealed class AttendanceOptions
{
    public const string Section = "DezhiHub:Attendance";

    /// <summary>Attendance the organizer has not confirmed is confirmed automatically this long after the end.</summary>
    public int AutoConfirmAfterHours { get; set; } = 24;

    /// <summary>Hours are credited only when presence covers at least this share of the scheduled time (percent).</summary>
    public int MinimumSharePercent { get; set; } = (int)(ServiceHours.DefaultMinimumShare * 100);

    public double MinimumShare => MinimumSharePercent / 100.0;
}

public enum AttendanceStatus
{
    /// <summary>Signed up, not arrived (yet).</summary>
    Missing = 0,
    CheckedIn = 1,
    CheckedOut = 2,
}

/// <summary>One person on the live roster: a confirmed sign-up or a walk-in.</summary>
public sealed record AttendanceEntry(
    int UserId,
    string RealName,
    string Phone,
    string PhoneLast4,
    bool WalkIn,
    AttendanceStatus Status,
    DateTime? CheckedInAtUtc,
    CheckInMethod? CheckInMethod,
    DateTime? CheckedOutAtUtc,
    CheckInMethod? CheckOutMethod,
    int? CreditedMinutes,
    AttendanceHours? Hours);

/// <summary>Whether a person's presence counts as service hours, and if not, why.</summary>
public enum HoursOutcome
{
    /// <summary>The presence reaches the minimum share: counted (before the confirmation: will be).</summary>
    Counts,

    /// <summary>The presence falls short of the minimum share: no hours.</summary>
    TooShort,

    /// <summary>Confirmed without a check-out and not counted to the end: rejected by the organizer, or auto-confirmed.</summary>
    NoCheckOut,
}

/// <summary>
/// A person's share of the schedule and what it earns. Before the confirmation it says what confirming would credit
/// (someone who never checked out counted to the scheduled end, as <see cref="AttendanceService.ConfirmAsync"/> does);
/// after it, what was credited.
/// </summary>
/// <param name="PresenceMinutes">Minutes present within the schedule.</param>
/// <param name="SharePercent">The share of the schedule, in whole percent rounded down.</param>
/// <param name="Minutes">Minutes credited (or to be credited); 0 when the outcome is not <see cref="HoursOutcome.Counts"/>.</param>
/// <param name="Credited">Whether the hours are credited already (the attendance is confirmed).</param>
/// <param name="UntilEnd">Not checked out and not confirmed yet: measured as if checked out at the scheduled end.</param>
public sealed record AttendanceHours(int PresenceMinutes, int SharePercent, HoursOutcome Outcome, int Minutes, bool Credited, bool UntilEnd);

/// <summary>What the attendance credits (or would credit): people counted and their minutes, and those not counted, by reason.</summary>
public sealed record AttendanceTally(int Counted, long Minutes, int TooShort, int NoCheckOut);

public sealed record LiveRoster(
    int ActivityId,
    DateTime StartUtc,
    DateTime EndUtc,
    bool Confirmed,
    int MinimumSharePercent,
    IReadOnlyList<AttendanceEntry> Entries)
{
    public int ScheduledMinutes => (int)(EndUtc - StartUtc).TotalMinutes;

    public int SignedUp => Entries.Count(e => !e.WalkIn);

    public int WalkIns => Entries.Count(e => e.WalkIn);

    public int Missing => Entries.Count(e => e.Status == AttendanceStatus.Missing);

    public int CheckedIn => Entries.Count(e => e.Status == AttendanceStatus.CheckedIn);

    public int CheckedOut => Entries.Count(e => e.Status == AttendanceStatus.CheckedOut);

    /// <summary>
    /// The totals of the rows: what was credited once confirmed, otherwise what confirming would credit with
    /// <paramref name="rejected"/> people (who never checked out) not counted.
    /// </summary>
    public AttendanceTally Tally(IReadOnlySet<int>? rejected = null)
    {
        int counted = 0, tooShort = 0, noCheckOut = 0;
        long minutes = 0;
        foreach (var (entry, hours) in Entries.Where(e => e.Hours is not null).Select(e => (e, e.Hours!)))
        {
            var outcome = hours.UntilEnd && rejected?.Contains(entry.UserId) == true ? HoursOutcome.NoCheckOut : hours.Outcome;
            counted += outcome == HoursOutcome.Counts ? 1 : 0;
            minutes += outcome == HoursOutcome.Counts ? hours.Minutes : 0;
            tooShort += outcome == HoursOutcome.TooShort ? 1 : 0;
            noCheckOut += outcome == HoursOutcome.NoCheckOut ? 1 : 0;
        }

        return new AttendanceTally(counted, minutes, tooShort, noCheckOut);
    }
}

/// <summary>What a confirmation credited: records credited now, and of those how many got hours.</summary>
public sealed record AttendanceConfirmation(int Credited, int WithHours, int ConfirmedWithoutCheckOut, int Rejected);

/// <summary>
/// The organizer's view of who came, and the once-only crediting of service hours after the end — by the organizer's
/// confirmation or, failing that, by the sweep (<see cref="CreditAsync"/>). Every credit is a guarded update on
/// <c>CreditedAtUtc IS NULL</c>, so a confirmation and a sweep at once cannot both credit.
/// </summary>
public sealed class AttendanceService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    AuditTrail audit,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<AttendanceOptions> options,
    Volunteering.Ledger ledger)
{
    public async Task<LiveRoster> LiveRosterAsync(ClaimsPrincipal organizer, int activityId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await ManagedActivityAsync(db, organizer, activityId, cancellationToken);
        var signedUp = await (
            from r in db.Registrations.AsNoTracking()
            join u in db.Users.AsNoTracking() on r.UserId equals u.Id
            where r.ActivityId == activityId && r.Status == RegistrationStatus.Confirmed
            orderby r.SignedUpAtUtc, r.Id
            select new { u.Id, u.RealName, u.PhoneNumber }).ToListAsync(cancellationToken);
        var records = await db.Attendance.AsNoTracking().Where(a => a.ActivityId == activityId).ToListAsync(cancellationToken);
        var byUser = records.ToDictionary(r => r.UserId);
        var signedUpIds = signedUp.Select(s => s.Id).ToHashSet();
        var walkInIds = records.Where(r => !signedUpIds.Contains(r.UserId)).Select(r => r.UserId).ToList();
        var walkIns = await db.Users.AsNoTracking().Where(u => walkInIds.Contains(u.Id))
            .Select(u => new { u.Id, u.RealName, u.PhoneNumber }).ToListAsync(cancellationToken);
        var fullPhone = organizer.IsAdmin();
        var minimumShare = options.Value.MinimumShare;

        AttendanceEntry Entry(int userId, string name, string? phone, bool walkIn)
        {
            var record = byUser.GetValueOrDefault(userId);
            var status = record is null ? AttendanceStatus.Missing
                : record.CheckedOutAtUtc is null ? AttendanceStatus.CheckedIn : AttendanceStatus.CheckedOut;
            var digits = phone ?? "";
            return new AttendanceEntry(
                userId,
                name,
                fullPhone ? digits : MainlandMobile.Mask(digits),
                digits.Length >= 4 ? digits[^4..] : digits,
                walkIn,
                status,
                record?.CheckedInAtUtc,
                record?.CheckInMethod,
                record?.CheckedOutAtUtc,
                record?.CheckOutMethod,
                record?.CreditedMinutes,
                record is null ? null : HoursOf(record, activity, minimumShare));
        }

        var entries = signedUp.Select(s => Entry(s.Id, s.RealName, s.PhoneNumber, walkIn: false))
            .Concat(walkIns.OrderBy(w => byUser[w.Id].CheckedInAtUtc).Select(w => Entry(w.Id, w.RealName, w.PhoneNumber, walkIn: true)))
            .ToList();
        var confirmed = records.Count > 0 && records.All(r => r.CreditedAtUtc is not null);
        return new LiveRoster(activityId, activity.StartUtc, activity.EndUtc, confirmed, options.Value.MinimumSharePercent, entries);
    }

    /// <summary>The share and its outcome, measured as the confirmation measures it (<see cref="CreditAsync"/>).</summary>
    private static AttendanceHours HoursOf(AttendanceRecord record, Activity activity, double minimumShare)
    {
        var credited = record.CreditedAtUtc is not null;
        if (credited && record.CheckedOutAtUtc is null)
        {
            return new AttendanceHours(0, 0, HoursOutcome.NoCheckOut, 0, Credited: true, UntilEnd: false);
        }

        var untilEnd = !credited && record.CheckedOutAtUtc is null;
        var presence = ServiceHours.Measure(activity.StartUtc, activity.EndUtc, record.CheckedInAtUtc, record.CheckedOutAtUtc ?? activity.EndUtc, minimumShare);
        // Once credited, the record's own minutes are the truth (the rule may have been configured differently then).
        var minutes = credited ? record.CreditedMinutes ?? 0 : presence.CreditedMinutes;
        var outcome = minutes > 0 ? HoursOutcome.Counts : HoursOutcome.TooShort;
        return new AttendanceHours(presence.Minutes, presence.SharePercent, outcome, minutes, credited, untilEnd);
    }

    /// <summary>
    /// The organizer confirms the attendance after the end: everyone is credited once, people who never checked out
    /// as if they had at the scheduled end — except those rejected, who get nothing. A second confirmation changes nothing.
    /// </summary>
    public async Task<AttendanceConfirmation> ConfirmAsync(
        ClaimsPrincipal organizer,
        int activityId,
        IReadOnlyCollection<int> rejectedUserIds,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await ManagedActivityAsync(db, organizer, activityId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (activity.Status is ActivityStatus.Draft or ActivityStatus.Cancelled || now < activity.EndUtc)
        {
            throw new DomainException(ErrorCodes.Attendance.NotEnded);
        }

        var rejected = rejectedUserIds.ToHashSet();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await CreditAsync(db, ledger, activity, now, options.Value.MinimumShare, userId => !rejected.Contains(userId), cancellationToken);
        if (result.Credited > 0)
        {
            audit.Record(db, organizer, "attendance.confirmed", "Activity", activity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                activity.OrgNodeId, null,
                new { Activity = activity.Title, result.Credited, result.WithHours, result.ConfirmedWithoutCheckOut, result.Rejected, RejectedUserIds = rejected.Order().ToArray() });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Credits every not-yet-credited attendance of the activity. Those who never checked out are given the scheduled
    /// end as their check-out when <paramref name="confirmWithoutCheckOut"/> says so, otherwise they get 0.
    /// </summary>
    internal static async Task<AttendanceConfirmation> CreditAsync(
        AppDbContext db,
        Volunteering.Ledger ledger,
        Activity activity,
        DateTime now,
        double minimumShare,
        Func<int, bool> confirmWithoutCheckOut,
        CancellationToken cancellationToken)
    {
        var records = await db.Attendance.AsNoTracking()
            .Where(a => a.ActivityId == activity.Id && a.CreditedAtUtc == null).ToListAsync(cancellationToken);
        int credited = 0, withHours = 0, confirmedOpen = 0, rejected = 0;
        foreach (var read in records)
        {
            // The credit is guarded by the check-out it was computed from (decision 0014, rule 14): a check-out
            // recorded after the read makes it change nothing, and the record is read again and credited from that.
            for (var record = read; record is not null;)
            {
                var readOut = record.CheckedOutAtUtc;
                var open = readOut is null;
                var confirm = open && confirmWithoutCheckOut(record.UserId);
                if (confirm)
                {
                    record.CheckOut(CheckInMethod.Manual, activity.EndUtc);
                }

                if (!record.Credit(activity.StartUtc, activity.EndUtc, minimumShare, now))
                {
                    break;
                }

                var outAt = record.CheckedOutAtUtc;
                var outMethod = record.CheckOutMethod;
                var minutes = record.CreditedMinutes;
                var changed = await db.Attendance.Where(a => a.Id == record.Id && a.CreditedAtUtc == null && a.CheckedOutAtUtc == readOut)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(a => a.CreditedMinutes, minutes)
                            .SetProperty(a => a.CreditedAtUtc, now)
                            .SetProperty(a => a.CheckedOutAtUtc, outAt)
                            .SetProperty(a => a.CheckOutMethod, outMethod),
                        cancellationToken);
                if (changed == 0)
                {
                    // Credited meanwhile by a concurrent confirmation or sweep (then null: done), or checked out meanwhile.
                    var id = record.Id;
                    record = await db.Attendance.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.CreditedAtUtc == null, cancellationToken);
                    continue;
                }

                // Hours and points reach the ledgers in the same transaction, once per attendance.
                await ledger.CreditAttendanceAsync(db, record.Id, record.UserId, activity.Id, minutes ?? 0, activity.PointsPerHour, now, cancellationToken);
                credited++;
                withHours += minutes > 0 ? 1 : 0;
                confirmedOpen += confirm ? 1 : 0;
                rejected += open && !confirm ? 1 : 0;
                break;
            }
        }

        return new AttendanceConfirmation(credited, withHours, confirmedOpen, rejected);
    }

    private async Task<Activity> ManagedActivityAsync(AppDbContext db, ClaimsPrincipal organizer, int activityId, CancellationToken cancellationToken)
    {
        var activity = await db.Activities.AsNoTracking().FirstOrDefaultAsync(a => a.Id == activityId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Activity.NotFound);
        if (!(await access.GetScopeAsync(organizer, cancellationToken)).Contains(activity.OrgPath))
        {
            throw new AccessDeniedException();
        }

        return activity;
    }
}
