using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Home;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The home page's partner card: the vouchers of the partner's own rewards still to hand over, the requests for their
/// own wedding services still to review, and this month's settlement — never another partner's or the community's.
/// </summary>
public sealed class HomeDashboardTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HomeDashboard Dashboard => _host.Scoped<HomeDashboard>();

    [Fact]
    public async Task TheCounts_AreThePartnersOwn_AndFollowHandOversReviewsAndExpiry()
    {
        var partner = _city.Partner.Principal;
        var other = await NewPartnerAsync();
        var buyer = await NewResidentWithPointsAsync(500);
        var admin = _city.Admin.Principal;
        var market = _host.Scoped<MarketService>();
        var chengqu = await _host.OrgIdAsync("测试区");
        async Task<int> ItemAsync(int? provider, string name) => await _host.Scoped<RewardCatalog>().CreateItemAsync(admin, new RewardItemDetails
        {
            Name = name,
            PointsCost = 40,
            Stock = 5,
            OrgNodeId = chengqu,
            PartnerUserId = provider,
        });

        // Another partner's voucher and a community reward's voucher are not the partner's to hand over.
        var othersVoucher = await market.RedeemAsync(buyer, await ItemAsync(other.RequiredUserId(), "另一家的喜糖券"));
        await market.RedeemAsync(buyer, await ItemAsync(null, "社区理发券"));
        var hers = await market.RedeemAsync(buyer, await ItemAsync(partner.RequiredUserId(), "喜乐婚庆·请柬券"));
        await market.RedeemAsync(buyer, await ItemAsync(partner.RequiredUserId(), "喜乐婚庆·喜糖券")); // left waiting
        Assert.Equal((2, 1), await VouchersAsync(partner, other));

        // Handing over moves a voucher from "to hand over" to this month's settlement, for its own partner only.
        var desk = _host.Scoped<VoucherDesk>();
        var vouchers = _host.Get<Vouchers>();
        await desk.HandOverAsync(partner, vouchers.Issue(hers));
        await desk.HandOverAsync(other, vouchers.Issue(othersVoucher));
        var mine = (await Dashboard.LoadAsync(partner)).Partner!;
        var theirs = (await Dashboard.LoadAsync(other)).Partner!;
        Assert.Equal((1, 1, 40), (mine.VouchersToHandOver, mine.HandedOverThisMonth, mine.PointsThisMonth));
        Assert.Equal((0, 1, 40), (theirs.VouchersToHandOver, theirs.HandedOverThisMonth, theirs.PointsThisMonth));

        // A request for the partner's own package is theirs to review until they decide.
        var bookings = _host.Scoped<BookingService>();
        var package = await PackageAsync(partner.RequiredUserId());
        var today = DateOnly.FromDateTime(_host.Get<DisplayTime>().LocalNow);
        var request = await bookings.BookAsync(buyer, package.Id, _host.Get<DisplayTime>().ToUtc(package.SlotsOn(today.AddDays(20))[0].Start), "孙丽", "");
        Assert.Equal(1, (await Dashboard.LoadAsync(partner)).Partner!.BookingsToReview);
        Assert.Equal(0, (await Dashboard.LoadAsync(other)).Partner!.BookingsToReview);
        await _host.Scoped<BookingReviewService>().ApproveAsync(partner, request);
        Assert.Equal(0, (await Dashboard.LoadAsync(partner)).Partner!.BookingsToReview);

        // A voucher past its validity can no longer be handed over, so it no longer counts.
        Assert.Equal(1, (await Dashboard.LoadAsync(partner)).Partner!.VouchersToHandOver);
        _host.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(0, (await Dashboard.LoadAsync(partner)).Partner!.VouchersToHandOver);
    }

    [Theory]
    [InlineData(nameof(TestCity.Volunteer))]
    [InlineData(nameof(TestCity.Resident))]
    [InlineData(nameof(TestCity.Organizer))]
    [InlineData(nameof(TestCity.Admin))]
    public async Task NobodyButAPartner_GetsThePartnerCard(string who)
    {
        var phone = _city[who].Phone;
        var summary = await Dashboard.LoadAsync(await _host.SignInAsAsync(phone));

        Assert.Null(summary.Partner);
    }

    private async Task<(int Mine, int Theirs)> VouchersAsync(ClaimsPrincipal partner, ClaimsPrincipal other) =>
        ((await Dashboard.LoadAsync(partner)).Partner!.VouchersToHandOver, (await Dashboard.LoadAsync(other)).Partner!.VouchersToHandOver);

    /// <summary>The partner's price-capped package, open every day 09:00–17:00.</summary>
    private async Task<WeddingResource> PackageAsync(int partnerId)
    {
        await using var db = _host.NewDb();
        var package = WeddingResource.Create(new WeddingResourceDetails
        {
            Kind = WeddingServiceKind.AlliancePackage,
            Name = "喜乐婚庆·简约婚礼套餐",
            OrgNodeId = _city.District.Id,
            ProviderUserId = partnerId,
            PriceCapYuan = 3000,
            Hours = string.Join(',', Enumerable.Repeat("09:00-17:00", 7)),
            SlotMinutes = 240,
            Capacity = 5,
            Rules = BookingRules.DefaultFor(WeddingServiceKind.AlliancePackage),
        }, _city.District.Path, FeatureHost.Start.UtcDateTime);
        db.WeddingResources.Add(package);
        await db.SaveChangesAsync();
        return package;
    }

    /// <summary>A second Partner (another wedding company) in the district.</summary>
    private async Task<ClaimsPrincipal> NewPartnerAsync()
    {
        await using var db = _host.NewDb();
        var user = NewUser("13799999998", "另一家婚庆", await _host.OrgIdAsync("测试区"));
        db.Users.Add(user);
        await db.SaveChangesAsync();
        var role = await db.Roles.Where(r => r.Name == Roles.Partner).Select(r => r.Id).SingleAsync();
        db.UserRoles.Add(new IdentityUserRole<int> { UserId = user.Id, RoleId = role });
        await db.SaveChangesAsync();
        return await _host.SignInAsAsync(user.PhoneNumber!);
    }

    /// <summary>A new resident of the community with points to spend, given through the ledger.</summary>
    private async Task<ClaimsPrincipal> NewResidentWithPointsAsync(int points)
    {
        await using var db = _host.NewDb();
        var user = NewUser("13799999997", "测试居民", _city.Community.Id);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await _host.Get<Ledger>().PostPointsAsync(db, user.Id, points, PointsKind.Awarded, $"test:home:{user.Id}", FeatureHost.Start.UtcDateTime, reason: "测试");
            await transaction.CommitAsync();
        }

        return await _host.SignInAsAsync(user.PhoneNumber!);
    }

    private static AppUser NewUser(string phone, string name, int orgNodeId) => new()
    {
        UserName = phone,
        NormalizedUserName = phone,
        PhoneNumber = phone,
        RealName = name,
        OrgNodeId = orgNodeId,
        SecurityStamp = Guid.NewGuid().ToString("N"),
        CreatedAtUtc = FeatureHost.Start.UtcDateTime,
    };
}
