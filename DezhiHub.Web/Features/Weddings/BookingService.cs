using System.Security.Claims;
using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;


namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// Wedding services as residents use them: the catalogue, a service's free and taken slots, booking a slot (through the
/// <see cref="BookingEngine"/>), their bookings with history and vouchers, cancelling.
/// </summary>
public sealed class BookingService(
    IDbContextFactory<AppDbContext> dbFactory,
    BookingEngine engine,
    BookingVouchers vouchers,
    DisplayTime time,
    TimeProvider clock)
{
    /// <summary>Longest stretch the availability view shows at once.</summary>
    public const int MaxDays = 62;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

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
        var resource = await BookingEngine.LiveResourceAsync(db, resourceId, cancellationToken);
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
        var standing = await BookingEngine.HeldOfKindAsync(db, me, resource.Kind, null, cancellationToken);
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
        (await BookSlotAsync(user, resourceId, slotStartUtc, partnerName, note, null, cancellationToken)).Id;

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
        booking.Cancel(me, resource.Rules, Now);
        await engine.ChangeAsync(db, booking, held, me, null, cancellationToken);
    }

    /// <summary>
    /// <see cref="BookAsync"/> for the booking page, saying what came of it. A resident's second booking of a slot they
    /// already hold or have entered (a second tab) is refused as ErrorCodes.MyBookings.AlreadyBooked or
    /// ErrorCodes.Lottery.AlreadyEntered, instead of taking a second place or being told the slot is taken. The same
    /// request sent again (<paramref name="requestId"/>: a double tap, a re-sent form, a retry) is answered with the
    /// first one's receipt, whatever became of it since.
    /// </summary>
    public async Task<BookingReceipt> BookSlotAsync(
        ClaimsPrincipal user, int resourceId, DateTime slotStartUtc, string? partnerName, string? note, Guid? requestId = null,
        CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        if (requestId is { } id && await ReceiptOfRequestAsync(me, id, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        try
        {
            return await PlaceAsync(user, resourceId, slotStartUtc, partnerName, note, requestId, cancellationToken);
        }
        catch (Exception ex) when (requestId is { } sent && ex is DomainException or DbUpdateException)
        {
            // Its twin may have been booked meanwhile (the slot then looks taken, the household full, the request id
            // used): the twin's receipt is this request's answer.
            if (await ReceiptOfRequestAsync(me, sent, CancellationToken.None) is { } twin)
            {
                return twin;
            }

            throw;
        }
    }

    private async Task<BookingReceipt> PlaceAsync(
        ClaimsPrincipal user, int resourceId, DateTime slotStartUtc, string? partnerName, string? note, Guid? requestId, CancellationToken cancellationToken)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await BookingEngine.LiveResourceAsync(db, resourceId, cancellationToken);
        var slot = engine.ResolveSlot(resource, slotStartUtc);
        var lottery = await engine.LotteryStateAsync(db, resource, slot, cancellationToken);
        Booking booking;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                booking = await engine.PlaceAsync(db, user, resource, slot, partnerName, note, null, lottery, cancellationToken, requestId);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DomainException ex) when (ex.Code is ErrorCodes.Booking.SlotTaken or ErrorCodes.Booking.SlotFull or ErrorCodes.Booking.HouseholdLimit)
            {
                // Taken, full or over the limit may be the resident's own earlier booking of this very slot.
                await transaction.RollbackAsync(cancellationToken);
                var held = await BookingEngine.HeldStatusAsync(db, me, resource.Id, slot.StartUtc, null, cancellationToken);
                if (held is null)
                {
                    throw;
                }

                throw new DomainException(held == BookingStatus.InLottery ? ErrorCodes.Lottery.AlreadyEntered : ErrorCodes.MyBookings.AlreadyBooked);
            }
        }

        return Receipt(booking, resource);
    }

    private async Task<BookingReceipt?> ReceiptOfRequestAsync(int userId, Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (
            from b in db.Bookings.AsNoTracking()
            join r in db.WeddingResources on b.ResourceId equals r.Id
            where b.ApplicantUserId == userId && b.RequestId == requestId
            select new { Booking = b, Resource = r })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : Receipt(row.Booking, row.Resource);
    }

    private static BookingReceipt Receipt(Booking booking, WeddingResource resource) =>
        new(booking.Id, resource.Id, resource.Kind, resource.Name, booking.SlotStartUtc, booking.SlotEndUtc, booking.Status, booking.ReviewDueUtc);

    /// <inheritdoc cref="BookingEngine.HouseholdLimitRefusal"/>
    public DomainException HouseholdLimitRefusal(IReadOnlyList<HeldBooking> held) => engine.HouseholdLimitRefusal(held);

    /// <summary>The resident's active bookings of a kind of service, soonest first: what the household limit counts.</summary>
    public async Task<IReadOnlyList<HeldBooking>> ActiveOfKindAsync(ClaimsPrincipal user, WeddingServiceKind kind, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await BookingEngine.HeldOfKindAsync(db, user.RequiredUserId(), kind, null, cancellationToken);
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
}
