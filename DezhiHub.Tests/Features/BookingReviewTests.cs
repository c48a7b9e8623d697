using System.Globalization;
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
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The staff side of bookings on real SQLite: who sees which requests, who may approve, decline, close and scan them,
/// what the resident is told, and what two reviewers acting at once end up with. Clock: Friday 2026-11-27 09:00 local.
/// </summary>
public sealed class BookingReviewTests : IAsyncLifetime
{
    private const string EveryDay = "09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00";

    private FeatureHost _host = null!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task APartner_SeesAndReviewsOnlyTheirOwnServices()
    {
        var partner = _city.Partner.Principal;
        var package = await ResourceAsync("喜乐婚庆·简约婚礼套餐（审核测试）", "测试区", WeddingServiceKind.AlliancePackage, providerUserId: partner.RequiredUserId());
        var hall = await ResourceAsync("红星礼堂（审核测试）");
        var packageBooking = await BookAsync(_city.Resident.Phone, package, Local(12, 10, 9));
        var hallBooking = await BookAsync(_city.Resident.Phone, hall, Local(12, 5, 9));
        var service = Reviews();

        var queue = await service.ReviewQueueAsync(partner, new ReviewFilter(), 0, 500);
        var resources = await service.ReviewableResourcesAsync(partner);

        var mine = Assert.Single(queue.Items, i => i.Id == packageBooking);
        Assert.DoesNotContain(queue.Items, i => i.Id == hallBooking);
        Assert.Contains(resources, r => r.Id == package);
        Assert.DoesNotContain(resources, r => r.Id == hall);
        Assert.Equal(_city.Resident.Name, mine.ApplicantName);
        Assert.Equal($"{_city.Resident.Phone[..3]}****{_city.Resident.Phone[^4..]}", mine.ApplicantPhoneMasked);

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ApproveAsync(partner, hallBooking));
        await service.ApproveAsync(partner, packageBooking);

        Assert.Equal(BookingStatus.Requested, await StatusAsync(hallBooking));
        Assert.Equal(BookingStatus.Approved, await StatusAsync(packageBooking));
    }

    [Fact]
    public async Task APartnerWhoLostTheRole_NoLongerReviewsTheirPackage_ButAStewardNeedsNoRole()
    {
        var partner = _city.Partner.Principal;
        var package = await ResourceAsync("喜乐婚庆·套餐（角色测试）", "测试区", WeddingServiceKind.AlliancePackage, providerUserId: partner.RequiredUserId());
        var booking = await BookAsync(_city.Resident.Phone, package, Local(12, 10, 9));
        // The same account after an admin took the Partner role away (the cookie is re-issued without it).
        var former = Principals.For(partner.RequiredUserId(), "former partner", Roles.Volunteer);
        var service = Reviews();

        Assert.DoesNotContain((await service.ReviewQueueAsync(former, new ReviewFilter(), 0, 500)).Items, i => i.Id == booking);
        Assert.DoesNotContain(await service.ReviewableResourcesAsync(former), r => r.Id == package);
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ApproveAsync(former, booking));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.DeclineAsync(former, booking, "不做了"));
        Assert.Equal(BookingStatus.Requested, await StatusAsync(booking));

        // A folk steward is any account the organizer names: their own service stays theirs without a role.
        var steward = Principals.For((_city.Volunteer.Principal).RequiredUserId(), "steward", Roles.Volunteer);
        var stewardService = await ResourceAsync("民俗司仪（角色测试）", "东湖社区", WeddingServiceKind.FolkSteward, providerUserId: steward.RequiredUserId());
        var stewardBooking = await BookAsync(_city.Resident.Phone, stewardService, Local(12, 11, 9));
        Assert.Contains((await service.ReviewQueueAsync(steward, new ReviewFilter(), 0, 500)).Items, i => i.Id == stewardBooking);
        await service.ApproveAsync(steward, stewardBooking);
        Assert.Equal(BookingStatus.Approved, await StatusAsync(stewardBooking));
    }

    [Fact]
    public async Task AnOrganizerOutsideTheSubtree_IsRefusedEveryAction_AndTheBookingIsUnchanged()
    {
        var hall = await ResourceAsync("红星礼堂（越权测试）");
        var requested = await BookAsync(_city.Resident.Phone, hall, Local(12, 5, 9));
        var approved = await BookAsync(_city.Volunteer.Phone, hall, Local(11, 28, 9));
        var hongxing = _city.Organizer.Principal;
        await Reviews().ApproveAsync(hongxing, approved);
        _host.Clock.Advance(TimeSpan.FromDays(1)); // Saturday 28th, 09:00: the approved slot has begun
        var heping = _city.OtherOrganizer.Principal;
        var service = Reviews();
        var voucher = _host.Get<BookingVouchers>().Issue(approved);

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ApproveAsync(heping, requested));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.DeclineAsync(heping, requested, "不在本社区"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.CloseAsync(heping, approved, cameAlong: true));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.DescribeVoucherAsync(heping, voucher));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ArriveAsync(heping, voucher));

        Assert.DoesNotContain((await service.ReviewQueueAsync(heping, new ReviewFilter(), 0, 500)).Items, i => i.ResourceId == hall);
        Assert.DoesNotContain(await service.ReviewableResourcesAsync(heping), r => r.Id == hall);
        Assert.Equal(BookingStatus.Requested, await StatusAsync(requested));
        Assert.Equal(BookingStatus.Approved, await StatusAsync(approved));
        await using var db = _host.NewDb();
        Assert.Null((await db.Bookings.SingleAsync(b => b.Id == approved)).ArrivedAtUtc);

        // The hall's own organizer may do what the other could not.
        var view = await service.DescribeVoucherAsync(hongxing, voucher);
        Assert.NotNull(view);
        Assert.True(view.MayMarkArrival);
        Assert.Equal("志*者", view.ApplicantNameMasked); // the volunteer, 志愿者
        await service.ArriveAsync(hongxing, voucher);
        Assert.Equal(BookingStatus.Completed, await StatusAsync(approved));
    }

    [Fact]
    public async Task Declining_NeedsAReason_TellsTheResident_AndFreesTheSlotForTheNextCouple()
    {
        var hall = await ResourceAsync("红星礼堂（拒绝测试）");
        var slot = Local(12, 12, 13);
        var booking = await BookAsync(_city.Resident.Phone, hall, slot);
        var organizer = _city.Organizer.Principal;
        var service = Reviews();

        var missing = await Assert.ThrowsAsync<DomainException>(() => service.DeclineAsync(organizer, booking, "   "));
        Assert.Equal("Booking.ReasonRequired", missing.Code);
        Assert.Equal(BookingStatus.Requested, await StatusAsync(booking));
        var taken = await Assert.ThrowsAsync<DomainException>(() => BookAsync(_city.Volunteer.Phone, hall, slot));
        Assert.Equal("Booking.SlotTaken", taken.Code);

        await service.DeclineAsync(organizer, booking, "  当天礼堂线路检修  ");

        await using (var db = _host.NewDb())
        {
            var declined = await db.Bookings.SingleAsync(b => b.Id == booking);
            Assert.Equal(BookingStatus.Declined, declined.Status);
            Assert.Equal("当天礼堂线路检修", declined.DecisionReason);
            var notice = Assert.Single(await db.Notifications.Where(n => n.UserId == declined.ApplicantUserId && n.MessageKey == "Booking.DeclinedNotice").ToListAsync());
            Assert.Equal("红星礼堂（拒绝测试）", notice.Args[0]);
            Assert.Equal("当天礼堂线路检修", notice.Args[2]);
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "booking.declined" && a.EntityId == booking.ToString(CultureInfo.InvariantCulture)));
        }

        // The same slot is free again: another couple books it.
        var next = await BookAsync(_city.Volunteer.Phone, hall, slot);
        Assert.Equal(BookingStatus.Requested, await StatusAsync(next));
    }

    [Fact]
    public async Task Approving_TellsTheResident_AndMovesTheBookingOutOfTheRequestsQueue()
    {
        var hall = await ResourceAsync("红星礼堂（通过测试）");
        var booking = await BookAsync(_city.Resident.Phone, hall, Local(12, 19, 9));
        var organizer = _city.Organizer.Principal;
        var service = Reviews();
        var requests = new ReviewFilter(Status: BookingStatus.Requested, ResourceId: hall);
        Assert.Single((await service.ReviewQueueAsync(organizer, requests)).Items);

        await service.ApproveAsync(organizer, booking);

        Assert.Empty((await service.ReviewQueueAsync(organizer, requests)).Items);
        var approved = Assert.Single((await service.ReviewQueueAsync(organizer, requests with { Status = BookingStatus.Approved })).Items);
        Assert.Equal(booking, approved.Id);
        await using var db = _host.NewDb();
        var resident = await db.Users.SingleAsync(u => u.PhoneNumber == _city.Resident.Phone);
        var notice = Assert.Single(await db.Notifications.Where(n => n.UserId == resident.Id && n.MessageKey == "Booking.ApprovedNotice").ToListAsync());
        Assert.Equal("红星礼堂（通过测试）", notice.Args[0]);
        Assert.Equal("/bookings", notice.Link);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "booking.approved" && a.EntityId == booking.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(
            [BookingStatus.Requested, BookingStatus.Approved],
            await db.BookingEvents.Where(e => e.BookingId == booking).OrderBy(e => e.Id).Select(e => e.Status).ToListAsync());

        var again = await Assert.ThrowsAsync<DomainException>(() => service.ApproveAsync(organizer, booking));
        Assert.Equal("Booking.WrongState", again.Code);
        Assert.Equal("当前状态（已通过）下不能进行此操作。", Strings().Refusal(again).Value);
    }

    [Fact]
    public async Task TwoReviewersAtOnce_OneWins_AndTheOtherIsToldTheBookingChanged()
    {
        var hall = await ResourceAsync("红星礼堂（并发审核）");
        var booking = await BookAsync(_city.Resident.Phone, hall, Local(12, 26, 9));
        var organizer = _city.Organizer.Principal;
        var admin = _city.Admin.Principal;

        // Hold writes to the bookings back while both reviewers read the request, so both decide on "Requested" and
        // then queue to write: the race two people at two desks would run.
        Task approve, decline;
        // Each reviewer reads the booking, decides, then begins its transaction to write (which then waits for the lock).
        var bothWriting = _host.Commands.WhenStartedAsync(sql => sql == CommandProbe.BeginTransaction, 2);
        await using (await WriteLock.HoldAsync(_host, "Bookings"))
        {
            approve = Task.Run(() => Reviews().ApproveAsync(organizer, booking));
            decline = Task.Run(() => Reviews().DeclineAsync(admin, booking, "同一天已有其他安排"));
            await bothWriting.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var outcomes = await Task.WhenAll(Outcome(approve), Outcome(decline));

        Assert.Single(outcomes, o => o is null);
        var refusal = Assert.IsType<DomainException>(Assert.Single(outcomes, o => o is not null));
        Assert.Equal("Booking.Changed", refusal.Code);
        var winner = outcomes[0] is null ? BookingStatus.Approved : BookingStatus.Declined;
        Assert.Equal(winner, await StatusAsync(booking));
        await using var check = _host.NewDb();
        Assert.Equal(2, await check.BookingEvents.CountAsync(e => e.BookingId == booking));
        var resident = await check.Users.SingleAsync(u => u.PhoneNumber == _city.Resident.Phone);
        Assert.Single(await check.Notifications.Where(n => n.UserId == resident.Id
            && (n.MessageKey == "Booking.ApprovedNotice" || n.MessageKey == "Booking.DeclinedNotice")).ToListAsync());
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => (a.Action == "booking.approved" || a.Action == "booking.declined")
            && a.EntityId == booking.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Closing_WaitsForTheSlotToBegin_ThenRecordsCompletedOrNoShow()
    {
        var hall = await ResourceAsync("红星礼堂（结束测试）");
        var morning = await BookAsync(_city.Resident.Phone, hall, Local(11, 29, 9));
        var afternoon = await BookAsync(_city.Volunteer.Phone, hall, Local(11, 29, 13));
        var requested = await BookAsync(_city.Admin.Phone, hall, Local(11, 30, 9));
        var organizer = _city.Organizer.Principal;
        var service = Reviews();
        await service.ApproveAsync(organizer, morning);
        await service.ApproveAsync(organizer, afternoon);

        var early = await Assert.ThrowsAsync<DomainException>(() => service.CloseAsync(organizer, morning, cameAlong: true));
        Assert.Equal("Booking.NotStartedYet", early.Code);
        Assert.Equal(BookingStatus.Approved, await StatusAsync(morning));

        _host.Clock.SetUtcNow(new DateTimeOffset(Local(11, 29, 14), TimeSpan.Zero));
        await service.CloseAsync(organizer, morning, cameAlong: true);
        await service.CloseAsync(organizer, afternoon, cameAlong: false);
        var notApproved = await Assert.ThrowsAsync<DomainException>(() => service.CloseAsync(organizer, requested, cameAlong: true));

        Assert.Equal(BookingStatus.Completed, await StatusAsync(morning));
        Assert.Equal(BookingStatus.NoShow, await StatusAsync(afternoon));
        Assert.Equal("Booking.WrongState", notApproved.Code);
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "booking.no-show" && a.EntityId == afternoon.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task TheQueue_FiltersByKindStatusServiceAndDates_AndPages()
    {
        var north = await ResourceAsync("红星北礼堂（筛选测试）");
        var south = await ResourceAsync("红星南礼堂（筛选测试）");
        var steward = await ResourceAsync("红星总管（筛选测试）", kind: WeddingServiceKind.FolkSteward);
        var a = await BookAsync(_city.Resident.Phone, north, Local(12, 5, 9));
        var b = await BookAsync(_city.Volunteer.Phone, north, Local(12, 6, 9));
        var c = await BookAsync(_city.Resident.Phone, south, Local(12, 20, 13));
        var d = await BookAsync(_city.Resident.Phone, steward, Local(12, 5, 9));
        var organizer = _city.Organizer.Principal;
        var service = Reviews();
        await service.ApproveAsync(organizer, b);
        var ours = new HashSet<int> { a, b, c, d };

        async Task<List<int>> IdsAsync(ReviewFilter filter) =>
            [.. (await service.ReviewQueueAsync(organizer, filter, 0, 500)).Items.Select(i => i.Id).Where(ours.Contains)];

        Assert.Equal([a, c], await IdsAsync(new ReviewFilter(WeddingServiceKind.CeremonyHall, BookingStatus.Requested)));
        Assert.Equal([d], await IdsAsync(new ReviewFilter(WeddingServiceKind.FolkSteward)));
        Assert.Equal([a, b], await IdsAsync(new ReviewFilter(ResourceId: north)));
        Assert.Equal([a, d, b], await IdsAsync(new ReviewFilter(From: new DateOnly(2026, 12, 5), To: new DateOnly(2026, 12, 6))));
        Assert.Equal([c], await IdsAsync(new ReviewFilter(From: new DateOnly(2026, 12, 7))));

        // Requests come first (soonest slot first), then the rest; a page is a slice of that order.
        var filter = new ReviewFilter(ResourceId: north);
        var first = await service.ReviewQueueAsync(organizer, filter, 0, 1);
        var second = await service.ReviewQueueAsync(organizer, filter, 1, 1);
        Assert.Equal(2, first.Total);
        Assert.Equal(a, Assert.Single(first.Items).Id);
        Assert.Equal(b, Assert.Single(second.Items).Id);
    }

    private BookingService Bookings() => _host.Scoped<BookingService>();

    private BookingReviewService Reviews() => _host.Scoped<BookingReviewService>();

    private IStringLocalizer<Strings> Strings()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        return _host.Get<IStringLocalizer<Strings>>();
    }

    /// <summary>A local (deployment-zone) wall-clock time in 2026, as UTC.</summary>
    private DateTime Local(int month, int day, int hour) => _host.Get<DisplayTime>().ToUtc(new DateTime(2026, month, day, hour, 0, 0));

    /// <summary>A resource open every day 09:00–17:00 in two four-hour slots, bookable from today, many per household.</summary>
    private async Task<int> ResourceAsync(string name, string org = "东湖社区", WeddingServiceKind kind = WeddingServiceKind.CeremonyHall, int? providerUserId = null)
    {
        await using var db = _host.NewDb();
        var node = await db.OrgNodes.SingleAsync(n => n.Name == org);
        var resource = WeddingResource.Create(
            new WeddingResourceDetails
            {
                Kind = kind,
                Name = name,
                Location = "红星社区党群服务中心",
                OrgNodeId = node.Id,
                ProviderUserId = providerUserId,
                PriceCapYuan = kind == WeddingServiceKind.AlliancePackage ? 3000 : null,
                Hours = EveryDay,
                SlotMinutes = 240,
                Rules = new BookingRules { MinNoticeDays = 0, MaxAdvanceDays = 180, HouseholdLimit = 20, CancelCutoffHours = 24 },
            },
            node.Path,
            _host.Clock.GetUtcNow().UtcDateTime);
        db.WeddingResources.Add(resource);
        await db.SaveChangesAsync();
        return resource.Id;
    }

    private async Task<int> BookAsync(string phone, int resourceId, DateTime slotStartUtc) =>
        await Bookings().BookAsync(await _host.SignInAsAsync(phone), resourceId, slotStartUtc, "王芳", "想借用音响");

    private async Task<BookingStatus> StatusAsync(int bookingId)
    {
        await using var db = _host.NewDb();
        return await db.Bookings.Where(b => b.Id == bookingId).Select(b => b.Status).SingleAsync();
    }

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
