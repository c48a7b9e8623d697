using System.Security.Claims;
using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;


namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The booking engine every way of booking shares (the booking page, the wedding plan, the lottery draw, the sweeps): a
/// booking is written in one transaction with what protects its slot — claim rows with a unique (resource, half-hour)
/// key for exclusive resources, a guarded count for capacity ones; the household limit is checked in the same
/// transaction after the first write, which holds the write lock. It works inside the caller's context and transaction.
/// </summary>
public sealed class BookingEngine(DisplayTime time, IStringLocalizer<Strings> strings, TimeProvider clock)
{
    public const string Entity = "Booking";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The refusal of a household at its limit, naming the bookings in the way ("您已有 1 个有效预约（红星礼堂
    /// 2026年12月20日 10:00），需先取消才能再预约"), in the current reader's language.
    /// </summary>
    public DomainException HouseholdLimitRefusal(IReadOnlyList<HeldBooking> held) =>
        new(ErrorCodes.Booking.HouseholdLimit, held.Count, string.Join(strings["List.Separator"], held.Select(b => $"{b.ResourceName} {time.FormatDateTime(b.StartUtc)}")));

    // A household holds a handful of active bookings of a kind at most: one small query.
    internal static async Task<IReadOnlyList<HeldBooking>> HeldOfKindAsync(AppDbContext db, int userId, WeddingServiceKind kind, int? exceptBookingId, CancellationToken cancellationToken) =>
        await (
            from b in db.Bookings.AsNoTracking()
            join r in db.WeddingResources on b.ResourceId equals r.Id
            where b.ApplicantUserId == userId && b.Kind == kind && (exceptBookingId == null || b.Id != exceptBookingId)
                && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved || b.Status == BookingStatus.InLottery)
            orderby b.SlotStartUtc, b.Id
            select new HeldBooking(b.Id, b.ResourceId, r.Name, b.SlotStartUtc, b.Status))
            .ToListAsync(cancellationToken);

    internal static Task<BookingStatus?> HeldStatusAsync(AppDbContext db, int userId, int resourceId, DateTime slotStartUtc, int? exceptBookingId, CancellationToken cancellationToken) =>
        db.Bookings.AsNoTracking()
            .Where(b => b.ApplicantUserId == userId && b.ResourceId == resourceId && b.SlotStartUtc == slotStartUtc
                && (exceptBookingId == null || b.Id != exceptBookingId)
                && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved || b.Status == BookingStatus.InLottery))
            .Select(b => (BookingStatus?)b.Status)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Writes a booking and what protects its slot, inside the caller's transaction: the booking row first (the write
    /// lock), then the household limit, then the claim rows or the guarded count. Throws a refusal; the caller rolls back.
    /// A request whose <paramref name="requestId"/> was booked already is refused as ErrorCodes.Request.Repeated (the
    /// caller answers with the first booking).
    /// </summary>
    internal async Task<Booking> PlaceAsync(
        AppDbContext db, ClaimsPrincipal user, WeddingResource resource, (DateTime StartUtc, DateTime EndUtc) slot, string? partnerName, string? note,
        Guid? planId, bool lottery, CancellationToken cancellationToken, Guid? requestId = null)
    {
        var userId = user.RequiredUserId();
        var now = Now;
        // The person lock first (decision 0014): the household's other bookings in flight commit before the counts
        // below, which then see them — on PostgreSQL as on SQLite.
        await LockSql.PersonAsync(db, userId, cancellationToken);
        if (requestId is { } id && await db.Bookings.AnyAsync(b => b.ApplicantUserId == userId && b.RequestId == id, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Request.Repeated);
        }

        if (lottery && !await LockSql.CollectingLotteryAsync(db, DateOnly.FromDateTime(time.ToLocal(slot.StartUtc)), now, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Booking.SlotRulesChanged);
        }

        var booking = Booking.Request(resource, userId, slot.StartUtc, slot.EndUtc, partnerName, note, now, planId, lottery, requestId);
        db.Bookings.Add(booking);
        await db.SaveChangesAsync(cancellationToken);

        // Asked again inside the transaction: a lottery date added, closed or drawn since the caller looked.
        if (await LotteryStateAsync(db, resource, slot, cancellationToken) != lottery)
        {
            throw new DomainException(ErrorCodes.Booking.SlotRulesChanged);
        }

        var active = await db.Bookings.CountAsync(
            b => b.ApplicantUserId == userId && b.Kind == resource.Kind
                && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved || b.Status == BookingStatus.InLottery),
            cancellationToken);
        if (active > resource.Rules.HouseholdLimit)
        {
            throw HouseholdLimitRefusal(await HeldOfKindAsync(db, userId, resource.Kind, booking.Id, cancellationToken));
        }

        // Claim rows refuse a second hold of an exclusive slot and the check below a second lottery entry; a capacity
        // slot would give the same couple a second place (a double submit), so that is refused here.
        if (!resource.IsExclusive && !lottery
            && await HeldStatusAsync(db, userId, resource.Id, slot.StartUtc, booking.Id, cancellationToken) is not null)
        {
            throw new DomainException(ErrorCodes.MyBookings.AlreadyBooked);
        }

        if (lottery)
        {
            if (await db.Bookings.AnyAsync(
                b => b.Id != booking.Id && b.ApplicantUserId == userId && b.ResourceId == resource.Id && b.SlotStartUtc == slot.StartUtc
                    && b.Status == BookingStatus.InLottery,
                cancellationToken))
            {
                throw new DomainException(ErrorCodes.Lottery.AlreadyEntered);
            }
        }
        else
        {
            await HoldAsync(db, resource, booking, cancellationToken);
        }

        db.BookingEvents.Add(BookingEvent.Of(booking, userId, now));
        return booking;
    }

    /// <summary>Takes the slot for a booking: all its claim units, or one counted place; refuses when taken or full.</summary>
    internal static async Task HoldAsync(AppDbContext db, WeddingResource resource, Booking booking, CancellationToken cancellationToken)
    {
        if (resource.IsExclusive)
        {
            var units = resource.ClaimUnits(booking.SlotStartUtc, booking.SlotEndUtc);
            if (await BookingSql.ClaimAsync(db, resource.Id, booking.Id, units, cancellationToken) != units.Count)
            {
                throw new DomainException(ErrorCodes.Booking.SlotTaken);
            }
        }
        else if (await BookingSql.TakePlaceAsync(db, resource.Id, booking.SlotStartUtc, resource.Capacity, cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.Booking.SlotFull);
        }
    }

    /// <summary>Gives a booking's slot back: deletes its claim rows, or gives its counted place back.</summary>
    internal static async Task ReleaseAsync(AppDbContext db, Booking booking, CancellationToken cancellationToken)
    {
        if (booking.Kind.IsExclusive())
        {
            await db.SlotClaims.Where(c => c.BookingId == booking.Id).ExecuteDeleteAsync(cancellationToken);
        }
        else
        {
            await db.SlotCounts.Where(c => c.ResourceId == booking.ResourceId && c.SlotStartUtc == booking.SlotStartUtc && c.Taken > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Taken, c => c.Taken - 1), cancellationToken);
        }
    }

    /// <summary>The slot of a resource that starts at <paramref name="slotStartUtc"/>, checked against the rules.</summary>
    internal (DateTime StartUtc, DateTime EndUtc) ResolveSlot(WeddingResource resource, DateTime slotStartUtc)
    {
        var local = time.ToLocal(slotStartUtc);
        var slot = resource.SlotAt(local) ?? throw new DomainException(ErrorCodes.Booking.NoSuchSlot);
        if (resource.Rules.RefusalFor(slot.Start, time.ToLocal(Now)) is { } refusal)
        {
            throw new DomainException(refusal, resource.Rules.MinNoticeDays, resource.Rules.MaxAdvanceDays);
        }

        return (time.ToUtc(slot.Start), time.ToUtc(slot.End));
    }

    /// <summary>True when a hall slot falls on a lottery date still collecting; refuses while a closed lottery awaits its draw.</summary>
    internal async Task<bool> LotteryStateAsync(AppDbContext db, WeddingResource resource, (DateTime StartUtc, DateTime EndUtc) slot, CancellationToken cancellationToken)
    {
        if (resource.Kind != WeddingServiceKind.CeremonyHall)
        {
            return false;
        }

        var date = DateOnly.FromDateTime(time.ToLocal(slot.StartUtc));
        var lottery = await db.LotteryDates.AsNoTracking().FirstOrDefaultAsync(l => l.Date == date, cancellationToken);
        if (lottery is null || lottery.IsDrawn)
        {
            return false;
        }

        return lottery.IsCollecting(Now) ? true : throw new DomainException(ErrorCodes.Lottery.DrawPending);
    }

    internal static async Task<WeddingResource> LiveResourceAsync(AppDbContext db, int resourceId, CancellationToken cancellationToken) =>
        await db.WeddingResources.AsNoTracking().FirstOrDefaultAsync(r => r.Id == resourceId && !r.IsRetired, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Wedding.ServiceNotFound);

    /// <summary>Saves a booking's state change with its history step, freeing its slot when it no longer holds one.</summary>
    internal async Task ChangeAsync(AppDbContext db, Booking booking, bool held, int? actor, string? reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException(ErrorCodes.Booking.Changed);
        }

        if (held && !booking.HoldsSlot)
        {
            await ReleaseAsync(db, booking, cancellationToken);
        }

        db.BookingEvents.Add(BookingEvent.Of(booking, actor, Now, reason));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
