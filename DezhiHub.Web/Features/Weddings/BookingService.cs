using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Platform;
using DezhiHub.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The booking engine for every wedding service. A booking is written in one transaction with what protects its slot:
/// claim rows with a unique (resource, half-hour) key for exclusive resources, a guarded count for capacity ones; the
/// household limit is checked in the same transaction after the first write, which holds the write lock. Reviewers are
/// the resource's provider (a steward, a partner) and the Admins and Organizers of its org subtree.
/// </summary>
public sealed class BookingService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    AuditTrail audit,
    NotificationService notifications,
    BookingVouchers vouchers,
    DisplayTime time,
    IStringLocalizer<Strings> strings,
    TimeProvider clock)
{
    public const string Entity = "Booking";

    /// <summary>Longest stretch the availability view shows at once.</summary>
    public const int MaxDays = 62;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // ----- Residents: services, availability, booking, their bookings -----

    public async Task<IReadOnlyList<ServiceSummary>> ServicesAsync(WeddingServiceKind? kind = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resources = db.WeddingResources.AsNoTracking().Where(r => !r.IsRetired);
        if (kind is { } k)
        {
            resources = resources.Where(r => r.Kind == k);
        }

        var rows = await resources.OrderBy(r => r.Kind).ThenBy(r => r.OrgPath).ThenBy(r => r.Name).ToListAsync(cancellationToken);
        return await SummariesAsync(db, rows, cancellationToken);
    }

    /// <summary>
    /// Free and taken slots of a service for <paramref name="days"/> days from <paramref name="from"/> (local dates).
    /// A taken slot says only that it is taken.
    /// </summary>
    public async Task<Availability> AvailabilityAsync(int resourceId, DateOnly from, int days, CancellationToken cancellationToken = default)
    {
        days = Math.Clamp(days, 1, MaxDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await LiveResourceAsync(db, resourceId, cancellationToken);
        var summary = (await SummariesAsync(db, [resource], cancellationToken))[0];
        var now = Now;
        var nowLocal = time.ToLocal(now);
        var to = from.AddDays(days);
        var rangeStart = time.ToUtc(from.ToDateTime(TimeOnly.MinValue));
        var rangeEnd = time.ToUtc(to.ToDateTime(TimeOnly.MinValue)).AddMinutes(resource.BufferMinutes);

        HashSet<DateTime> claimed = [];
        Dictionary<DateTime, int> counts = [];
        if (resource.IsExclusive)
        {
            claimed = [.. await db.SlotClaims.AsNoTracking()
                .Where(c => c.ResourceId == resourceId && c.UnitStartUtc >= rangeStart.AddDays(-1) && c.UnitStartUtc < rangeEnd)
                .Select(c => c.UnitStartUtc).ToListAsync(cancellationToken)];
        }
        else
        {
            counts = await db.SlotCounts.AsNoTracking()
                .Where(c => c.ResourceId == resourceId && c.SlotStartUtc >= rangeStart && c.SlotStartUtc < rangeEnd)
                .ToDictionaryAsync(c => c.SlotStartUtc, c => c.Taken, cancellationToken);
        }

        var lotteries = resource.Kind == WeddingServiceKind.CeremonyHall
            ? await db.LotteryDates.AsNoTracking().Where(l => l.Date >= from && l.Date < to).ToDictionaryAsync(l => l.Date, cancellationToken)
            : [];

        var result = new List<DayAvailability>(days);
        for (var date = from; date < to; date = date.AddDays(1))
        {
            lotteries.TryGetValue(date, out var lottery);
            var slots = new List<SlotView>();
            foreach (var slot in resource.SlotsOn(date))
            {
                var startUtc = time.ToUtc(slot.Start);
                var endUtc = time.ToUtc(slot.End);
                var taken = resource.IsExclusive
                    ? (resource.ClaimUnits(startUtc, endUtc).Any(claimed.Contains) ? 1 : 0)
                    : counts.GetValueOrDefault(startUtc);
                slots.Add(View(resource, slot, startUtc, endUtc, taken, lottery, now, nowLocal));
            }

            result.Add(new DayAvailability(date, slots, lottery is { IsDrawn: false } ? lottery.DeadlineUtc : null));
        }

        return new Availability(summary, result);
    }

    /// <summary>
    /// What the booking page shows for one slot, in one context and at most four small queries (the service with its
    /// node and provider names, the slot's claims or count, the date's lottery for a hall, the resident's active
    /// bookings of the kind): the same states as <see cref="AvailabilityAsync"/>, read for this slot only. Slot is null
    /// when the service has no slot starting then.
    /// </summary>
    public async Task<SlotOffer> OfferAsync(ClaimsPrincipal user, int resourceId, DateTime slotStartUtc, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.WeddingResources.AsNoTracking()
            .Where(r => r.Id == resourceId && !r.IsRetired)
            .Select(r => new
            {
                Resource = r,
                Node = db.OrgNodes.Where(n => n.Id == r.OrgNodeId).Select(n => n.Name).FirstOrDefault(),
                Provider = db.Users.Where(u => u.Id == r.ProviderUserId).Select(u => u.RealName).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(ErrorCodes.Wedding.ServiceNotFound);
        var resource = row.Resource;
        var summary = Summary(resource, row.Provider, row.Node);
        var standing = await HeldOfKindAsync(db, me, resource.Kind, null, cancellationToken);
        var thisSlot = standing.FirstOrDefault(b => b.ResourceId == resourceId && b.StartUtc == slotStartUtc)?.Status;
        var mine = new MyStanding(thisSlot, standing);
        if (resource.SlotAt(time.ToLocal(slotStartUtc)) is not { } slot)
        {
            return new SlotOffer(summary, null, null, mine);
        }

        var now = Now;
        var startUtc = time.ToUtc(slot.Start);
        var endUtc = time.ToUtc(slot.End);
        int taken;
        if (resource.IsExclusive)
        {
            var units = resource.ClaimUnits(startUtc, endUtc);
            taken = await db.SlotClaims.AnyAsync(c => c.ResourceId == resourceId && units.Contains(c.UnitStartUtc), cancellationToken) ? 1 : 0;
        }
        else
        {
            taken = await db.SlotCounts.Where(c => c.ResourceId == resourceId && c.SlotStartUtc == startUtc).Select(c => c.Taken).FirstOrDefaultAsync(cancellationToken);
        }

        var date = DateOnly.FromDateTime(slot.Start);
        var lottery = resource.Kind == WeddingServiceKind.CeremonyHall
            ? await db.LotteryDates.AsNoTracking().FirstOrDefaultAsync(l => l.Date == date, cancellationToken)
            : null;
        return new SlotOffer(summary, View(resource, slot, startUtc, endUtc, taken, lottery, now, time.ToLocal(now)),
            lottery is { IsDrawn: false } ? lottery.DeadlineUtc : null, mine);
    }

    /// <summary>A slot as a resident sees it: too soon or too far ahead, taken or full, in a lottery, or free.</summary>
    private static SlotView View(WeddingResource resource, LocalSlot slot, DateTime startUtc, DateTime endUtc, int taken, LotteryDate? lottery, DateTime now, DateTime nowLocal)
    {
        var refusal = resource.Rules.RefusalFor(slot.Start, nowLocal);
        var left = Math.Max(0, resource.Capacity - taken);
        var state = refusal is not null ? SlotState.Unavailable
            : left == 0 ? (resource.IsExclusive ? SlotState.Taken : SlotState.Full)
            : lottery is { IsDrawn: false } ? (lottery.IsCollecting(now) ? SlotState.Lottery : SlotState.LotteryPending)
            : SlotState.Free;
        return new SlotView(startUtc, endUtc, state, left, refusal);
    }

    /// <summary>
    /// Books one slot for the signed-in resident; returns the booking's id. Refusals (ErrorCodes.Booking.SlotTaken,
    /// ErrorCodes.Booking.SlotFull, "Booking.TooSoon", ErrorCodes.Booking.HouseholdLimit, …) change nothing. On a lottery date that is
    /// still collecting, the booking is an entry in the draw and holds no slot yet.
    /// </summary>
    public async Task<int> BookAsync(ClaimsPrincipal user, int resourceId, DateTime slotStartUtc, string? partnerName, string? note, CancellationToken cancellationToken = default) =>
        (await BookSlotAsync(user, resourceId, slotStartUtc, partnerName, note, cancellationToken)).Id;

    public async Task<IReadOnlyList<MyBooking>> MineAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from b in db.Bookings.AsNoTracking()
            join r in db.WeddingResources on b.ResourceId equals r.Id
            where b.ApplicantUserId == me
            orderby b.SlotStartUtc descending, b.Id descending
            select new { Booking = b, r.Name, r.Location, r.Rules.CancelCutoffHours })
            .Take(200).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Booking.Id).ToList();
        var history = (await db.BookingEvents.AsNoTracking().Where(e => ids.Contains(e.BookingId)).OrderBy(e => e.Id).ToListAsync(cancellationToken))
            .ToLookup(e => e.BookingId);
        return [.. rows.Select(r =>
        {
            var b = r.Booking;
            var cancelUntil = b.SlotStartUtc.AddHours(-r.CancelCutoffHours);
            var canCancel = b.IsActive && (b.Status == BookingStatus.InLottery || now <= cancelUntil);
            return new MyBooking(b.Id, b.Kind, b.ResourceId, r.Name, r.Location, b.SlotStartUtc, b.SlotEndUtc, b.Status, b.PartnerName, b.Note,
                b.DecisionReason, b.PlanId, canCancel, cancelUntil,
                b.Status is BookingStatus.Approved or BookingStatus.Completed ? vouchers.Issue(b.Id) : null,
                [.. history[b.Id].Select(e => new BookingStep(e.Status, e.AtUtc, e.Reason))]);
        })];
    }

    /// <summary>The resident cancels a booking before its cut-off; its slot is freed at once.</summary>
    public async Task CancelAsync(ClaimsPrincipal user, int bookingId, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == bookingId && b.ApplicantUserId == me, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Booking.NotFound);
        var resource = await db.WeddingResources.AsNoTracking().Where(r => r.Id == booking.ResourceId)
            .Select(r => new { r.Rules, r.Name, r.OrgNodeId }).SingleAsync(cancellationToken);
        var held = booking.HoldsSlot;
        var statusBefore = booking.Status;
        booking.Cancel(me, resource.Rules, Now);
        audit.Record(db, user, "booking.cancelled", Entity, Id(bookingId), resource.OrgNodeId,
            new { Status = statusBefore }, new { booking.Status, Resource = resource.Name, booking.SlotStartUtc });
        await ChangeAsync(db, booking, held, me, null, cancellationToken);
    }

    /// <summary>
    /// <see cref="BookAsync"/> for the booking page, saying what came of it. A resident's second booking of a slot they
    /// already hold or have entered (a double submit, a second tab) is refused as ErrorCodes.MyBookings.AlreadyBooked or
    /// ErrorCodes.Lottery.AlreadyEntered, instead of taking a second place or being told the slot is taken.
    /// </summary>
    public async Task<BookingReceipt> BookSlotAsync(
        ClaimsPrincipal user, int resourceId, DateTime slotStartUtc, string? partnerName, string? note, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await LiveResourceAsync(db, resourceId, cancellationToken);
        var slot = ResolveSlot(resource, slotStartUtc);
        var lottery = await LotteryStateAsync(db, resource, slot, cancellationToken);
        Booking booking;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                booking = await PlaceAsync(db, user, resource, slot, partnerName, note, null, lottery, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DomainException ex) when (ex.Code is ErrorCodes.Booking.SlotTaken or ErrorCodes.Booking.SlotFull or ErrorCodes.Booking.HouseholdLimit)
            {
                // Taken, full or over the limit may be the resident's own earlier booking of this very slot.
                await transaction.RollbackAsync(cancellationToken);
                var held = await HeldStatusAsync(db, me, resource.Id, slot.StartUtc, null, cancellationToken);
                if (held is null)
                {
                    throw;
                }

                throw new DomainException(held == BookingStatus.InLottery ? ErrorCodes.Lottery.AlreadyEntered : ErrorCodes.MyBookings.AlreadyBooked);
            }
        }

        return new BookingReceipt(booking.Id, resource.Id, resource.Kind, resource.Name, booking.SlotStartUtc, booking.SlotEndUtc, booking.Status, booking.ReviewDueUtc);
    }

    /// <summary>The resident's active bookings of a kind of service, soonest first: what the household limit counts.</summary>
    public async Task<IReadOnlyList<HeldBooking>> ActiveOfKindAsync(ClaimsPrincipal user, WeddingServiceKind kind, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await HeldOfKindAsync(db, user.RequiredUserId(), kind, null, cancellationToken);
    }

    /// <summary>
    /// The refusal of a household at its limit, naming the bookings in the way ("您已有 1 个有效预约（红星礼堂
    /// 2026年12月20日 10:00），需先取消才能再预约"), in the current reader's language.
    /// </summary>
    public DomainException HouseholdLimitRefusal(IReadOnlyList<HeldBooking> held) =>
        new(ErrorCodes.Booking.HouseholdLimit, held.Count, string.Join(strings["List.Separator"], held.Select(b => $"{b.ResourceName} {time.FormatDateTime(b.StartUtc)}")));

    // A household holds a handful of active bookings of a kind at most: one small query.
    private static async Task<IReadOnlyList<HeldBooking>> HeldOfKindAsync(AppDbContext db, int userId, WeddingServiceKind kind, int? exceptBookingId, CancellationToken cancellationToken) =>
        await (
            from b in db.Bookings.AsNoTracking()
            join r in db.WeddingResources on b.ResourceId equals r.Id
            where b.ApplicantUserId == userId && b.Kind == kind && (exceptBookingId == null || b.Id != exceptBookingId)
                && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved || b.Status == BookingStatus.InLottery)
            orderby b.SlotStartUtc, b.Id
            select new HeldBooking(b.Id, b.ResourceId, r.Name, b.SlotStartUtc, b.Status))
            .ToListAsync(cancellationToken);

    private static Task<BookingStatus?> HeldStatusAsync(AppDbContext db, int userId, int resourceId, DateTime slotStartUtc, int? exceptBookingId, CancellationToken cancellationToken) =>
        db.Bookings.AsNoTracking()
            .Where(b => b.ApplicantUserId == userId && b.ResourceId == resourceId && b.SlotStartUtc == slotStartUtc
                && (exceptBookingId == null || b.Id != exceptBookingId)
                && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved || b.Status == BookingStatus.InLottery))
            .Select(b => (BookingStatus?)b.Status)
            .FirstOrDefaultAsync(cancellationToken);

    // ----- Reviewers: queue, approve, decline, close -----

    /// <summary>The bookings of the resources the user reviews, filtered; requests due soonest first.</summary>
    public async Task<Paged<ReviewItem>> ReviewQueueAsync(ClaimsPrincipal user, ReviewFilter filter, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var scope = await access.GetScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query =
            from b in db.Bookings.AsNoTracking()
            join r in Reviewable(db, scope, user) on b.ResourceId equals r.Id
            join u in db.Users on b.ApplicantUserId equals u.Id
            select new { b, r.Name, u.RealName, u.PhoneNumber };
        if (filter.Kind is { } kind)
        {
            query = query.Where(x => x.b.Kind == kind);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(x => x.b.Status == status);
        }

        if (filter.ResourceId is { } resourceId)
        {
            query = query.Where(x => x.b.ResourceId == resourceId);
        }

        if (filter.From is { } from)
        {
            var fromUtc = time.ToUtc(from.ToDateTime(TimeOnly.MinValue));
            query = query.Where(x => x.b.SlotStartUtc >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = time.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue));
            query = query.Where(x => x.b.SlotStartUtc < toUtc);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderBy(x => x.b.Status != BookingStatus.Requested).ThenBy(x => x.b.ReviewDueUtc).ThenBy(x => x.b.SlotStartUtc).ThenBy(x => x.b.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .ToListAsync(cancellationToken);
        return new Paged<ReviewItem>(
            [.. rows.Select(x => new ReviewItem(x.b.Id, x.b.Kind, x.b.ResourceId, x.Name, x.RealName, MainlandMobile.Mask(x.PhoneNumber ?? ""), x.b.PartnerName,
                x.b.Note, x.b.SlotStartUtc, x.b.SlotEndUtc, x.b.Status, x.b.CreatedAtUtc, x.b.ReviewDueUtc, x.b.DecisionReason))],
            total);
    }

    /// <summary>The resources the user reviews (for the queue's filter); empty for someone who reviews none.</summary>
    public async Task<IReadOnlyList<ResourceOption>> ReviewableResourcesAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var scope = await access.GetScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Reviewable(db, scope, user).OrderBy(r => r.Kind).ThenBy(r => r.Name)
            .Select(r => new ResourceOption(r.Id, r.Kind, r.Name)).ToListAsync(cancellationToken);
    }

    public async Task ApproveAsync(ClaimsPrincipal user, int bookingId, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        booking.Approve(me, Now);
        notifications.Add(db, booking.ApplicantUserId, "Booking.ApprovedNotice", [resource.Name, NotificationText.Time(booking.SlotStartUtc)], "/bookings");
        audit.Record(db, user, "booking.approved", Entity, Id(bookingId), resource.OrgNodeId,
            new { Status = nameof(BookingStatus.Requested) }, new { Status = nameof(BookingStatus.Approved), Resource = resource.Name, booking.SlotStartUtc });
        await ChangeAsync(db, booking, held: true, me, null, cancellationToken);
    }

    public async Task DeclineAsync(ClaimsPrincipal user, int bookingId, string? reason, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var trimmed = Booking.RequiredReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        booking.Decline(me, trimmed, Now);
        notifications.Add(db, booking.ApplicantUserId, "Booking.DeclinedNotice", [resource.Name, NotificationText.Time(booking.SlotStartUtc), trimmed], "/bookings");
        audit.Record(db, user, "booking.declined", Entity, Id(bookingId), resource.OrgNodeId,
            new { Status = nameof(BookingStatus.Requested) }, new { Status = nameof(BookingStatus.Declined), Resource = resource.Name, booking.SlotStartUtc, Reason = trimmed });
        await ChangeAsync(db, booking, held: true, me, trimmed, cancellationToken);
    }

    /// <summary>Closes an approved booking once its slot has begun: completed, or the couple did not come.</summary>
    public async Task CloseAsync(ClaimsPrincipal user, int bookingId, bool cameAlong, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        booking.Close(cameAlong, me, Now);
        audit.Record(db, user, cameAlong ? "booking.completed" : "booking.no-show", Entity, Id(bookingId), resource.OrgNodeId,
            new { Status = nameof(BookingStatus.Approved) }, new { booking.Status, Resource = resource.Name, booking.SlotStartUtc });
        await ChangeAsync(db, booking, held: false, me, null, cancellationToken);
    }

    // ----- Vouchers: staff scan at the hall or office -----

    /// <summary>What a scanned voucher names, for staff who review that resource; null when the code is not ours.</summary>
    public async Task<VoucherView?> DescribeVoucherAsync(ClaimsPrincipal user, string? scanned, CancellationToken cancellationToken = default)
    {
        if (!vouchers.TryVerify(scanned, out var bookingId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        var name = await db.Users.Where(u => u.Id == booking.ApplicantUserId).Select(u => u.RealName).SingleAsync(cancellationToken);
        var today = DateOnly.FromDateTime(time.LocalNow);
        return new VoucherView(booking.Id, booking.Kind, resource.Name, resource.Location, booking.SlotStartUtc, booking.SlotEndUtc,
            MaskName(name), booking.PartnerName, booking.Status, booking.ArrivedAtUtc,
            booking.Status == BookingStatus.Approved && DateOnly.FromDateTime(time.ToLocal(booking.SlotStartUtc)) == today);
    }

    /// <summary>Marks the couple's arrival from a scanned voucher (once; on the slot's day).</summary>
    public async Task ArriveAsync(ClaimsPrincipal user, string? scanned, CancellationToken cancellationToken = default)
    {
        if (!vouchers.TryVerify(scanned, out var bookingId))
        {
            throw new DomainException(ErrorCodes.Booking.VoucherInvalid);
        }

        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        var now = Now;
        booking.Arrive(me, now, DateOnly.FromDateTime(time.ToLocal(now)), DateOnly.FromDateTime(time.ToLocal(booking.SlotStartUtc)));
        audit.Record(db, user, "booking.arrived", Entity, Id(bookingId), resource.OrgNodeId,
            new { Status = nameof(BookingStatus.Approved) }, new { booking.Status, Resource = resource.Name, booking.SlotStartUtc });
        await ChangeAsync(db, booking, held: false, me, null, cancellationToken);
    }

    // ----- The engine -----

    /// <summary>
    /// Writes a booking and what protects its slot, inside the caller's transaction: the booking row first (the write
    /// lock), then the household limit, then the claim rows or the guarded count. Throws a refusal; the caller rolls back.
    /// </summary>
    internal async Task<Booking> PlaceAsync(
        AppDbContext db, ClaimsPrincipal user, WeddingResource resource, (DateTime StartUtc, DateTime EndUtc) slot, string? partnerName, string? note,
        Guid? planId, bool lottery, CancellationToken cancellationToken)
    {
        var userId = user.RequiredUserId();
        var now = Now;
        // The person lock first (decision 0014): the household's other bookings in flight commit before the counts
        // below, which then see them — on PostgreSQL as on SQLite.
        await LockSql.PersonAsync(db, userId, cancellationToken);
        if (lottery && !await LockSql.CollectingLotteryAsync(db, DateOnly.FromDateTime(time.ToLocal(slot.StartUtc)), now, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Booking.SlotRulesChanged);
        }

        var booking = Booking.Request(resource, userId, slot.StartUtc, slot.EndUtc, partnerName, note, now, planId, lottery);
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
        audit.Record(db, user, "booking.requested", Entity, Id(booking.Id), resource.OrgNodeId, null,
            new { booking.Status, Resource = resource.Name, booking.SlotStartUtc });
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
    private async Task ChangeAsync(AppDbContext db, Booking booking, bool held, int? actor, string? reason, CancellationToken cancellationToken)
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

    /// <summary>
    /// The services whose bookings the person may review: those in their area, and those they provide — a partner's
    /// package only while they still hold the Partner role (as in the points market), a steward's own service as long
    /// as they are its steward.
    /// </summary>
    private static IQueryable<WeddingResource> Reviewable(AppDbContext db, OrgScope scope, ClaimsPrincipal user)
    {
        var resources = db.WeddingResources.AsNoTracking();
        if (scope.Everywhere)
        {
            return resources;
        }

        var me = user.RequiredUserId();
        var partner = user.IsInRole(Roles.Partner);
        if (scope.IsNone)
        {
            return resources.Where(r => r.ProviderUserId == me && (partner || r.Kind != WeddingServiceKind.AlliancePackage));
        }

        var root = scope.RootPath!;
        return resources.Where(r => (r.ProviderUserId == me && (partner || r.Kind != WeddingServiceKind.AlliancePackage)) || r.OrgPath.StartsWith(root));
    }

    /// <summary>Whether the person reviews this service as its provider (see <see cref="Reviewable"/>).</summary>
    private static bool Provides(WeddingResource resource, ClaimsPrincipal user) =>
        resource.ProviderUserId == user.RequiredUserId() && (resource.Kind != WeddingServiceKind.AlliancePackage || user.IsInRole(Roles.Partner));

    private async Task<(Booking Booking, WeddingResource Resource)> ReviewableBookingAsync(AppDbContext db, ClaimsPrincipal user, int bookingId, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == bookingId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Booking.NotFound);
        var resource = await db.WeddingResources.AsNoTracking().SingleAsync(r => r.Id == booking.ResourceId, cancellationToken);
        if (!Provides(resource, user))
        {
            var scope = await access.GetScopeAsync(user, cancellationToken);
            if (!scope.Contains(resource.OrgPath))
            {
                throw new AccessDeniedException();
            }
        }

        return (booking, resource);
    }

    private static async Task<IReadOnlyList<ServiceSummary>> SummariesAsync(AppDbContext db, IReadOnlyList<WeddingResource> resources, CancellationToken cancellationToken)
    {
        var nodeIds = resources.Select(r => r.OrgNodeId).Distinct().ToList();
        var providerIds = resources.Where(r => r.ProviderUserId != null).Select(r => r.ProviderUserId!.Value).Distinct().ToList();
        var nodes = await db.OrgNodes.AsNoTracking().Where(n => nodeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Name, cancellationToken);
        var providers = await db.Users.AsNoTracking().Where(u => providerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.RealName, cancellationToken);
        return [.. resources.Select(r => Summary(r, r.ProviderUserId is { } p ? providers.GetValueOrDefault(p) : null, nodes.GetValueOrDefault(r.OrgNodeId)))];
    }

    private static ServiceSummary Summary(WeddingResource r, string? providerName, string? nodeName) =>
        new(r.Id, r.Kind, r.Name, r.Description, r.Location, r.Seats, r.PriceCapYuan, r.Counsellor, providerName, nodeName ?? "",
            r.Capacity, r.SlotMinutes, r.Rules);

    /// <summary>"张三" → "张*", "李小明" → "李*明": enough for staff to match the couple without showing the full name.</summary>
    internal static string MaskName(string name) => name.Length switch
    {
        0 => "",
        1 => name,
        2 => name[0] + "*",
        _ => name[0] + new string('*', name.Length - 2) + name[^1],
    };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
