using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The wedding services catalogue, the lottery dates and the pledge items on real SQLite: managers act only inside
/// their subtree, a package needs a Partner, broken rules are refused all at once with nothing saved, retiring keeps
/// the bookings, lottery dates follow their rules, pledge items are the Admin's, and every change is audited.
/// </summary>
public sealed class WeddingCatalogTests : IAsyncLifetime
{
    private const string EveryDay = "08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00";

    private FeatureHost _host = default!;
    private TestCity _city = default!;
    private int _hongxing;
    private int _heping;
    private ClaimsPrincipal? _resident;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        _hongxing = _city.Community.Id;
        _heping = _city.OtherCommunity.Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private WeddingCatalog Catalog => _host.Scoped<WeddingCatalog>();

    private LotteryDateCatalog Lotteries => _host.Scoped<LotteryDateCatalog>();

    private PledgeItemCatalog Pledges => _host.Scoped<PledgeItemCatalog>();

    private DisplayTime Time => _host.Get<DisplayTime>();

    private DateOnly Today => DateOnly.FromDateTime(Time.LocalNow);

    // ----- Scope -----

    [Fact]
    public async Task AnOrganizer_CreatesInTheirSubtree_ButNotOutside_AndCannotTouchAnotherCommunitysService()
    {
        var hongxing = await SignInAsync(_city.Organizer.Phone);
        var heping = await SignInAsync(_city.OtherOrganizer.Phone);
        var before = await ResourceCountAsync();

        var own = await Catalog.CreateAsync(hongxing, Hall("红星婚礼堂", _hongxing));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.CreateAsync(hongxing, Hall("越界礼堂", _heping)));

        Assert.Equal(before + 1, await ResourceCountAsync());
        Assert.Contains(await Catalog.ResourcesAsync(hongxing), r => r.Id == own);
        Assert.DoesNotContain(await Catalog.ResourcesAsync(heping), r => r.Id == own);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.GetForEditAsync(heping, own));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.UpdateAsync(heping, own, Hall("改名", _heping)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.RetireAsync(heping, own));
        // Nor can its own organizer move it out of their subtree.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.UpdateAsync(hongxing, own, Hall("红星婚礼堂", _heping)));

        var stored = await ResourceAsync(own);
        Assert.Equal(("红星婚礼堂", _hongxing, false), (stored.Name, stored.OrgNodeId, stored.IsRetired));
        // The Admin sees it, and both communities' services.
        var all = await Catalog.ResourcesAsync(await SignInAsync(_city.Admin.Phone));
        Assert.Contains(all, r => r.Id == own);
    }

    [Theory]
    [InlineData(nameof(TestCity.Resident))]
    [InlineData(nameof(TestCity.Volunteer))]
    [InlineData(nameof(TestCity.Partner))]
    public async Task SomeoneWhoManagesNoNode_IsRefusedEverywhere(string who)
    {
        var phone = _city[who].Phone;
        var user = await SignInAsync(phone);
        var before = await ResourceCountAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.ResourcesAsync(user));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.CreateAsync(user, Hall("礼堂", _hongxing)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.PartnersAsync(user));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.FindAccountAsync(user, _city.Resident.Phone));

        Assert.Equal(before, await ResourceCountAsync());
    }

    [Fact]
    public async Task TheList_FiltersByKind_HidesRetiredUnlessAsked_AndCountsUpcomingBookings()
    {
        var organizer = await SignInAsync(_city.Organizer.Phone);
        var hall = await Catalog.CreateAsync(organizer, Hall("花园礼堂", _hongxing));
        var registration = await Catalog.CreateAsync(organizer, Hall("登记处", _hongxing) with
        {
            Kind = WeddingServiceKind.RegistrationAppointment,
            Seats = null,
            SlotMinutes = 30,
            Capacity = 5,
            Rules = BookingRules.DefaultFor(WeddingServiceKind.RegistrationAppointment),
        });
        var retired = await Catalog.CreateAsync(organizer, Hall("旧礼堂", _hongxing));
        await Catalog.RetireAsync(organizer, retired);
        await BookHallAsync(hall, Today.AddDays(10));

        var halls = await Catalog.ResourcesAsync(organizer, WeddingServiceKind.CeremonyHall);

        Assert.All(halls, r => Assert.Equal(WeddingServiceKind.CeremonyHall, r.Kind));
        Assert.DoesNotContain(halls, r => r.Id == registration || r.Id == retired);
        var listed = Assert.Single(halls, r => r.Id == hall);
        Assert.Equal((1, 1, "东湖社区"), (listed.Upcoming, listed.AwaitingReview, listed.OrgName));
        var withRetired = await Catalog.ResourcesAsync(organizer, WeddingServiceKind.CeremonyHall, includeRetired: true);
        Assert.True(Assert.Single(withRetired, r => r.Id == retired).IsRetired);
        Assert.Contains(await Catalog.ResourcesAsync(organizer, WeddingServiceKind.RegistrationAppointment), r => r.Id == registration);
    }

    // ----- Providers -----

    [Fact]
    public async Task APackage_NeedsAPartnerAccount_AStewardAnyAccount_AndAHallNone()
    {
        var admin = await SignInAsync(_city.Admin.Phone);
        var partner = _city.Partner.Id;
        var resident = _city.Resident.Id;
        var before = await ResourceCountAsync();

        var none = await RefusedAsync(() => Catalog.CreateAsync(admin, Package(null)));
        var notPartner = await RefusedAsync(() => Catalog.CreateAsync(admin, Package(resident)));
        var package = await Catalog.CreateAsync(admin, Package(partner));

        Assert.Contains(new FieldRefusal("ProviderUserId", "Wedding.PartnerRequired"), none.Errors);
        Assert.Contains(new FieldRefusal("ProviderUserId", "WeddingCatalog.PartnerInvalid"), notPartner.Errors);
        Assert.Equal(partner, (await ResourceAsync(package)).ProviderUserId);
        Assert.Equal(before + 1, await ResourceCountAsync());

        // A steward may be any account, or none (then the organizers confirm); never an account that does not exist.
        var steward = await Catalog.CreateAsync(admin, Steward(resident));
        var unnamed = await Catalog.CreateAsync(admin, Steward(null));
        var ghost = await RefusedAsync(() => Catalog.CreateAsync(admin, Steward(999_999)));
        Assert.Equal(resident, (await ResourceAsync(steward)).ProviderUserId);
        Assert.Null((await ResourceAsync(unnamed)).ProviderUserId);
        Assert.Equal([new FieldRefusal("ProviderUserId", "WeddingCatalog.ProviderNotFound")], ghost.Errors);

        var hallWithProvider = await RefusedAsync(() => Catalog.CreateAsync(admin, Hall("礼堂", _hongxing) with { ProviderUserId = partner }));
        Assert.Equal([new FieldRefusal("ProviderUserId", "WeddingCatalog.ProviderNotAllowed")], hallWithProvider.Errors);
        Assert.Equal(before + 3, await ResourceCountAsync());

        // The form's own lists: the Partner accounts, and an account found by a mobile number as people type it.
        Assert.Contains(await Catalog.PartnersAsync(admin), p => p.UserId == partner && p.IsPartner && p.PhoneMasked == Masked(_city.Partner.Phone));
        var typed = $"+86 {_city.Resident.Phone[..3]}-{_city.Resident.Phone[3..7]}-{_city.Resident.Phone[7..]}";
        var found = await Catalog.FindAccountAsync(admin, typed);
        Assert.Equal((resident, Masked(_city.Resident.Phone), false), (found!.UserId, found.PhoneMasked, found.IsPartner));
        Assert.Null(await Catalog.FindAccountAsync(admin, "13700000000"));
        Assert.Equal("WeddingCatalog.MobileInvalid", (await Assert.ThrowsAsync<DomainException>(() => Catalog.FindAccountAsync(admin, "12345"))).Code);
    }

    // ----- Validation -----

    [Fact]
    public async Task BrokenHoursDatesSessionsAndRules_AreRefusedAllAtOnce_WithTheirCodes_AndNothingIsSaved()
    {
        var organizer = await SignInAsync(_city.Organizer.Phone);
        var before = await ResourceCountAsync();
        var audits = await AuditCountAsync();

        var error = await RefusedAsync(() => Catalog.CreateAsync(organizer, Hall("礼堂", _hongxing) with
        {
            Name = "  ",
            Hours = "08:15-17:00,,,,,,",
            SlotMinutes = 45,
            BufferMinutes = 20,
            Sessions = "明天上午",
            BlackoutDates = "2026-12-01,2026-13-01",
            Rules = new BookingRules { MinNoticeDays = 10, MaxAdvanceDays = 5 },
        }));

        Assert.Equal(
            new[]
            {
                ("BlackoutDates", "Wedding.DatesInvalid"),
                ("BufferMinutes", "Wedding.BufferInvalid"),
                ("Hours", "Wedding.HoursInvalid"),
                ("MaxAdvanceDays", "Wedding.AdvanceInvalid"),
                ("Name", "Wedding.NameInvalid"),
                ("Sessions", "Wedding.SessionsInvalid"),
                ("SlotMinutes", "Wedding.SlotLengthInvalid"),
            },
            error.Errors.Select(e => (e.Field, e.Code)).OrderBy(e => e.Field));
        Assert.Equal(before, await ResourceCountAsync());
        Assert.Equal(audits, await AuditCountAsync());
    }

    [Theory]
    [InlineData("18:00-08:00,,,,,,", null, null, "Hours", "Wedding.HoursInvalid")]
    [InlineData("08:00-18:00,,,,,", null, null, "Hours", "Wedding.HoursInvalid")]
    [InlineData(EveryDay, "2026-12-12 11:00-09:00", null, "Sessions", "Wedding.SessionsInvalid")]
    [InlineData(EveryDay, null, "12/24/2026", "BlackoutDates", "Wedding.DatesInvalid")]
    public async Task AnUpdateWithABrokenSchedule_IsRefused_AndTheServiceStaysAsItWas(string hours, string? sessions, string? blackouts, string field, string code)
    {
        var organizer = await SignInAsync(_city.Organizer.Phone);
        var id = await Catalog.CreateAsync(organizer, Hall("礼堂", _hongxing));
        var audits = await AuditCountAsync();

        var error = await RefusedAsync(() => Catalog.UpdateAsync(organizer, id, Hall("新名字", _hongxing) with
        {
            Hours = hours,
            Sessions = sessions ?? "",
            BlackoutDates = blackouts ?? "",
        }));

        Assert.Equal([new FieldRefusal(field, code)], error.Errors);
        var stored = await ResourceAsync(id);
        Assert.Equal(("礼堂", EveryDay), (stored.Name, stored.Hours.ToString()));
        Assert.Equal(audits, await AuditCountAsync());
    }

    [Fact]
    public async Task TheKind_CannotChange_AndARetiredServiceCannotBeEdited()
    {
        var organizer = await SignInAsync(_city.Organizer.Phone);
        var id = await Catalog.CreateAsync(organizer, Hall("礼堂", _hongxing));

        var kind = await Assert.ThrowsAsync<DomainException>(() => Catalog.UpdateAsync(organizer, id, Steward(null) with { OrgNodeId = _hongxing }));
        await Catalog.RetireAsync(organizer, id);
        var retired = await Assert.ThrowsAsync<DomainException>(() => Catalog.UpdateAsync(organizer, id, Hall("复活", _hongxing)));

        Assert.Equal("Wedding.KindFixed", kind.Code);
        Assert.Equal("WeddingCatalog.RetiredNoEdit", retired.Code);
        Assert.Equal((WeddingServiceKind.CeremonyHall, "礼堂"), ((await ResourceAsync(id)).Kind, (await ResourceAsync(id)).Name));
    }

    // ----- Changes and their audit -----

    [Fact]
    public async Task CreateUpdateAndRetire_AreAudited_WithBeforeAndAfter()
    {
        var organizer = await SignInAsync(_city.Organizer.Phone);
        var id = await Catalog.CreateAsync(organizer, Hall("礼堂", _hongxing));
        var loaded = await Catalog.GetForEditAsync(organizer, id);

        await Catalog.UpdateAsync(organizer, id, loaded.Details with
        {
            Name = "红星文明婚礼堂",
            SlotMinutes = 180,
            BlackoutDates = "2027-01-01, 2026-12-31",
            Rules = loaded.Details.Rules with { RequiresApproval = false },
        });
        // Saving the same details again changes nothing and records nothing.
        await Catalog.UpdateAsync(organizer, id, (await Catalog.GetForEditAsync(organizer, id)).Details);
        await Catalog.RetireAsync(organizer, id);
        await Catalog.RetireAsync(organizer, id);

        var entries = await AuditAsync("WeddingResource", id);
        Assert.Equal(["wedding.resource-created", "wedding.resource-updated", "wedding.resource-retired"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((_hongxing, _city.Organizer.Name), (e.OrgNodeId!.Value, e.ActorName)));
        var created = Json(entries[0].After);
        Assert.Equal(("CeremonyHall", "礼堂", EveryDay, 240), (created["Kind"].GetString(), created["Name"].GetString(), created["Hours"].GetString(), created["SlotMinutes"].GetInt32()));
        Assert.Null(entries[0].Before);
        var before = Json(entries[1].Before);
        var after = Json(entries[1].After);
        Assert.Equal(("礼堂", 240, true), (before["Name"].GetString(), before["SlotMinutes"].GetInt32(), before["RequiresApproval"].GetBoolean()));
        Assert.Equal(("红星文明婚礼堂", 180, false, "2026-12-31,2027-01-01"),
            (after["Name"].GetString(), after["SlotMinutes"].GetInt32(), after["RequiresApproval"].GetBoolean(), after["BlackoutDates"].GetString()));
        // Only what changed is recorded.
        Assert.False(after.ContainsKey("Hours"));
        Assert.True(Json(entries[2].After)["IsRetired"].GetBoolean());

        var stored = await ResourceAsync(id);
        Assert.Equal(("红星文明婚礼堂", 180, false), (stored.Name, stored.SlotMinutes, stored.Rules.RequiresApproval));
        Assert.Equal([new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 1)], stored.BlackoutDates);
    }

    [Fact]
    public async Task Retiring_KeepsTheBookings_ButResidentsCanNoLongerFindOrBookTheService()
    {
        var organizer = await SignInAsync(_city.Organizer.Phone);
        var id = await Catalog.CreateAsync(organizer, Hall("即将停用的礼堂", _hongxing));
        var booking = await BookHallAsync(id, Today.AddDays(10));

        await Catalog.RetireAsync(organizer, id);

        await using (var db = _host.NewDb())
        {
            var kept = await db.Bookings.AsNoTracking().SingleAsync(b => b.Id == booking);
            Assert.Equal(BookingStatus.Requested, kept.Status);
            Assert.True(await db.SlotClaims.AnyAsync(c => c.BookingId == booking));
        }

        var bookings = _host.Scoped<BookingService>();
        Assert.DoesNotContain(await bookings.ServicesAsync(), s => s.Id == id);
        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            bookings.BookAsync(_resident!, id, Time.ToUtc(Today.AddDays(11).ToDateTime(new TimeOnly(8, 0))), "王芳", null));
        Assert.Equal("Wedding.ServiceNotFound", refused.Code);
        // The reviewer still sees the request and can decide it.
        var queue = await _host.Scoped<BookingReviewService>().ReviewQueueAsync(organizer, new ReviewFilter(ResourceId: id));
        Assert.Equal(booking, Assert.Single(queue.Items).Id);
        await _host.Scoped<BookingReviewService>().ApproveAsync(organizer, booking);

        var listed = Assert.Single(await Catalog.ResourcesAsync(organizer, includeRetired: true), r => r.Id == id);
        Assert.Equal((true, 1), (listed.IsRetired, listed.Upcoming));
        var retiredEntry = (await AuditAsync("WeddingResource", id)).Single(e => e.Action == "wedding.resource-retired");
        Assert.Equal(1, Json(retiredEntry.After)["UpcomingBookings"].GetInt32());
    }

    // ----- Lottery dates -----

    [Fact]
    public async Task ALotteryDate_TakesItsDeadlineInLocalTime_AndFollowsTheDeadlineRules()
    {
        var admin = await SignInAsync(_city.Admin.Phone);
        var date = new DateOnly(2027, 6, 18);

        var id = await Lotteries.AddAsync(admin, date, new DateTime(2027, 6, 8, 18, 0, 0));

        await using (var db = _host.NewDb())
        {
            var stored = await db.LotteryDates.AsNoTracking().SingleAsync(l => l.Id == id);
            // 18:00 in Shanghai is 10:00 UTC.
            Assert.Equal(new DateTime(2027, 6, 8, 10, 0, 0, DateTimeKind.Utc), stored.DeadlineUtc);
        }

        var row = Assert.Single(await Lotteries.ListAsync(admin), r => r.Id == id);
        Assert.Equal((date, 0, true, false, true), (row.Date, row.Entries, row.IsCollecting, row.IsDrawn, row.CanRemove));
        var audit = Assert.Single(await AuditAsync("LotteryDate", id));
        Assert.Equal(("lottery.date-added", "2027-06-18"), (audit.Action, Json(audit.After)["Date"].GetString()));

        var past = await Assert.ThrowsAsync<DomainException>(() => Lotteries.AddAsync(admin, new DateOnly(2027, 2, 14), Time.LocalNow.AddHours(-1)));
        var afterTheDay = await Assert.ThrowsAsync<DomainException>(() => Lotteries.AddAsync(admin, new DateOnly(2027, 2, 14), new DateTime(2027, 2, 14, 0, 30, 0)));
        var twice = await Assert.ThrowsAsync<DomainException>(() => Lotteries.AddAsync(admin, date, new DateTime(2027, 6, 1, 12, 0, 0)));
        Assert.Equal(("Lottery.DeadlineInvalid", "Lottery.DeadlineInvalid", "LotteryAdmin.DateExists"), (past.Code, afterTheDay.Code, twice.Code));
        // Midnight at the start of the day itself is the latest deadline allowed.
        await Lotteries.AddAsync(admin, new DateOnly(2027, 2, 14), new DateTime(2027, 2, 14, 0, 0, 0));
        Assert.Contains(await Lotteries.ListAsync(admin), r => r.Date == new DateOnly(2027, 2, 14));
    }

    [Fact]
    public async Task ALotteryDate_CanBeRemovedOnlyWithoutEntries_AndNotOnceDrawn()
    {
        var admin = await SignInAsync(_city.Admin.Phone);
        var organizer = await SignInAsync(_city.Organizer.Phone);
        var hall = await Catalog.CreateAsync(organizer, Hall("摇号礼堂", _hongxing));
        var day = Today.AddDays(30);
        var entered = await Lotteries.AddAsync(admin, day, Time.LocalNow.AddDays(10));
        var empty = await Lotteries.AddAsync(admin, day.AddDays(1), Time.LocalNow.AddDays(10));
        var entry = await BookHallAsync(hall, day);
        await using (var db = _host.NewDb())
        {
            Assert.Equal(BookingStatus.InLottery, (await db.Bookings.SingleAsync(b => b.Id == entry)).Status);
        }

        var hasEntries = await Assert.ThrowsAsync<DomainException>(() => Lotteries.RemoveAsync(admin, entered));
        await Lotteries.RemoveAsync(admin, empty);

        Assert.Equal(("LotteryAdmin.HasEntries", 1), (hasEntries.Code, (int)hasEntries.Args[0]));
        var rows = await Lotteries.ListAsync(admin);
        Assert.Equal((1, false), (Assert.Single(rows, r => r.Id == entered).Entries, rows.Single(r => r.Id == entered).CanRemove));
        Assert.DoesNotContain(rows, r => r.Id == empty);
        Assert.Equal(["lottery.date-added", "lottery.date-removed"], (await AuditAsync("LotteryDate", empty)).Select(e => e.Action));

        // A drawn date stays, whatever its entries.
        var drawn = await Lotteries.AddAsync(admin, day.AddDays(2), Time.LocalNow.AddHours(2));
        _host.Clock.Advance(TimeSpan.FromHours(3));
        await using (var db = _host.NewDb())
        {
            (await db.LotteryDates.SingleAsync(l => l.Id == drawn)).MarkDrawn(42, _host.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        Assert.Equal("Lottery.AlreadyDrawn", (await Assert.ThrowsAsync<DomainException>(() => Lotteries.RemoveAsync(admin, drawn))).Code);
        Assert.Equal(42, Assert.Single(await Lotteries.ListAsync(admin), r => r.Id == drawn).Seed);
    }

    [Theory]
    [InlineData(nameof(TestCity.Organizer))]
    [InlineData(nameof(TestCity.Resident))]
    [InlineData(nameof(TestCity.Partner))]
    public async Task LotteryDatesAndPledgeItems_AreTheAdminsAlone(string who)
    {
        var phone = _city[who].Phone;
        var user = await SignInAsync(phone);
        var admin = await SignInAsync(_city.Admin.Phone);
        var lottery = await Lotteries.AddAsync(admin, new DateOnly(2027, 6, 18), new DateTime(2027, 6, 8, 18, 0, 0));
        var item = await Pledges.AddAsync(admin, "婚事新办、简办");

        await Assert.ThrowsAsync<AccessDeniedException>(() => Lotteries.ListAsync(user));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Lotteries.AddAsync(user, new DateOnly(2027, 10, 1), new DateTime(2027, 9, 20, 18, 0, 0)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Lotteries.RemoveAsync(user, lottery));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.ListAsync(user));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.AddAsync(user, "新条款"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.UpdateAsync(user, item, "改掉", 1));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.MoveAsync(user, item, up: true));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.RetireAsync(user, item));

        await using var db = _host.NewDb();
        Assert.True(await db.LotteryDates.AnyAsync(l => l.Id == lottery));
        Assert.False(await db.LotteryDates.AnyAsync(l => l.Date == new DateOnly(2027, 10, 1)));
        var stored = await db.PledgeItems.AsNoTracking().SingleAsync(i => i.Id == item);
        Assert.Equal(("婚事新办、简办", false), (stored.Text, stored.IsRetired));
        Assert.False(await db.PledgeItems.AnyAsync(i => i.Text == "新条款"));
    }

    // ----- Pledge items -----

    [Fact]
    public async Task PledgeItems_AreAddedAtTheEnd_EditedMovedAndRetired_EachAudited()
    {
        var admin = await SignInAsync(_city.Admin.Phone);
        var first = await Pledges.AddAsync(admin, "  不要高价彩礼  ");
        var second = await Pledges.AddAsync(admin, "婚宴从简");
        var third = await Pledges.AddAsync(admin, "不搞低俗婚闹");

        var live = await Pledges.ListAsync(admin);
        Assert.Equal([first, second, third], live.TakeLast(3).Select(i => i.Id));
        Assert.Equal("不要高价彩礼", live.Single(i => i.Id == first).Text);

        await Pledges.MoveAsync(admin, third, up: true);
        Assert.Equal([first, third, second], (await Pledges.ListAsync(admin)).TakeLast(3).Select(i => i.Id));

        await Pledges.UpdateAsync(admin, second, "婚宴不超过十桌", 0);
        var edited = await Pledges.ListAsync(admin);
        Assert.Equal(second, edited[0].Id);
        Assert.Equal("婚宴不超过十桌", edited[0].Text);

        await Pledges.RetireAsync(admin, first);
        Assert.DoesNotContain(await Pledges.ListAsync(admin), i => i.Id == first);
        Assert.True(Assert.Single(await Pledges.ListAsync(admin, includeRetired: true), i => i.Id == first).IsRetired);
        Assert.Equal("PledgeAdmin.Retired", (await Assert.ThrowsAsync<DomainException>(() => Pledges.UpdateAsync(admin, first, "复活", 1))).Code);

        Assert.Equal(["pledge.item-created", "pledge.item-retired"], (await AuditAsync("PledgeItem", first)).Select(e => e.Action));
        Assert.Equal(["pledge.item-created", "pledge.item-updated"], (await AuditAsync("PledgeItem", second)).Select(e => e.Action));
        Assert.Equal(["pledge.item-created", "pledge.item-moved"], (await AuditAsync("PledgeItem", third)).Select(e => e.Action));
        var update = (await AuditAsync("PledgeItem", second))[1];
        Assert.Equal(("婚宴从简", "婚宴不超过十桌"), (Json(update.Before)["Text"].GetString(), Json(update.After)["Text"].GetString()));
    }

    [Fact]
    public async Task APledgeItem_WithoutTextOrTooLong_IsRefused_AndTheLastOneCannotBeRetired()
    {
        var admin = await SignInAsync(_city.Admin.Phone);
        var before = await PledgeCountAsync();

        var blank = await Assert.ThrowsAsync<DomainException>(() => Pledges.AddAsync(admin, "   "));
        var tooLong = await Assert.ThrowsAsync<DomainException>(() => Pledges.AddAsync(admin, new string('礼', PledgeItem.TextMaxLength + 1)));
        var badOrder = await Assert.ThrowsAsync<DomainException>(() => Pledges.UpdateAsync(admin, 1, "x", -1));

        Assert.Equal(("Pledge.ItemInvalid", "Pledge.ItemInvalid", "PledgeAdmin.OrderInvalid"), (blank.Code, tooLong.Code, badOrder.Code));
        Assert.Equal(before, await PledgeCountAsync());

        var only = await Pledges.AddAsync(admin, "唯一条款");
        foreach (var other in (await Pledges.ListAsync(admin)).Where(i => i.Id != only))
        {
            await Pledges.RetireAsync(admin, other.Id);
        }

        Assert.Equal("PledgeAdmin.LastItem", (await Assert.ThrowsAsync<DomainException>(() => Pledges.RetireAsync(admin, only))).Code);
        Assert.Equal(only, Assert.Single(await Pledges.ListAsync(admin)).Id);
    }

    /// <summary>Rule 43 of decision 0014, ten rounds: two Admins retiring the last two pledge items at once keep one.</summary>
    [Fact]
    public async Task RetiringTheLastTwoItemsAtOnce_KeepsOne()
    {
        var admin = _city.Admin.Principal;
        var first = await Pledges.AddAsync(admin, "第一条");
        foreach (var other in (await Pledges.ListAsync(admin)).Where(i => i.Id != first))
        {
            await Pledges.RetireAsync(admin, other.Id);
        }

        for (var round = 0; round < 10; round++)
        {
            var live = (await Pledges.ListAsync(admin)).Single().Id;
            var added = await Pledges.AddAsync(admin, $"条款{round}");
            var outcomes = await Task.WhenAll(new[] { live, added }.Select(id => Task.Run(async () =>
            {
                try
                {
                    await _host.Scoped<PledgeItemCatalog>().RetireAsync(admin, id);
                    return "ok";
                }
                catch (DomainException ex)
                {
                    return ex.Code;
                }
            })));

            Assert.Single(await Pledges.ListAsync(admin));
            Assert.Equal(["PledgeAdmin.LastItem", "ok"], outcomes.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>Rule 35 of decision 0014: ten Admins marking the same lottery date at once make one, and nobody gets an error.</summary>
    [Fact]
    public async Task TenParallelMarkingsOfOneLotteryDate_MakeOne_WithoutAnError()
    {
        var admin = _city.Admin.Principal;
        var mark = _host.Logs.Mark;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<LotteryDateCatalog>().AddAsync(admin, new DateOnly(2027, 8, 8), new DateTime(2027, 8, 1, 18, 0, 0));
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Single(outcomes, o => o == "ok");
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("LotteryAdmin.DateExists", o));
        Assert.DoesNotContain(_host.Logs.Since(mark), e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    // ----- Helpers -----

    private static WeddingResourceDetails Hall(string name, int orgNodeId) => new()
    {
        Kind = WeddingServiceKind.CeremonyHall,
        Name = name,
        Location = "红星社区党群服务中心一楼",
        Seats = 120,
        OrgNodeId = orgNodeId,
        Hours = EveryDay,
        SlotMinutes = 240,
        BufferMinutes = 60,
        Rules = BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall),
    };

    private WeddingResourceDetails Package(int? partner) => new()
    {
        Kind = WeddingServiceKind.AlliancePackage,
        Name = "喜乐婚庆·简约婚礼套餐",
        PriceCapYuan = 3000,
        ProviderUserId = partner,
        OrgNodeId = _hongxing,
        Hours = EveryDay,
        SlotMinutes = 600,
        Capacity = 2,
        Rules = BookingRules.DefaultFor(WeddingServiceKind.AlliancePackage),
    };

    private WeddingResourceDetails Steward(int? account) => new()
    {
        Kind = WeddingServiceKind.FolkSteward,
        Name = "老李总管",
        Location = "东街街道",
        ProviderUserId = account,
        OrgNodeId = _hongxing,
        Hours = EveryDay,
        SlotMinutes = 300,
        Rules = BookingRules.DefaultFor(WeddingServiceKind.FolkSteward),
    };

    /// <summary>A resident with no booking yet books the 08:00 slot of <paramref name="day"/> through the booking engine.</summary>
    private async Task<int> BookHallAsync(int hall, DateOnly day)
    {
        _resident ??= (await _city.PersonAsync(_city.Grid1, "新人")).Principal;

        return await _host.Scoped<BookingService>().BookAsync(_resident, hall, Time.ToUtc(day.ToDateTime(new TimeOnly(8, 0))), "王芳", null);
    }

    private static async Task<ResourceDetailsInvalidException> RefusedAsync(Func<Task> action) =>
        await Assert.ThrowsAsync<ResourceDetailsInvalidException>(action);

    private Task<ClaimsPrincipal> SignInAsync(string phone) => _host.SignInAsAsync(phone);

    private async Task<WeddingResource> ResourceAsync(int id)
    {
        await using var db = _host.NewDb();
        return await db.WeddingResources.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private async Task<int> ResourceCountAsync()
    {
        await using var db = _host.NewDb();
        return await db.WeddingResources.CountAsync();
    }

    private async Task<int> PledgeCountAsync()
    {
        await using var db = _host.NewDb();
        return await db.PledgeItems.CountAsync();
    }

    private async Task<int> AuditCountAsync()
    {
        await using var db = _host.NewDb();
        return await db.AuditEntries.CountAsync();
    }

    private async Task<IReadOnlyList<DezhiHub.Domain.Auditing.AuditEntry>> AuditAsync(string entity, int id)
    {
        await using var db = _host.NewDb();
        var key = id.ToString(CultureInfo.InvariantCulture);
        return await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == entity && a.EntityId == key).OrderBy(a => a.Id).ToListAsync();
    }

    private static Dictionary<string, JsonElement> Json(string? json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json ?? "{}")!;

    private static string Masked(string phone) => $"{phone[..3]}****{phone[^4..]}";
}
