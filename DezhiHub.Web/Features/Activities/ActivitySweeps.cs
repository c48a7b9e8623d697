using System.Globalization;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Activities;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int Completed, int SignUpsClosed, int RemindersSent, int AttendanceConfirmed = 0)
{
    public bool DidWork => Completed + SignUpsClosed + RemindersSent + AttendanceConfirmed > 0;
}

/// <summary>
/// The periodic work on activities, idempotent so that it can run every minute, twice at once, or after a long
/// restart gap: the tables hold the truth (an <see cref="ActivityReminder"/> row per reminder sent, the activity's
/// status and <see cref="Activity.SignUpClosedAtUtc"/>), and every write is guarded in SQL, so a second sweep finds
/// nothing left to do. Work is read in batches of <see cref="BatchSize"/>, earliest first; what a batch
/// handles drops out of the next query, so a backlog is never loaded at once, and a run stops when a batch brings
/// nothing new.
/// </summary>
public sealed class ActivitySweeps(
    IDbContextFactory<AppDbContext> dbFactory,
    NotificationService notifications,
    TimeProvider clock,
    ILogger<ActivitySweeps> logger,
    AuditTrail audit,
    IOptions<AttendanceOptions> attendanceOptions,
    Volunteering.Ledger ledger)
{
    public const int BatchSize = 200;

    /// <summary>Completes ended activities, closes sign-up at the deadline, and sends the reminders that are due.</summary>
    public async Task<SweepResult> RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        var started = clock.GetTimestamp();
        // Completion first: an activity that ended during a long gap is completed, not told "sign-up closed" late.
        var completed = await CompleteEndedAsync(nowUtc, cancellationToken);
        var closed = await CloseSignUpsAsync(nowUtc, cancellationToken);
        var reminders = await SendRemindersAsync(ReminderKind.HourBefore, nowUtc, cancellationToken)
            + await SendRemindersAsync(ReminderKind.DayBefore, nowUtc, cancellationToken);
        var confirmed = await AutoConfirmAttendanceAsync(nowUtc, cancellationToken);
        var result = new SweepResult(completed, closed, reminders, confirmed);
        logger.Log(
            result.DidWork ? LogLevel.Information : LogLevel.Debug,
            "Activity sweep at {Now:O}: {Completed} completed, {Closed} sign-ups closed, {Reminders} reminders sent, {Confirmed} attendances auto-confirmed in {Elapsed} ms",
            nowUtc, completed, closed, reminders, confirmed, (int)clock.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    private async Task<int> CompleteEndedAsync(DateTime now, CancellationToken cancellationToken)
    {
        var done = 0;
        var seen = new HashSet<int>();
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // StartUtc <= now is implied by the end, and lets the (StartUtc, Status) index narrow the search.
            var batch = await db.Activities.AsNoTracking()
                .Where(a => a.Status == ActivityStatus.Published && a.StartUtc <= now && a.EndUtc <= now)
                .OrderBy(a => a.StartUtc).ThenBy(a => a.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (!AnyNew(batch.Select(a => a.Id), seen))
            {
                return done;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var activity in batch)
            {
                if (!activity.CompleteIfEnded(now))
                {
                    continue;
                }

                // Guarded: an activity cancelled since it was read stays cancelled.
                done += await db.Activities.Where(a => a.Id == activity.Id && a.Status == ActivityStatus.Published)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(a => a.Status, activity.Status)
                            .SetProperty(a => a.CompletedAtUtc, activity.CompletedAtUtc)
                            .SetProperty(a => a.UpdatedAtUtc, activity.UpdatedAtUtc),
                        cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Credits the attendance of activities that ended more than <see cref="AttendanceOptions.AutoConfirmAfterHours"/>
    /// ago and that the organizer has not confirmed: only people who checked out get hours (the rest 0), once —
    /// what a confirmation credited already is skipped by the guarded update.
    /// </summary>
    private async Task<int> AutoConfirmAttendanceAsync(DateTime now, CancellationToken cancellationToken)
    {
        var endedBy = now - TimeSpan.FromHours(attendanceOptions.Value.AutoConfirmAfterHours);
        var done = 0;
        var seen = new HashSet<int>();
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var batch = await db.Activities.AsNoTracking()
                .Where(a => (a.Status == ActivityStatus.Published || a.Status == ActivityStatus.Completed) && a.EndUtc <= endedBy
                    && db.Attendance.Any(r => r.ActivityId == a.Id && r.CreditedAtUtc == null))
                .OrderBy(a => a.EndUtc).ThenBy(a => a.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (!AnyNew(batch.Select(a => a.Id), seen))
            {
                return done;
            }

            foreach (var activity in batch)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var result = await AttendanceService.CreditAsync(db, ledger, activity, now, attendanceOptions.Value.MinimumShare, _ => false, cancellationToken);
                if (result.Credited > 0)
                {
                    audit.Record(db, null, "attendance.auto-confirmed", "Activity", activity.Id.ToString(CultureInfo.InvariantCulture), activity.OrgNodeId, null,
                        new { Activity = activity.Title, result.Credited, result.WithHours, NeverCheckedOut = result.Rejected });
                    await db.SaveChangesAsync(cancellationToken);
                    done++;
                }

                await transaction.CommitAsync(cancellationToken);
            }
        }
    }

    private async Task<int> CloseSignUpsAsync(DateTime now, CancellationToken cancellationToken)
    {
        var done = 0;
        var seen = new HashSet<int>();
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var batch = await db.Activities.AsNoTracking()
                .Where(a => a.Status == ActivityStatus.Published && a.SignUpRequired && a.SignUpClosedAtUtc == null
                    && (a.SignUpDeadlineUtc ?? a.StartUtc) <= now)
                .OrderBy(a => a.StartUtc).ThenBy(a => a.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (!AnyNew(batch.Select(a => a.Id), seen))
            {
                return done;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var activity in batch)
            {
                if (!activity.CloseSignUpIfDue(now))
                {
                    continue;
                }

                // Whoever sets the column first notifies; a concurrent sweep updates no row and stays silent.
                var claimed = await db.Activities
                    .Where(a => a.Id == activity.Id && a.Status == ActivityStatus.Published && a.SignUpClosedAtUtc == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.SignUpClosedAtUtc, activity.SignUpClosedAtUtc), cancellationToken);
                if (claimed == 0)
                {
                    continue;
                }

                var confirmed = await db.Registrations.CountAsync(
                    r => r.ActivityId == activity.Id && r.Status == RegistrationStatus.Confirmed, cancellationToken);
                notifications.Add(db, activity.CreatedByUserId, "Notify.SignUpClosed",
                    [activity.Title, confirmed.ToString(CultureInfo.InvariantCulture)], Link(activity.Id));
                done++;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Reminds every confirmed registrant of a published activity that has not started and starts within the
    /// kind's lead — also when the moment passed during downtime. Inside the last hour only the hour reminder is
    /// due: a late day-before reminder would arrive together with it and say the same.
    /// </summary>
    private async Task<int> SendRemindersAsync(ReminderKind kind, DateTime now, CancellationToken cancellationToken)
    {
        var startsAfter = kind == ReminderKind.DayBefore ? now + ActivityReminder.Lead(ReminderKind.HourBefore) : now;
        var startsBy = now + ActivityReminder.Lead(kind);
        var messageKey = kind == ReminderKind.DayBefore ? "Notify.ActivityReminder24" : "Notify.ActivityReminder1";
        var sent = 0;
        var seen = new HashSet<int>();
        while (true)
        {
            List<DueReminder> batch;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                // Driven by the activities in the window (index on StartUtc), earliest first; what is sent drops out
                // of the next batch, so no paging key is needed.
                batch = await (
                    from a in db.Activities
                    join r in db.Registrations on a.Id equals r.ActivityId
                    where a.Status == ActivityStatus.Published
                        && a.StartUtc > startsAfter && a.StartUtc <= startsBy
                        && r.Status == RegistrationStatus.Confirmed
                        && !db.ActivityReminders.Any(m => m.ActivityId == r.ActivityId && m.UserId == r.UserId && m.Kind == kind)
                    orderby a.StartUtc, r.Id
                    select new DueReminder(r.Id, r.UserId, a.Id, a.Title, a.Place, a.StartUtc))
                    .AsNoTracking().Take(BatchSize).ToListAsync(cancellationToken);
            }

            // Each batch is sent or found sent by another sweep, so it does not come back; the check only makes
            // sure an unexpected state cannot turn into an endless loop.
            if (!AnyNew(batch.Select(d => d.RegistrationId), seen))
            {
                return sent;
            }

            sent += await SendAsync(batch, kind, messageKey, now, cancellationToken);
        }
    }

    /// <summary>
    /// Each reminder row and its notification commit together, one transaction per batch. A reminder another sweep sent
    /// meanwhile inserts no row (ON CONFLICT DO NOTHING on the unique index) and is skipped: an expected outcome, so
    /// it raises no database error.
    /// </summary>
    private async Task<int> SendAsync(IReadOnlyList<DueReminder> batch, ReminderKind kind, string messageKey, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sent = 0;
        foreach (var due in batch)
        {
            if (await ReminderSql.TryRecordAsync(db, due.ActivityId, due.UserId, kind, now, cancellationToken) == 0)
            {
                continue;
            }

            notifications.Add(db, due.UserId, messageKey, [due.Title, NotificationText.Time(due.StartUtc), due.Place], Link(due.ActivityId));
            sent++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sent;
    }

    /// <summary>Records the ids; true if any was not seen before in this run.</summary>
    private static bool AnyNew(IEnumerable<int> ids, HashSet<int> seen)
    {
        var any = false;
        foreach (var id in ids)
        {
            any |= seen.Add(id);
        }

        return any;
    }

    private static string Link(int activityId) => $"/activities/{activityId.ToString(CultureInfo.InvariantCulture)}";

    private sealed record DueReminder(int RegistrationId, int UserId, int ActivityId, string Title, string Place, DateTime StartUtc);
}
