using System.Globalization;
using System.Security.Cryptography;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The booking engine's periodic work, each step idempotent so a second run or a second instance changes nothing more:
/// requests not reviewed in time expire and free their slot; approved bookings get one reminder; lotteries whose entry
/// deadline has passed are drawn. The domain rows hold the truth (<c>ReviewDueUtc</c>, <c>ReminderSentAtUtc</c>,
/// <c>DrawnAtUtc</c>).
/// </summary>
public sealed class BookingSweeps(
    IDbContextFactory<AppDbContext> dbFactory,
    NotificationService notifications,
    AuditTrail audit,
    DisplayTime time,
    IOptions<BookingOptions> options,
    ILogger<BookingSweeps> logger)
{
    public const int BatchSize = 200;

    public async Task RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        var expired = await ExpireOverdueAsync(nowUtc, cancellationToken);
        var reminded = await SendRemindersAsync(nowUtc, cancellationToken);
        var drawn = 0;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            foreach (var id in await db.LotteryDates.Where(l => l.DrawnAtUtc == null && l.DeadlineUtc <= nowUtc).Select(l => l.Id).ToListAsync(cancellationToken))
            {
                drawn += await DrawAsync(id, nowUtc, cancellationToken) is null ? 0 : 1;
            }
        }

        if (expired + reminded + drawn > 0)
        {
            logger.LogInformation("Booking sweep at {Now:O}: {Expired} expired, {Reminded} reminded, {Drawn} lotteries drawn", nowUtc, expired, reminded, drawn);
        }
    }

    /// <summary>Expires the requests whose review is overdue, freeing their slots; returns how many.</summary>
    public async Task<int> ExpireOverdueAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        var expired = 0;
        var seen = new HashSet<int>();
        while (true)
        {
            List<int> batch;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                batch = await db.Bookings.AsNoTracking()
                    .Where(b => b.Status == BookingStatus.Requested && b.ReviewDueUtc <= nowUtc)
                    .OrderBy(b => b.ReviewDueUtc).ThenBy(b => b.Id).Select(b => b.Id).Take(BatchSize).ToListAsync(cancellationToken);
            }

            var fresh = batch.Where(seen.Add).ToList();
            if (fresh.Count == 0)
            {
                return expired;
            }

            foreach (var id in fresh)
            {
                expired += await ExpireAsync(id, nowUtc, cancellationToken) ? 1 : 0;
            }
        }
    }

    /// <summary>Sends each approved booking starting within the reminder window its one reminder; returns how many.</summary>
    public async Task<int> SendRemindersAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        var horizon = nowUtc.AddHours(options.Value.ReminderHoursBefore);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await (
            from b in db.Bookings.AsNoTracking()
            join r in db.WeddingResources on b.ResourceId equals r.Id
            where b.Status == BookingStatus.Approved && b.ReminderSentAtUtc == null && b.SlotStartUtc > nowUtc && b.SlotStartUtc <= horizon
            orderby b.SlotStartUtc
            select new { b.Id, b.ApplicantUserId, b.SlotStartUtc, r.Name, r.Location })
            .Take(BatchSize * 5).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var b in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The guarded update claims the reminder: a concurrent sweep finds it sent and adds nothing.
            if (await db.Bookings.Where(x => x.Id == b.Id && x.ReminderSentAtUtc == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReminderSentAtUtc, nowUtc), cancellationToken) == 0)
            {
                continue;
            }

            notifications.Add(db, b.ApplicantUserId, "Booking.ReminderNotice", [b.Name, NoticeTime(b.SlotStartUtc), b.Location], "/bookings");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            sent++;
        }

        return sent;
    }

    /// <summary>
    /// Draws a lottery whose deadline has passed: for each hall slot of that day, the entry with the smallest ticket
    /// (<see cref="LotteryDraw"/>) that can still hold the slot wins and goes on as a normal request; the others lose and
    /// are told to pick another date. The seed and every slot's entries and winner go to the audit log, so the draw can
    /// be re-run by anyone. Returns the seed, or null when it was drawn already.
    /// </summary>
    public async Task<long?> DrawAsync(int lotteryId, DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var lottery = await db.LotteryDates.FirstOrDefaultAsync(l => l.Id == lotteryId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Lottery.NotFound);
        if (lottery.IsDrawn)
        {
            return null;
        }

        var seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        lottery.MarkDrawn(seed, nowUtc);
        // The guarded write first: it holds the write lock, and a concurrent draw finds the lottery drawn.
        if (await db.LotteryDates.Where(l => l.Id == lotteryId && l.DrawnAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.DrawnAtUtc, nowUtc).SetProperty(l => l.Seed, seed), cancellationToken) == 0)
        {
            return null;
        }

        db.Entry(lottery).State = EntityState.Unchanged;
        var dayStart = time.ToUtc(lottery.Date.ToDateTime(TimeOnly.MinValue));
        var dayEnd = time.ToUtc(lottery.Date.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var entries = await db.Bookings
            .Where(b => b.Status == BookingStatus.InLottery && b.SlotStartUtc >= dayStart && b.SlotStartUtc < dayEnd)
            .ToListAsync(cancellationToken);
        var resourceIds = entries.Select(e => e.ResourceId).Distinct().ToList();
        var resources = await db.WeddingResources.AsNoTracking().Where(r => resourceIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var outcome = new List<object>();
        foreach (var slot in entries.GroupBy(e => (e.ResourceId, e.SlotStartUtc)).OrderBy(g => g.Key.ResourceId).ThenBy(g => g.Key.SlotStartUtc))
        {
            var resource = resources[slot.Key.ResourceId];
            // A slot booked before its date became a lottery date stays with that booking: every entry loses.
            var units = resource.ClaimUnits(slot.Key.SlotStartUtc, slot.First().SlotEndUtc);
            var (first, last) = (units[0], units[^1]);
            var free = !await db.SlotClaims.AnyAsync(
                c => c.ResourceId == resource.Id && c.UnitStartUtc >= first && c.UnitStartUtc <= last, cancellationToken);
            var winner = free ? slot.MinBy(e => (LotteryDraw.Ticket(seed, e.Id), e.Id)) : null;
            foreach (var entry in slot)
            {
                if (entry == winner)
                {
                    entry.WinLottery(resource.Rules, nowUtc);
                    await db.SaveChangesAsync(cancellationToken);
                    await BookingEngine.HoldAsync(db, resource, entry, cancellationToken);
                    notifications.Add(db, entry.ApplicantUserId, "Lottery.WonNotice", [resource.Name, NoticeTime(entry.SlotStartUtc)], "/bookings");
                }
                else
                {
                    entry.LoseLottery(nowUtc);
                    notifications.Add(db, entry.ApplicantUserId, "Lottery.LostNotice", [resource.Name, NoticeTime(entry.SlotStartUtc)], $"/weddings/services/{resource.Id}");
                }

                db.BookingEvents.Add(BookingEvent.Of(entry, null, nowUtc));
            }

            outcome.Add(new
            {
                Resource = resource.Id,
                Slot = slot.Key.SlotStartUtc,
                Entries = slot.Select(e => e.Id).Order().ToArray(),
                Winner = winner?.Id,
            });
        }

        audit.Record(db, null, "lottery.drawn", "LotteryDate", lotteryId.ToString(CultureInfo.InvariantCulture), null,
            null, new { Date = DateText.Iso(lottery.Date), Seed = seed, Rule = "smallest SHA-256(seed ‖ entry id) wins", Slots = outcome });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return seed;
    }

    /// <summary>A slot's start in a notification: stored as a time, shown in the reader's language.</summary>
    internal static string NoticeTime(DateTime utc) => NotificationText.Time(utc);

    private async Task<bool> ExpireAsync(int bookingId, DateTime nowUtc, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == bookingId, cancellationToken);
        if (booking is null || !booking.IsReviewOverdue(nowUtc))
        {
            return false;
        }

        booking.Expire(nowUtc);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false; // reviewed or cancelled at this very moment
        }

        await BookingEngine.ReleaseAsync(db, booking, cancellationToken);
        db.BookingEvents.Add(BookingEvent.Of(booking, null, nowUtc));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>Quartz adapter for <see cref="BookingSweeps"/>. Never two at once in this process.</summary>
[DisallowConcurrentExecution]
internal sealed class BookingSweepJob(BookingSweeps sweeps, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("booking-sweep", "dezhihub");

    public static readonly TriggerKey TriggerKey = new("booking-sweep", "dezhihub");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sweeps.RunAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
}
