using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The peak dates (e.g. 5月20日) on which ceremony halls go by lottery, kept by Admins. A date is added with its entry
/// deadline in local time; it can be taken back while it has not been drawn and nobody has entered. The draw itself
/// belongs to the booking engine.
/// </summary>
public sealed class LotteryDateCatalog(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, DisplayTime time, TimeProvider clock)
{
    public const string Entity = "LotteryDate";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Every lottery date, the coming ones first (soonest first), then the past ones (latest first).</summary>
    public async Task<IReadOnlyList<LotteryDateRow>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dates = await db.LotteryDates.AsNoTracking().ToListAsync(cancellationToken);
        var rows = new List<LotteryDateRow>(dates.Count);
        foreach (var lottery in dates)
        {
            rows.Add(new LotteryDateRow(
                lottery.Id, lottery.Date, lottery.DeadlineUtc, lottery.DrawnAtUtc, lottery.Seed,
                await EntriesAsync(db, lottery.Date, cancellationToken), lottery.IsCollecting(now)));
        }

        var today = DateOnly.FromDateTime(time.ToLocal(now));
        return [.. rows.Where(r => r.Date >= today).OrderBy(r => r.Date), .. rows.Where(r => r.Date < today).OrderByDescending(r => r.Date)];
    }

    /// <summary>
    /// Marks <paramref name="date"/> as a lottery date whose entries close at <paramref name="deadlineLocal"/> (deployment
    /// zone). The deadline must be ahead and no later than the day's start (ErrorCodes.Lottery.DeadlineInvalid); a date can be
    /// marked once (ErrorCodes.LotteryAdmin.DateExists). Returns the id.
    /// </summary>
    public async Task<int> AddAsync(ClaimsPrincipal user, DateOnly date, DateTime deadlineLocal, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        var now = Now;
        var lottery = LotteryDate.Create(date, time.ToUtc(deadlineLocal), time.ToUtc(date.ToDateTime(TimeOnly.MinValue)), now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Asked under the date's lock (decision 0014, rule 35): another Admin marking the same date at the same moment is
        // answered here, not by a unique-index error.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockSql.NameAsync(db, "lottery-date:" + Text(date), cancellationToken);
        if (await db.LotteryDates.AnyAsync(l => l.Date == date, cancellationToken))
        {
            throw new DomainException(ErrorCodes.LotteryAdmin.DateExists, DateText.Date(date));
        }

        db.LotteryDates.Add(lottery);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Behind the lock, the unique index on the date still decides.
            throw new DomainException(ErrorCodes.LotteryAdmin.DateExists, DateText.Date(date));
        }

        var halls = await ActiveHallBookingsAsync(db, date, cancellationToken);
        audit.Record(db, user, "lottery.date-added", Entity, Id(lottery.Id), null, null,
            new { Date = Text(date), lottery.DeadlineUtc, HallBookingsAlready = halls });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return lottery.Id;
    }

    /// <summary>Takes a lottery date back, while it is not drawn (ErrorCodes.Lottery.AlreadyDrawn) and has no entries (ErrorCodes.LotteryAdmin.HasEntries).</summary>
    public async Task RemoveAsync(ClaimsPrincipal user, int lotteryDateId, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lottery = await db.LotteryDates.AsNoTracking().FirstOrDefaultAsync(l => l.Id == lotteryDateId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.LotteryAdmin.NotFound);
        if (lottery.IsDrawn)
        {
            throw new DomainException(ErrorCodes.Lottery.AlreadyDrawn);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The delete comes first and holds the write lock, so the entries counted after it are all there are.
        if (await db.LotteryDates.Where(l => l.Id == lotteryDateId && l.DrawnAtUtc == null).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.Lottery.AlreadyDrawn);
        }

        var entries = await EntriesAsync(db, lottery.Date, cancellationToken);
        if (entries > 0)
        {
            throw new DomainException(ErrorCodes.LotteryAdmin.HasEntries, entries);
        }

        audit.Record(db, user, "lottery.date-removed", Entity, Id(lotteryDateId), null,
            new { Date = Text(lottery.Date), lottery.DeadlineUtc }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The hall bookings of that local day still in the draw.</summary>
    private async Task<int> EntriesAsync(AppDbContext db, DateOnly date, CancellationToken cancellationToken)
    {
        var (from, to) = DayUtc(date);
        return await db.Bookings.CountAsync(
            b => b.Kind == WeddingServiceKind.CeremonyHall && b.Status == BookingStatus.InLottery && b.SlotStartUtc >= from && b.SlotStartUtc < to,
            cancellationToken);
    }

    /// <summary>Hall bookings already holding a slot on the day: the lottery only gives out what is still free.</summary>
    private async Task<int> ActiveHallBookingsAsync(AppDbContext db, DateOnly date, CancellationToken cancellationToken)
    {
        var (from, to) = DayUtc(date);
        return await db.Bookings.CountAsync(
            b => b.Kind == WeddingServiceKind.CeremonyHall && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved)
                && b.SlotStartUtc >= from && b.SlotStartUtc < to,
            cancellationToken);
    }

    private (DateTime From, DateTime To) DayUtc(DateOnly date) =>
        (time.ToUtc(date.ToDateTime(TimeOnly.MinValue)), time.ToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue)));

    private static void EnsureAdmin(ClaimsPrincipal user)
    {
        if (!user.IsAdmin())
        {
            throw new AccessDeniedException();
        }
    }

    private static string Text(DateOnly date) => DateText.Iso(date);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
