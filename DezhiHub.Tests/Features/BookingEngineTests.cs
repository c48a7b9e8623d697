using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The booking engine on real SQLite: no slot is ever held twice (200 parallel requests, grid changes, buffers), the
/// rules refuse without changing anything, cancellation and decline free a slot, unreviewed requests expire with the
/// clock, lotteries draw reproducibly, and a wedding plan books all of its parts or none.
/// </summary>
public sealed class BookingEngineTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private BookingService Engine => _host.Scoped<BookingService>();

    private BookingReviewService Reviews => _host.Scoped<BookingReviewService>();

    private DisplayTime Time => _host.Get<DisplayTime>();

    private DateTime Now => _host.Clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(Time.ToLocal(Now));

    [Fact]
    public async Task TwoHundredParallelRequests_ForOneHallSlot_LeaveExactlyOneBooking_AndTheRestHearItIsTaken()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall);
        var people = await NewResidentsAsync(200);
        var slot = At(Today.AddDays(10), 8);

        var outcomes = await Task.WhenAll(people.Select(p => Task.Run(() => TryAsync(() => _host.Scoped<BookingService>().BookAsync(p, hall, slot, null, null)))));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("Booking.SlotTaken", o));
        await using var db = _host.NewDb();
        var booking = await db.Bookings.SingleAsync(b => b.ResourceId == hall);
        Assert.Equal(BookingStatus.Requested, booking.Status);
        // Four hours and the hour of cleaning after them, in half hours, all held by that one booking.
        Assert.Equal(10, await db.SlotClaims.CountAsync(c => c.ResourceId == hall && c.BookingId == booking.Id));
        Assert.Equal(1, await db.BookingEvents.CountAsync(e => e.BookingId == booking.Id));
    }

    [Theory]
    [InlineData(WeddingServiceKind.CeremonyHall)]
    [InlineData(WeddingServiceKind.CounselingSession)]
    public async Task OneRequestSentEightTimesAtOnce_MakesOneBooking_AndEveryCopyGetsItsReceipt(WeddingServiceKind kind)
    {
        var service = await NewResourceAsync(kind, capacity: kind == WeddingServiceKind.CeremonyHall ? 1 : 30);
        var person = (await NewResidentsAsync(1))[0];
        var slot = At(Today.AddDays(10), 8);
        var request = Guid.NewGuid();

        var receipts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => _host.Scoped<BookingService>().BookSlotAsync(person, service, slot, "王芳", null, request))));
        var later = await Engine.BookSlotAsync(person, service, slot, "王芳", null, request);

        var booking = Assert.Single(receipts.Select(r => r.Id).Append(later.Id).Distinct());
        Assert.All(receipts, r => Assert.Equal((service, slot), (r.ResourceId, r.StartUtc)));
        await using var db = _host.NewDb();
        Assert.Equal(booking, (await db.Bookings.SingleAsync(b => b.ResourceId == service)).Id);
        Assert.Equal(1, await db.BookingEvents.CountAsync(e => e.BookingId == booking));
        if (kind != WeddingServiceKind.CeremonyHall)
        {
            Assert.Equal(1, (await db.SlotCounts.SingleAsync(c => c.ResourceId == service)).Taken);
        }

        // Another resident sending the same id books a booking of their own.
        var other = (await NewResidentsAsync(1, first: 2))[0];
        Assert.NotEqual(booking, (await Engine.BookSlotAsync(other, service, At(Today.AddDays(11), 8), null, null, request)).Id);
    }

    [Fact]
    public async Task TwoHundredParallelRequests_ForARegistrationSlotOfTenPlaces_LetExactlyTenThrough()
    {
        var office = await NewResourceAsync(WeddingServiceKind.RegistrationAppointment, capacity: 10);
        var people = await NewResidentsAsync(200);
        var slot = At(NextWeekday(Today.AddDays(5)), 9);

        var outcomes = await Task.WhenAll(people.Select(p => Task.Run(() => TryAsync(() => _host.Scoped<BookingService>().BookAsync(p, office, slot, null, null)))));

        Assert.Equal(10, outcomes.Count(o => o == "ok"));
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("Booking.SlotFull", o));
        await using var db = _host.NewDb();
        Assert.Equal(10, await db.Bookings.CountAsync(b => b.ResourceId == office && b.Status == BookingStatus.Approved));
        Assert.Equal(10, (await db.SlotCounts.SingleAsync(c => c.ResourceId == office)).Taken);
        var day = (await Engine.AvailabilityAsync(office, DateOnly.FromDateTime(Time.ToLocal(slot)), 1)).Days.Single();
        Assert.Equal(SlotState.Full, day.Slots.Single(s => s.StartUtc == slot).State);
    }

    [Fact]
    public async Task AGridChange_CannotSqueezeASecondBookingIntoAnotherBookingsTimeOrCleaningBuffer()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall);
        var (first, second) = (await NewResidentsAsync(2)) switch { var p => (p[0], p[1]) };
        var day = Today.AddDays(10);
        await Engine.BookAsync(first, hall, At(day, 8), null, null); // 08:00–12:00, cleaning until 13:00

        // The manager moves the grid: the first slot now starts 12:30, inside the cleaning hour.
        await using (var db = _host.NewDb())
        {
            var resource = await db.WeddingResources.SingleAsync(r => r.Id == hall);
            resource.Update(resource.ToDetails() with { Hours = WeeklyHours.Uniform(new(12, 30), new(20, 0), Enum.GetValues<DayOfWeek>()).ToString() }, resource.OrgPath);
            await db.SaveChangesAsync();
        }

        var refusal = await Assert.ThrowsAsync<DomainException>(() => Engine.BookAsync(second, hall, At(day, 12, 30), null, null));
        Assert.Equal("Booking.SlotTaken", refusal.Code);
        var slots = (await Engine.AvailabilityAsync(hall, day, 1)).Days.Single().Slots;
        // 12:30–16:30 is the only slot left in the new grid (17:30–21:30 would end after 20:00), and it shows as taken.
        Assert.Equal(SlotState.Taken, Assert.Single(slots).State);
    }

    [Fact]
    public async Task TheRules_RefuseTooSoonTooFarPastAndClosedSlots_AndChangeNothing()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall, blackout: Today.AddDays(20).ToString("yyyy-MM-dd"));
        var person = (await NewResidentsAsync(1))[0];

        Assert.Equal("Booking.TooSoon", await TryAsync(() => Engine.BookAsync(person, hall, At(Today.AddDays(2), 8), null, null)));
        Assert.Equal("Booking.TooFarAhead", await TryAsync(() => Engine.BookAsync(person, hall, At(Today.AddDays(181), 8), null, null)));
        Assert.Equal("Booking.NoSuchSlot", await TryAsync(() => Engine.BookAsync(person, hall, At(Today.AddDays(20), 8), null, null)));
        Assert.Equal("Booking.NoSuchSlot", await TryAsync(() => Engine.BookAsync(person, hall, At(Today.AddDays(10), 9), null, null)));
        Assert.Equal("Booking.SlotPast", await TryAsync(() => Engine.BookAsync(person, hall, At(Today.AddDays(-1), 8), null, null)));
        Assert.Equal("Wedding.ServiceNotFound", await TryAsync(() => Engine.BookAsync(person, 999_999, At(Today.AddDays(10), 8), null, null)));
        Assert.Equal("Booking.NoteTooLong", await TryAsync(() => Engine.BookAsync(person, hall, At(Today.AddDays(10), 8), null, new string('字', 201))));
        Assert.Equal("ok", await TryAsync(() => Engine.BookAsync(person, hall, At(Today.AddDays(180), 8), null, null)));

        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Bookings.CountAsync(b => b.ResourceId == hall));
        Assert.Equal(10, await db.SlotClaims.CountAsync(c => c.ResourceId == hall));
        var closed = (await Engine.AvailabilityAsync(hall, Today.AddDays(20), 1)).Days.Single();
        Assert.Empty(closed.Slots);
    }

    [Fact]
    public async Task TheHouseholdLimit_HoldsUnderTenParallelTaps_OnDifferentSlots()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall);
        var person = (await NewResidentsAsync(1))[0];

        var outcomes = await Task.WhenAll(Enumerable.Range(10, 10).Select(d => Task.Run(() =>
            TryAsync(() => _host.Scoped<BookingService>().BookAsync(person, hall, At(Today.AddDays(d), 8), null, null)))));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("Booking.HouseholdLimit", o));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Bookings.CountAsync(b => b.ResourceId == hall));
        Assert.Equal(10, await db.SlotClaims.CountAsync(c => c.ResourceId == hall));
    }

    [Theory]
    [InlineData("zh-CN", "您已有 1 个有效预约（礼堂甲 {0}），需先取消才能再预约。")]
    [InlineData("en-US", "You already have 1 active booking of this kind (礼堂甲 {0}); cancel one first to book again.")]
    public async Task AHouseholdAtItsLimit_IsRefused_NamingTheBookingInTheWay(string culture, string expected)
    {
        var first = await NewResourceAsync(WeddingServiceKind.CeremonyHall, name: "礼堂甲");
        var second = await NewResourceAsync(WeddingServiceKind.CeremonyHall, name: "礼堂乙");
        var person = (await NewResidentsAsync(1))[0];
        var held = At(Today.AddDays(12), 13);
        var bookingId = await Engine.BookAsync(person, first, held, null, null);
        using var scope = DezhiHub.Tests.Components.CultureScope.Use(culture);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => Engine.BookAsync(person, second, At(Today.AddDays(14), 13), null, null));

        Assert.Equal("Booking.HouseholdLimit", refusal.Code);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, Time.FormatDateTime(held)), _host.Get<IStringLocalizer<Strings>>().Refusal(refusal).Value);
        // What the pages ask before offering a slot: the same booking, up front.
        var standing = await Engine.ActiveOfKindAsync(person, WeddingServiceKind.CeremonyHall);
        Assert.Equal([(bookingId, "礼堂甲", held)], standing.Select(b => (b.Id, b.ResourceName, b.StartUtc)));
        Assert.Empty(await Engine.ActiveOfKindAsync(person, WeddingServiceKind.FolkSteward));
    }

    [Fact]
    public async Task TheBookingPagesOneSlotOffer_SaysWhatTheCalendarSays_ForEverySlot()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall, name: "礼堂丙");
        var counselling = await NewResourceAsync(WeddingServiceKind.CounselingSession, capacity: 2, notice: 0);
        var people = await NewResidentsAsync(4);
        var lotteryDay = Today.AddDays(20);
        await using (var db = _host.NewDb())
        {
            db.LotteryDates.Add(LotteryDate.Create(lotteryDay, Now.AddDays(10), Time.ToUtc(lotteryDay.ToDateTime(TimeOnly.MinValue)), Now));
            await db.SaveChangesAsync();
        }

        // Taken (and the buffer after it), full, in a lottery, entered by the first resident; too soon and too far ahead.
        var heldHall = At(Today.AddDays(12), 8);
        await Engine.BookAsync(people[0], hall, heldHall, null, null);
        await Engine.BookAsync(people[1], hall, At(lotteryDay, 8), null, null);
        var fullSession = At(Today.AddDays(2), 10);
        await Engine.BookAsync(people[0], counselling, fullSession, null, null);
        await Engine.BookAsync(people[2], counselling, fullSession, null, null);

        var checkedSlots = 0;
        foreach (var (resource, day) in new[] { (hall, Today), (hall, Today.AddDays(12)), (hall, lotteryDay), (hall, Today.AddDays(400)), (counselling, Today.AddDays(2)) })
        {
            foreach (var slot in (await Engine.AvailabilityAsync(resource, day, 1)).Days.Single().Slots)
            {
                var offer = await Engine.OfferAsync(people[0], resource, slot.StartUtc);
                Assert.Equal(slot, offer.Slot);
                checkedSlots++;
            }
        }

        Assert.True(checkedSlots >= 12, $"{checkedSlots} slots checked");
        var mine = await Engine.OfferAsync(people[0], hall, heldHall);
        Assert.Equal((SlotState.Taken, BookingStatus.Requested), (mine.Slot!.State, mine.Standing.ThisSlot)); // a hall waits for review
        Assert.Equal(["礼堂丙"], mine.Standing.ActiveOfKind.Select(b => b.ResourceName));
        Assert.Equal(SlotState.Full, (await Engine.OfferAsync(people[3], counselling, fullSession)).Slot!.State);
        var lottery = await Engine.OfferAsync(people[1], hall, At(lotteryDay, 13));
        Assert.Equal((SlotState.Lottery, Now.AddDays(10)), (lottery.Slot!.State, lottery.LotteryDeadlineUtc!.Value));
        Assert.Null((await Engine.OfferAsync(people[0], hall, At(Today.AddDays(12), 9))).Slot); // no slot starts at 09:00
        Assert.Equal("Wedding.ServiceNotFound", await TryAsync(() => Engine.OfferAsync(people[0], 999_999, heldHall)));
    }

    [Fact]
    public async Task CancellingBeforeTheCutOff_FreesTheSlotAtOnce_AfterItIsRefused()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall);
        var counselling = await NewResourceAsync(WeddingServiceKind.CounselingSession, capacity: 2, notice: 0);
        var (first, second) = (await NewResidentsAsync(2)) switch { var p => (p[0], p[1]) };
        var slot = At(Today.AddDays(10), 13);

        var id = await Engine.BookAsync(first, hall, slot, "孙丽", null);
        Assert.Equal("Booking.SlotTaken", await TryAsync(() => Engine.BookAsync(second, hall, slot, null, null)));
        await Engine.CancelAsync(first, id);
        Assert.Equal("Booking.NotActive", await TryAsync(() => Engine.CancelAsync(first, id)));
        Assert.Equal("ok", await TryAsync(() => Engine.BookAsync(second, hall, slot, null, null)));
        // Someone else's booking cannot be cancelled (it is simply not found for them).
        var theirs = (await Engine.MineAsync(second)).Single().Id;
        Assert.Equal("Booking.NotFound", await TryAsync(() => Engine.CancelAsync(first, theirs)));

        // Counselling tonight at 18:00 with a 12-hour cut-off: booked now (09:00), too late to cancel.
        var tonight = At(Today, 18);
        var late = await Engine.BookAsync(first, counselling, tonight, null, null);
        var refusal = await Assert.ThrowsAsync<DomainException>(() => Engine.CancelAsync(first, late));
        Assert.Equal(("Booking.PastCutoff", 12), (refusal.Code, (int)refusal.Args[0]));

        var mine = await Engine.MineAsync(first);
        Assert.Equal([BookingStatus.Requested, BookingStatus.Cancelled], mine.Single(b => b.Id == id).History.Select(h => h.Status));
        Assert.False(mine.Single(b => b.Id == late).CanCancel);
        Assert.NotNull(mine.Single(b => b.Id == late).VoucherToken); // approved at once: no review needed
    }

    [Fact]
    public async Task ABookingsChanges_WriteTheirAuditEntryAndNotice_WithTheChange_AndARefusedOrLostChangeWritesNeither()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall); // household limit 1
        var person = (await NewResidentsAsync(1))[0];
        var personId = person.RequiredUserId();
        var organizer = _city.Organizer.Principal;
        var admin = _city.Admin.Principal;

        var booking = await Engine.BookAsync(person, hall, At(Today.AddDays(12), 8), null, null);
        // Over the household limit: the second booking row was saved and its event handled inside the transaction, then
        // all of it rolled back — its audit entry too.
        Assert.Equal("Booking.HouseholdLimit", await TryAsync(() => Engine.BookAsync(person, hall, At(Today.AddDays(13), 8), null, null)));

        // An approval and a decline at once: one wins; the loser's save fails, so it raises nothing.
        var outcomes = await Task.WhenAll(
            Task.Run(() => TryAsync(() => _host.Scoped<BookingReviewService>().ApproveAsync(organizer, booking))),
            Task.Run(() => TryAsync(() => _host.Scoped<BookingReviewService>().DeclineAsync(admin, booking, "当天礼堂检修"))));
        Assert.Single(outcomes, o => o == "ok");

        await using var db = _host.NewDb();
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Booking" && (a.ActorUserId == personId || a.EntityId == booking.ToString()))
            .OrderBy(a => a.Id).ToListAsync();
        var decision = outcomes[0] == "ok" ? ("booking.approved", _city.Organizer.Name) : ("booking.declined", _city.Admin.Name);
        Assert.Equal([("booking.requested", "测试居民1"), decision], entries.Select(e => (e.Action, e.ActorName)));
        Assert.All(entries, e => Assert.Equal(booking.ToString(), e.EntityId));
        Assert.Contains("\"Status\":\"Requested\"", entries[1].Before);
        var notices = await db.Notifications.AsNoTracking().Where(n => n.UserId == personId).Select(n => n.MessageKey).ToListAsync();
        Assert.Equal([outcomes[0] == "ok" ? "Booking.ApprovedNotice" : "Booking.DeclinedNotice"], notices);
    }

    [Fact]
    public async Task Declining_FreesTheSlot_Approving_KeepsIt_AndTheResidentIsTold()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall);
        var people = await NewResidentsAsync(3);
        var organizer = _city.Organizer.Principal;
        var outsider = _city.OtherOrganizer.Principal;
        var slot = At(Today.AddDays(12), 8);
        var declined = await Engine.BookAsync(people[0], hall, slot, null, null);

        Assert.Equal("Booking.ReasonRequired", await TryAsync(() => Reviews.DeclineAsync(organizer, declined, "  ")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reviews.DeclineAsync(outsider, declined, "不在辖区"));
        await Reviews.DeclineAsync(organizer, declined, "当天礼堂检修");
        var approved = await Engine.BookAsync(people[1], hall, slot, null, null);
        await Reviews.ApproveAsync(organizer, approved);

        Assert.Equal("Booking.SlotTaken", await TryAsync(() => Engine.BookAsync(people[2], hall, slot, null, null)));
        Assert.Equal("Booking.WrongState", await TryAsync(() => Reviews.ApproveAsync(organizer, declined)));
        var mine = (await Engine.MineAsync(people[0])).Single();
        Assert.Equal((BookingStatus.Declined, "当天礼堂检修"), (mine.Status, mine.DecisionReason));
        Assert.Null(mine.VoucherToken);
        Assert.NotNull((await Engine.MineAsync(people[1])).Single().VoucherToken);
        await using var db = _host.NewDb();
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == people[0].RequiredUserId() && n.MessageKey == "Booking.DeclinedNotice"));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "booking.approved" && a.EntityId == approved.ToString()));
    }

    [Fact]
    public async Task AnUnreviewedRequest_ExpiresWhenItsReviewWindowEnds_AndFreesItsSlotOnce()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall);
        var people = await NewResidentsAsync(2);
        var slot = At(Today.AddDays(10), 8);
        var id = await Engine.BookAsync(people[0], hall, slot, null, null);
        var sweeps = _host.Scoped<BookingSweeps>();

        _host.Clock.Advance(TimeSpan.FromHours(72) - TimeSpan.FromMinutes(1));
        await sweeps.ExpireOverdueAsync(Now);
        Assert.Equal(BookingStatus.Requested, (await Engine.MineAsync(people[0])).Single().Status);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await sweeps.ExpireOverdueAsync(Now));
        Assert.Equal(0, await sweeps.ExpireOverdueAsync(Now));

        var mine = (await Engine.MineAsync(people[0])).Single();
        Assert.Equal(BookingStatus.Expired, mine.Status);
        Assert.Equal([BookingStatus.Requested, BookingStatus.Expired], mine.History.Select(h => h.Status));
        Assert.Equal("ok", await TryAsync(() => Engine.BookAsync(people[1], hall, slot, null, null)));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == people[0].RequiredUserId() && n.MessageKey == "Booking.ExpiredNotice"));
        Assert.Equal(BookingStatus.Expired, (await db.Bookings.SingleAsync(b => b.Id == id)).Status);
    }

    [Fact]
    public async Task AnApprovedBooking_GetsOneReminderADayBefore()
    {
        var office = await NewResourceAsync(WeddingServiceKind.RegistrationAppointment, capacity: 4);
        var person = (await NewResidentsAsync(1))[0];
        var slot = At(NextWeekday(Today.AddDays(3)), 10);
        await Engine.BookAsync(person, office, slot, null, null);
        var sweeps = _host.Scoped<BookingSweeps>();

        _host.Clock.AdjustTime(new DateTimeOffset(slot.AddHours(-25), TimeSpan.Zero));
        Assert.Equal(0, await sweeps.SendRemindersAsync(Now));
        _host.Clock.Advance(TimeSpan.FromHours(2));
        var twice = await Task.WhenAll(Task.Run(() => _host.Scoped<BookingSweeps>().SendRemindersAsync(Now)), Task.Run(() => _host.Scoped<BookingSweeps>().SendRemindersAsync(Now)));
        Assert.Equal(1, twice.Sum());
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == person.RequiredUserId() && n.MessageKey == "Booking.ReminderNotice"));
    }

    [Fact]
    public async Task AVoucher_IsGoodOnlyAsIssued_AndMarksArrivalOnceOnTheDay()
    {
        var office = await NewResourceAsync(WeddingServiceKind.RegistrationAppointment, capacity: 4);
        var person = (await NewResidentsAsync(1))[0];
        var organizer = _city.Organizer.Principal;
        var slot = At(NextWeekday(Today.AddDays(3)), 10);
        await Engine.BookAsync(person, office, slot, null, null);
        var token = (await Engine.MineAsync(person)).Single().VoucherToken!;
        var vouchers = _host.Get<BookingVouchers>();

        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = 0; i < token.Length; i++)
        {
            foreach (var c in alphabet.Where(c => c != token[i]))
            {
                Assert.False(vouchers.TryVerify(token[..i] + c + token[(i + 1)..], out _));
            }
        }

        Assert.False(vouchers.TryVerify(token[..^1], out _));
        Assert.False(vouchers.TryVerify(token + "A", out _));
        Assert.True(vouchers.TryVerify("https://example.org/bookings/vouchers/" + token, out _));
        Assert.Null(await Reviews.DescribeVoucherAsync(organizer, "not a voucher"));
        Assert.False((await Reviews.DescribeVoucherAsync(organizer, token))!.MayMarkArrival);
        Assert.Equal("Booking.ArriveTooEarly", await TryAsync(() => Reviews.ArriveAsync(organizer, token)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reviews.ArriveAsync(person, token));

        _host.Clock.AdjustTime(new DateTimeOffset(slot.AddMinutes(-10), TimeSpan.Zero));
        Assert.True((await Reviews.DescribeVoucherAsync(organizer, token))!.MayMarkArrival);
        await Reviews.ArriveAsync(organizer, token);
        Assert.Equal("Booking.AlreadyArrived", await TryAsync(() => Reviews.ArriveAsync(organizer, token)));
        Assert.Equal(BookingStatus.Completed, (await Engine.MineAsync(person)).Single().Status);
    }

    [Fact]
    public async Task ALotteryDate_CollectsEntriesWithoutHoldingSlots_ThenOneDrawGivesEachSlotToTheSmallestTicket()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall);
        var people = await NewResidentsAsync(8);
        var day = Today.AddDays(30);
        await using (var db = _host.NewDb())
        {
            db.LotteryDates.Add(LotteryDate.Create(day, Now.AddDays(10), Time.ToUtc(day.ToDateTime(TimeOnly.MinValue)), Now));
            await db.SaveChangesAsync();
        }

        var morning = At(day, 8);
        var afternoon = At(day, 13);
        foreach (var p in people.Take(5))
        {
            await Engine.BookAsync(p, hall, morning, null, null);
        }

        foreach (var p in people.Skip(5))
        {
            await Engine.BookAsync(p, hall, afternoon, null, null);
        }

        Assert.Equal("Booking.HouseholdLimit", await TryAsync(() => Engine.BookAsync(people[0], hall, afternoon, null, null)));
        var slots = (await Engine.AvailabilityAsync(hall, day, 1)).Days.Single().Slots;
        Assert.All(slots, s => Assert.Equal(SlotState.Lottery, s.State));
        await using (var db = _host.NewDb())
        {
            Assert.Equal(0, await db.SlotClaims.CountAsync(c => c.ResourceId == hall));
        }

        _host.Clock.Advance(TimeSpan.FromDays(10));
        var latecomer = (await NewResidentsAsync(1, first: 50))[0];
        Assert.Equal("Lottery.DrawPending", await TryAsync(() => Engine.BookAsync(latecomer, hall, morning, null, null)));
        await _host.Scoped<BookingSweeps>().RunAsync(Now);
        await _host.Scoped<BookingSweeps>().RunAsync(Now); // a second run draws nothing more

        await using var check = _host.NewDb();
        var lottery = await check.LotteryDates.SingleAsync(l => l.Date == day);
        var entries = await check.Bookings.Where(b => b.ResourceId == hall).ToListAsync();
        foreach (var slot in entries.GroupBy(b => b.SlotStartUtc))
        {
            var winner = Assert.Single(slot, b => b.Status == BookingStatus.Requested);
            Assert.All(slot.Where(b => b != winner), b => Assert.Equal(BookingStatus.LostLottery, b.Status));
            Assert.Equal(LotteryDraw.Winner(lottery.Seed!.Value, slot.Select(b => b.Id).Reverse()), winner.Id);
            Assert.Equal(10, await check.SlotClaims.CountAsync(c => c.BookingId == winner.Id));
        }

        var audit = await check.AuditEntries.SingleAsync(a => a.Action == "lottery.drawn" && a.EntityId == lottery.Id.ToString());
        Assert.Contains(lottery.Seed!.Value.ToString(), audit.After);
        Assert.Equal(6, await check.Notifications.CountAsync(n => n.MessageKey == "Lottery.LostNotice"));
        Assert.Equal(2, await check.Notifications.CountAsync(n => n.MessageKey == "Lottery.WonNotice"));
    }

    [Fact]
    public async Task ADrawRacingSixtyEntries_DrawsEveryEntryThatGotIn_AndTheRestAreRefused()
    {
        // Decision 0014, rule 33: an entry in flight when the draw starts either commits before the draw reads the
        // entries (and is drawn) or is refused; none is left "in the lottery" on a drawn date. The entries' clock reads
        // just before the deadline and the draw's the deadline itself: the last second of the collection.
        var halls = new[] { await NewResourceAsync(WeddingServiceKind.CeremonyHall), await NewResourceAsync(WeddingServiceKind.CeremonyHall, name: "第二礼堂") };
        var people = await NewResidentsAsync(60);
        var day = Today.AddDays(30);
        int lotteryId;
        await using (var db = _host.NewDb())
        {
            var date = LotteryDate.Create(day, Now.AddSeconds(1), Time.ToUtc(day.ToDateTime(TimeOnly.MinValue)), Now);
            db.LotteryDates.Add(date);
            await db.SaveChangesAsync();
            lotteryId = date.Id;
        }

        var slots = new[] { At(day, 8), At(day, 13) };
        var entered = 0;
        var drawNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entries = people.Select((p, i) => Task.Run(async () =>
        {
            var outcome = await TryAsync(() => _host.Scoped<BookingService>().BookAsync(p, halls[i % 2], slots[i / 2 % 2], null, null));
            if (Interlocked.Increment(ref entered) == 10)
            {
                drawNow.SetResult();
            }

            return outcome;
        })).ToList();
        await drawNow.Task;
        var seed = await _host.Scoped<BookingSweeps>().DrawAsync(lotteryId, Now.AddSeconds(1));
        var outcomes = await Task.WhenAll(entries);

        Assert.NotNull(seed);
        Assert.All(outcomes, o => Assert.Contains(o, new[] { "ok", "Booking.SlotRulesChanged", "Booking.SlotTaken" }));
        await using var check = _host.NewDb();
        var bookings = await check.Bookings.Where(b => halls.Contains(b.ResourceId)).ToListAsync();
        Assert.Equal(outcomes.Count(o => o == "ok"), bookings.Count);
        Assert.DoesNotContain(bookings, b => b.Status == BookingStatus.InLottery);
        foreach (var slot in bookings.GroupBy(b => (b.ResourceId, b.SlotStartUtc)))
        {
            Assert.Single(slot, b => b.Status == BookingStatus.Requested);
            Assert.All(slot.Where(b => b.Status != BookingStatus.Requested), b => Assert.Equal(BookingStatus.LostLottery, b.Status));
        }
    }

    [Fact]
    public async Task AWeddingPlan_BooksAllFourParts_OrNothing_AndOffersOtherSlotsForThePartThatFailed()
    {
        var hall = await NewResourceAsync(WeddingServiceKind.CeremonyHall);
        var steward = await NewResourceAsync(WeddingServiceKind.FolkSteward);
        var counselling = await NewResourceAsync(WeddingServiceKind.CounselingSession, capacity: 20);
        var office = await NewResourceAsync(WeddingServiceKind.RegistrationAppointment, capacity: 4);
        var people = await NewResidentsAsync(3);
        var planner = _host.Scoped<WeddingPlanner>();
        var wedding = Today.AddDays(20);
        var registrationDay = NextWeekday(Today.AddDays(8));
        PlanRequest Plan(DateOnly weddingDay) => new(
            new PlanPart(hall, At(weddingDay, 8)), new PlanPart(steward, At(weddingDay, 8)),
            new PlanPart(counselling, At(registrationDay.AddDays(-1), 8)), new PlanPart(office, At(registrationDay, 9)), "孙丽", null);

        // Someone else holds the hall that morning: nothing of the plan is held, the hall is named, other slots offered.
        await Engine.BookAsync(people[1], hall, At(wedding, 8), null, null);
        var failed = await planner.BookAsync(people[0], Plan(wedding));
        Assert.False(failed.Succeeded);
        Assert.Equal((WeddingServiceKind.CeremonyHall, "Booking.SlotTaken"), (failed.Failure!.Part, failed.Failure.Code));
        Assert.Contains(failed.Failure.Alternatives, a => a.ResourceId == hall && a.StartUtc == At(wedding, 13));
        Assert.Empty(await Engine.MineAsync(people[0]));
        await using (var db = _host.NewDb())
        {
            Assert.Equal(0, await db.SlotCounts.Where(c => c.ResourceId == counselling || c.ResourceId == office).SumAsync(c => c.Taken));
            Assert.Equal(0, await db.SlotClaims.CountAsync(c => c.ResourceId == steward));
        }

        // Rules between the parts.
        var apart = Plan(wedding.AddDays(1)) with { Steward = new PlanPart(steward, At(wedding.AddDays(2), 8)) };
        Assert.Equal("Plan.StewardSameDay", (await planner.BookAsync(people[0], apart)).Failure!.Code);
        var late = Plan(wedding.AddDays(1)) with { Counseling = new PlanPart(counselling, At(registrationDay.AddDays(1), 8)) };
        Assert.Equal("Plan.CounselingFirst", (await planner.BookAsync(people[0], late)).Failure!.Code);

        var booked = await planner.BookAsync(people[0], Plan(wedding.AddDays(1)));
        Assert.True(booked.Succeeded);
        var mine = await Engine.MineAsync(people[0]);
        Assert.Equal(4, mine.Count);
        Assert.All(mine, b => Assert.Equal(booked.PlanId, b.PlanId));
        WeddingServiceKind[] parts = [WeddingServiceKind.CeremonyHall, WeddingServiceKind.FolkSteward, WeddingServiceKind.CounselingSession, WeddingServiceKind.RegistrationAppointment];
        Assert.Equal(parts.Order(), mine.Select(b => b.Kind).Order());
    }

    private DateTime At(DateOnly day, int hour, int minute = 0) => Time.ToUtc(day.ToDateTime(new TimeOnly(hour, minute)));

    private static DateOnly NextWeekday(DateOnly day)
    {
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static async Task<string> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return "ok";
        }
        catch (DomainException ex)
        {
            return ex.Code;
        }
    }

    /// <summary>A resource of the test community with the kind's default rules; halls 08:00–20:00 in 4-hour slots with an hour of cleaning.</summary>
    private async Task<int> NewResourceAsync(WeddingServiceKind kind, int capacity = 1, string blackout = "", int? notice = null, string? name = null)
    {
        await using var db = _host.NewDb();
        var node = await db.OrgNodes.SingleAsync(n => n.Name == "东湖社区");
        var everyDay = Enum.GetValues<DayOfWeek>();
        var (hours, slot, buffer) = kind switch
        {
            WeddingServiceKind.CeremonyHall => (WeeklyHours.Uniform(new(8, 0), new(20, 0), everyDay), 240, 60),
            WeddingServiceKind.FolkSteward => (WeeklyHours.Uniform(new(8, 0), new(20, 0), everyDay), 720, 0),
            WeddingServiceKind.RegistrationAppointment => (WeeklyHours.Uniform(new(9, 0), new(17, 0), DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday), 30, 0),
            WeddingServiceKind.CounselingSession => (WeeklyHours.Uniform(new(8, 0), new(21, 0), everyDay), 120, 0),
            _ => (WeeklyHours.Uniform(new(9, 0), new(18, 0), everyDay), 540, 0),
        };
        var rules = BookingRules.DefaultFor(kind);
        var resource = WeddingResource.Create(new WeddingResourceDetails
        {
            Kind = kind,
            Name = name ?? $"测试{kind}",
            OrgNodeId = node.Id,
            Hours = hours.ToString(),
            SlotMinutes = slot,
            BufferMinutes = buffer,
            Capacity = capacity,
            BlackoutDates = blackout,
            PriceCapYuan = kind == WeddingServiceKind.AlliancePackage ? 999 : null,
            Rules = notice is { } n ? rules with { MinNoticeDays = n } : rules,
        }, node.Path, Now);
        db.WeddingResources.Add(resource);
        await db.SaveChangesAsync();
        return resource.Id;
    }

    private async Task<List<ClaimsPrincipal>> NewResidentsAsync(int count, int first = 1)
    {
        await using var db = _host.NewDb();
        var cell = await db.OrgNodes.Where(n => n.Name == "第一网格").Select(n => n.Id).FirstAsync();
        var users = Enumerable.Range(first, count).Select(i => new AppUser
        {
            UserName = $"136{i:D8}",
            NormalizedUserName = $"136{i:D8}",
            PhoneNumber = $"136{i:D8}",
            RealName = $"测试居民{i}",
            OrgNodeId = cell,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAtUtc = Now,
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return [.. users.Select(u => Principals.For(u.Id, u.RealName))];
    }
}
