using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The points market on real SQLite: stock and balance move together or not at all (also under 200 concurrent
/// redemptions), the per-person limit, cancellation and expiry give back once, vouchers are genuine or refused, a
/// hand-over happens once, and every actor stays inside their rights.
/// </summary>
public sealed class MarketServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private MarketService Market => _host.Scoped<MarketService>();

    private RewardCatalog Rewards => _host.Scoped<RewardCatalog>();

    private VoucherDesk Desk => _host.Scoped<VoucherDesk>();

    private Vouchers Vouchers => _host.Get<Vouchers>();

    private DateTime Now => _host.Clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task TwoHundredConcurrentRedemptions_OfFiftyInStock_LetExactlyFiftyThrough_AndNoPointOrItemIsCreatedOrLost()
    {
        var item = await NewItemAsync(stock: 50, cost: 30);
        var people = await NewVolunteersAsync(200, points: 100);

        var outcomes = await Task.WhenAll(people.Select(p => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<MarketService>().RedeemAsync(p.Principal, item);
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Equal(50, outcomes.Count(o => o == "ok"));
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("Market.OutOfStock", o));
        await using var db = _host.NewDb();
        Assert.Equal(0, await StockAsync(item));
        Assert.Equal(50, await db.Redemptions.CountAsync(r => r.ItemId == item));
        var ids = people.Select(p => p.Id).ToArray();
        var accounts = await db.VolunteerProfiles.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, p => p.PointsBalance);
        var sums = await db.PointsEntries.AsNoTracking().Where(e => ids.Contains(e.UserId)).GroupBy(e => e.UserId)
            .ToDictionaryAsync(g => g.Key, g => g.Sum(e => e.Delta));
        Assert.All(ids, id => Assert.Equal(sums[id], accounts[id]));
        Assert.All(accounts.Values, balance => Assert.True(balance >= 0));
        Assert.Equal(50, accounts.Values.Count(b => b == 70));
        Assert.Equal(150, accounts.Values.Count(b => b == 100));
        // Each winner paid exactly once, for their own redemption.
        var redeemers = await db.Redemptions.Where(r => r.ItemId == item).Select(r => r.UserId).ToListAsync();
        Assert.Equal(50, redeemers.Distinct().Count());
        Assert.Equal(50, await db.PointsEntries.CountAsync(e => ids.Contains(e.UserId) && e.Kind == PointsKind.Redeemed && e.Delta == -30));
    }

    [Fact]
    public async Task ThePerPersonLimit_CountsPendingAndHandedOver_AndHoldsUnderParallelTaps()
    {
        var item = await NewItemAsync(stock: 20, cost: 10, limit: 2);
        var (_, person) = (await NewVolunteersAsync(1, points: 200))[0];

        var first = await Market.RedeemAsync(person, item);
        await Desk.HandOverAsync(await OrganizerAsync(), Vouchers.Issue(first));
        var second = await Market.RedeemAsync(person, item);
        var third = await Assert.ThrowsAsync<DomainException>(() => Market.RedeemAsync(person, item));

        Assert.Equal(("Market.LimitReached", 2), (third.Code, (int)third.Args[0]));
        Assert.Equal(18, await StockAsync(item));
        Assert.Equal(180, await BalanceAsync(person));

        // A cancelled one no longer counts.
        await Market.CancelAsync(person, second);
        await Market.RedeemAsync(person, item);
        Assert.Equal(2, (await Market.OfferAsync(person)).Items.Single(i => i.Id == item).Held);

        // Ten taps at once on an item limited to one: one redemption.
        var single = await NewItemAsync(stock: 20, cost: 10, limit: 1);
        var taps = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<MarketService>().RedeemAsync(person, single);
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));
        Assert.Equal(1, taps.Count(t => t == "ok"));
        Assert.All(taps.Where(t => t != "ok"), t => Assert.Equal("Market.LimitReached", t));
        Assert.Equal(19, await StockAsync(single));
        await AssertLedgerConsistentAsync(person);
    }

    [Fact]
    public async Task TheSameRequestSentAgain_IsAnsweredWithTheFirstRedemption_InTurnAndInParallel()
    {
        var item = await NewItemAsync(stock: 20, cost: 10); // no per-person limit: only the request id stops a second one
        var (id, person) = (await NewVolunteersAsync(1, points: 100))[0];
        var request = Guid.NewGuid();

        var first = await Market.RedeemAsync(person, item, request);
        var again = await Market.RedeemAsync(person, item, request);

        Assert.Equal(first, again);
        Assert.Equal(19, await StockAsync(item));
        Assert.Equal(90, await BalanceAsync(person));

        // Eight taps of one confirmation at once (a double tap, a retry racing the first): one redemption, every tap
        // told its id; a second confirmation (a new request id) is a second redemption.
        var twin = Guid.NewGuid();
        var taps = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _host.Scoped<MarketService>().RedeemAsync(person, item, twin))));
        Assert.Single(taps.Distinct());
        Assert.NotEqual(first, taps[0]);
        Assert.Equal(18, await StockAsync(item));
        Assert.Equal(80, await BalanceAsync(person));

        // The id is the person's own: someone else sending the same id gets a redemption of their own.
        var (_, other) = (await NewVolunteersAsync(1, points: 100, first: 2))[0];
        Assert.NotEqual(first, await Market.RedeemAsync(other, item, request));
        await using var db = _host.NewDb();
        Assert.Equal(2, await db.Redemptions.CountAsync(r => r.UserId == id));
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "market.redeemed" && a.ActorUserId == id));
        await AssertLedgerConsistentAsync(person);
    }

    [Fact]
    public async Task ARequestIdRefused_ChangesNothing_AndTheSameIdMaySucceedLater()
    {
        var item = await NewItemAsync(stock: 5, cost: 30);
        var (id, person) = (await NewVolunteersAsync(1, points: 20))[0];
        var request = Guid.NewGuid();

        var refused = await Assert.ThrowsAsync<DomainException>(() => Market.RedeemAsync(person, item, request));
        Assert.Equal("Market.NotEnoughPoints", refused.Code);
        Assert.Equal(5, await StockAsync(item));
        await GivePointsAsync(id, 20, "test:top-up");

        var redeemed = await Market.RedeemAsync(person, item, request);
        Assert.Equal(redeemed, await Market.RedeemAsync(person, item, request));
        Assert.Equal(4, await StockAsync(item));
        Assert.Equal(10, await BalanceAsync(person));
    }

    [Fact]
    public async Task ARedemptionBeyondTheBalance_IsRefusedWithTheNumbers_AndChangesNothing()
    {
        var item = await NewItemAsync(stock: 5, cost: 30);
        var (id, person) = (await NewVolunteersAsync(1, points: 20))[0];

        var error = await Assert.ThrowsAsync<DomainException>(() => Market.RedeemAsync(person, item));

        Assert.Equal(("Market.NotEnoughPoints", 30, 20), (error.Code, (int)error.Args[0], (int)error.Args[1]));
        Assert.Equal(5, await StockAsync(item));
        Assert.Equal(20, await BalanceAsync(person));
        await using var db = _host.NewDb();
        Assert.Equal(0, await db.Redemptions.CountAsync(r => r.UserId == id));
        Assert.Equal(1, await db.PointsEntries.CountAsync(e => e.UserId == id));
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.Action == "market.redeemed" && a.ActorUserId == id));
    }

    [Fact]
    public async Task ItemsOutsideThePersonsArea_Retired_NotYetOrNoLongerOnOffer_AreRefused_AndNotListed()
    {
        var (_, person) = (await NewVolunteersAsync(1, points: 500))[0];
        var city = await NewItemAsync(stock: 5, cost: 10, org: "测试市", admin: true);
        var elsewhere = await NewItemAsync(stock: 5, cost: 10, org: "西湖社区", admin: true);
        var retired = await NewItemAsync(stock: 5, cost: 10);
        await Rewards.RetireItemAsync(await OrganizerAsync(), retired);
        var later = await NewItemAsync(stock: 5, cost: 10, validFrom: Now.AddDays(2));
        var ended = await NewItemAsync(stock: 5, cost: 10, validFrom: Now.AddDays(-10), validUntil: Now.AddDays(-1));
        var soldOut = await NewItemAsync(stock: 0, cost: 10);

        var offer = await Market.OfferAsync(person);

        Assert.Equal("东湖社区", offer.AreaName);
        Assert.Contains(offer.Items, i => i.Id == city);
        Assert.Contains(offer.Items, i => i.Id == soldOut && i.Stock == 0);
        Assert.DoesNotContain(offer.Items, i => i.Id == elsewhere || i.Id == retired || i.Id == later || i.Id == ended);
        Assert.Equal("Market.ItemNotFound", (await Assert.ThrowsAsync<DomainException>(() => Market.RedeemAsync(person, elsewhere))).Code);
        Assert.Equal("Market.NotOnOffer", (await Assert.ThrowsAsync<DomainException>(() => Market.RedeemAsync(person, retired))).Code);
        Assert.Equal("Market.NotYetOnOffer", (await Assert.ThrowsAsync<DomainException>(() => Market.RedeemAsync(person, later))).Code);
        Assert.Equal("Market.OfferEnded", (await Assert.ThrowsAsync<DomainException>(() => Market.RedeemAsync(person, ended))).Code);
        Assert.Equal("Market.OutOfStock", (await Assert.ThrowsAsync<DomainException>(() => Market.RedeemAsync(person, soldOut))).Code);
        await Market.RedeemAsync(person, city);
        Assert.Equal(490, await BalanceAsync(person));
    }

    [Fact]
    public async Task Cancelling_RefundsOnce_AndRestoresTheStock_ASecondCancelIsRefused()
    {
        var item = await NewItemAsync(stock: 3, cost: 40);
        var (id, person) = (await NewVolunteersAsync(1, points: 100))[0];
        var redemption = await Market.RedeemAsync(person, item);
        Assert.Equal((2, 60), (await StockAsync(item), await BalanceAsync(person)));

        await Market.CancelAsync(person, redemption);
        var again = await Assert.ThrowsAsync<DomainException>(() => Market.CancelAsync(person, redemption));
        var parallel = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<MarketService>().CancelAsync(person, redemption);
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Equal("Market.AlreadyCancelled", again.Code);
        Assert.All(parallel, p => Assert.Equal("Market.AlreadyCancelled", p));
        Assert.Equal((3, 100), (await StockAsync(item), await BalanceAsync(person)));
        await using var db = _host.NewDb();
        var refund = await db.PointsEntries.SingleAsync(e => e.UserId == id && e.Kind == PointsKind.Refunded);
        Assert.Equal((40, $"refund:{redemption}", 100), (refund.Delta, refund.SourceKey, refund.BalanceAfter));
        Assert.Equal(RedemptionStatus.Cancelled, (await db.Redemptions.SingleAsync(r => r.Id == redemption)).Status);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "market.cancelled" && a.EntityId == redemption.ToString()));
        await AssertLedgerConsistentAsync(person);
    }

    [Fact]
    public async Task TheProvider_CancelsWithAReason_WhichTheHolderIsTold_OthersCannotCancel()
    {
        var item = await NewItemAsync(stock: 3, cost: 40);
        var (id, person) = (await NewVolunteersAsync(1, points: 100))[0];
        var redemption = await Market.RedeemAsync(person, item);
        var organizer = await OrganizerAsync();
        var otherOrganizer = _city.OtherOrganizer.Principal;
        var (_, stranger) = (await NewVolunteersAsync(1, points: 0, first: 900))[0];

        Assert.Equal("Market.ReasonRequired", (await Assert.ThrowsAsync<DomainException>(() => Market.CancelAsync(organizer, redemption, " "))).Code);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Market.CancelAsync(otherOrganizer, redemption, "不在本社区"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Market.CancelAsync(stranger, redemption));
        Assert.Equal(60, await BalanceAsync(person));

        await Market.CancelAsync(organizer, redemption, "商品已停产");

        Assert.Equal((3, 100), (await StockAsync(item), await BalanceAsync(person)));
        await using var db = _host.NewDb();
        var notice = await db.Notifications.SingleAsync(n => n.UserId == id && n.MessageKey == "Market.CancelledNotice");
        Assert.Contains("商品已停产", notice.Args);
        var refund = await db.PointsEntries.SingleAsync(e => e.UserId == id && e.Kind == PointsKind.Refunded);
        Assert.Equal(("商品已停产", organizer.RequiredUserId()), (refund.Reason, refund.ActorUserId));
    }

    [Fact]
    public async Task TheExpirySweep_RefundsOnce_AndRestoresTheStock_HoweverOftenItRuns()
    {
        var item = await NewItemAsync(stock: 4, cost: 25);
        var people = await NewVolunteersAsync(3, points: 100);
        var expiring = await Market.RedeemAsync(people[0].Principal, item);
        var handed = await Market.RedeemAsync(people[1].Principal, item);
        await Desk.HandOverAsync(await OrganizerAsync(), Vouchers.Issue(handed));
        _host.Clock.Advance(TimeSpan.FromDays(10));
        var fresh = await Market.RedeemAsync(people[2].Principal, item);
        Assert.Equal(1, await StockAsync(item));

        _host.Clock.Advance(TimeSpan.FromDays(20) + TimeSpan.FromMinutes(1)); // the first is 30 days old, the last 20
        var first = await _host.Scoped<MarketSweeps>().ExpireDueAsync(Now);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => _host.Scoped<MarketSweeps>().ExpireDueAsync(Now))));
        var again = await _host.Scoped<MarketSweeps>().ExpireDueAsync(Now);

        Assert.Equal((1, 0, 0), (first, concurrent.Sum(), again));
        Assert.Equal(2, await StockAsync(item));
        Assert.Equal((100, 75, 75), (await BalanceAsync(people[0].Principal), await BalanceAsync(people[1].Principal), await BalanceAsync(people[2].Principal)));
        await using var db = _host.NewDb();
        var statuses = await db.Redemptions.Where(r => r.ItemId == item).ToDictionaryAsync(r => r.Id, r => r.Status);
        Assert.Equal((RedemptionStatus.Expired, RedemptionStatus.Fulfilled, RedemptionStatus.Pending), (statuses[expiring], statuses[handed], statuses[fresh]));
        Assert.Equal(1, await db.PointsEntries.CountAsync(e => e.SourceKey == $"refund:{expiring}"));
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == people[0].Id && n.MessageKey == "Market.ExpiredNotice"));
        // An expired voucher can neither be handed over nor cancelled.
        var organizer = await OrganizerAsync();
        Assert.Equal("Market.VoucherExpired", (await Assert.ThrowsAsync<DomainException>(() => Desk.HandOverAsync(organizer, Vouchers.Issue(expiring)))).Code);
        Assert.Equal("Market.VoucherExpired", (await Assert.ThrowsAsync<DomainException>(() => Market.CancelAsync(people[0].Principal, expiring))).Code);
    }

    [Fact]
    public async Task AGenuineVoucher_Verifies_AndEveryTamperedTruncatedOrForeignCodeIsRefused()
    {
        var item = await NewItemAsync(stock: 5, cost: 10);
        var (_, person) = (await NewVolunteersAsync(1, points: 100))[0];
        var redemption = await Market.RedeemAsync(person, item);
        var token = Assert.Single(await Market.MineAsync(person)).Token;

        Assert.Equal(Vouchers.TokenLength, token.Length);
        Assert.True(Vouchers.TryVerify(token, out var id));
        Assert.Equal(redemption, id);
        Assert.True(Vouchers.TryVerify($"https://dezhihub.example.cn/market/vouchers/{token}", out _));
        Assert.True(Vouchers.TryVerify(Vouchers.Grouped(token), out _));

        // Every byte of the code, and every character of its text.
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        for (var i = 0; i < bytes.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var forged = (byte[])bytes.Clone();
                forged[i] ^= (byte)(1 << bit);
                Assert.False(Vouchers.TryVerify(System.Buffers.Text.Base64Url.EncodeToString(forged), out _), $"byte {i} bit {bit}");
            }
        }

        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = 0; i < token.Length; i++)
        {
            foreach (var c in Alphabet.Where(c => c != token[i]))
            {
                Assert.False(Vouchers.TryVerify(token[..i] + c + token[(i + 1)..], out _), $"character {i} → {c}");
            }
        }

        Assert.False(Vouchers.TryVerify(token[..^1], out _));
        Assert.False(Vouchers.TryVerify(token[..10], out _));
        Assert.False(Vouchers.TryVerify(token + "A", out _));
        Assert.False(Vouchers.TryVerify("", out _));
        Assert.False(Vouchers.TryVerify(null, out _));
        Assert.False(Vouchers.TryVerify(new string('A', token.Length), out _));
        Assert.False(Vouchers.TryVerify("兑换券兑换券兑换券兑换券兑换券兑换券兑换券兑", out _));

        // Signed by another deployment, or a code of another kind from this one.
        var foreign = new Vouchers(KeyStore()).Issue(redemption);
        Assert.False(Vouchers.TryVerify(foreign, out _));
        var card = await _host.Scoped<VolunteerCards>().MineAsync(person);
        Assert.False(Vouchers.TryVerify(card.Token, out _));
        Assert.False(Vouchers.TryVerify(_host.Get<CheckInTokens>().Issue(redemption, CheckInPurpose.CheckIn), out _));
        Assert.Equal(VoucherLookup.Invalid, await Desk.ReadAsync(await OrganizerAsync(), foreign));
        Assert.Equal("Voucher.Invalid", (await Assert.ThrowsAsync<DomainException>(async () => await Desk.HandOverAsync(await OrganizerAsync(), foreign))).Code);
    }

    [Fact]
    public async Task AVoucher_IsHandedOverOnce_ParallelHandOversFindItDone_AndTheHolderIsTold()
    {
        var partner = _city.Partner.Principal;
        var item = await NewItemAsync(stock: 5, cost: 100, org: "测试区", partner: partner.RequiredUserId(), admin: true);
        var (id, person) = (await NewVolunteersAsync(1, points: 300))[0];
        var redemption = await Market.RedeemAsync(person, item);
        var token = Vouchers.Issue(redemption);

        var lookup = await Desk.ReadAsync(partner, token);
        Assert.Equal((true, VoucherViewer.Provider, "测试志愿者1", RedemptionStatus.Pending, true),
            (lookup.Genuine, lookup.Viewer, lookup.Info!.VolunteerName, lookup.Info.Status, lookup.Info.CanHandOver));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _host.Scoped<VoucherDesk>().HandOverAsync(partner, token))));

        Assert.Equal(1, results.Count(r => !r.AlreadyHandedOver));
        Assert.Equal(7, results.Count(r => r.AlreadyHandedOver));
        var done = results.Single(r => !r.AlreadyHandedOver);
        Assert.All(results, r => Assert.Equal(done.AtUtc, r.AtUtc));
        _host.Clock.Advance(TimeSpan.FromHours(2));
        var later = await Desk.HandOverAsync(partner, token);
        Assert.Equal((true, done.AtUtc), (later.AlreadyHandedOver, later.AtUtc));
        Assert.Equal("Market.AlreadyHandedOver", (await Assert.ThrowsAsync<DomainException>(() => Market.CancelAsync(person, redemption))).Code);
        Assert.Equal(200, await BalanceAsync(person));
        Assert.Equal(4, await StockAsync(item));
        await using var db = _host.NewDb();
        var stored = await db.Redemptions.SingleAsync(r => r.Id == redemption);
        Assert.Equal((RedemptionStatus.Fulfilled, partner.RequiredUserId()), (stored.Status, stored.ClosedByUserId));
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == id && n.MessageKey == "Market.HandedOverNotice"));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "market.handed-over" && a.EntityId == redemption.ToString()));
    }

    [Fact]
    public async Task AnOrganizerOfAnotherCommunity_CanNeitherManageNorHandOver_NorSeeWhoHoldsTheVoucher()
    {
        var item = await NewItemAsync(stock: 5, cost: 10);
        var (_, person) = (await NewVolunteersAsync(1, points: 100))[0];
        var token = Vouchers.Issue(await Market.RedeemAsync(person, item));
        var heping = _city.OtherOrganizer.Principal;
        var hongxingNode = _city.Community.Id;

        var lookup = await Desk.ReadAsync(heping, token);
        Assert.Equal((true, VoucherViewer.Stranger, (VoucherInfo?)null), (lookup.Genuine, lookup.Viewer, lookup.Info));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Desk.HandOverAsync(heping, token));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Rewards.GetForEditAsync(heping, item));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Rewards.UpdateItemAsync(heping, item, Details(hongxingNode, 1, 1), 5));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Rewards.RetireItemAsync(heping, item));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Rewards.CreateItemAsync(heping, Details(hongxingNode, 10, 10)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Market.ItemRedemptionsAsync(heping, item));
        Assert.DoesNotContain(await Rewards.ManagedItemsAsync(heping, includeRetired: true), i => i.Id == item);
        // Residents and volunteers manage nothing.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Rewards.ManagedItemsAsync(person));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Desk.HandOverAsync(_city.Resident.Principal, token));
        // The holder sees their own voucher as its holder.
        Assert.Equal(VoucherViewer.Holder, (await Desk.ReadAsync(person, token)).Viewer);
        Assert.Equal(5 - 1, await StockAsync(item));
    }

    [Fact]
    public async Task AManager_EditsAnItem_ButAStockChangedMeanwhile_IsNotOverwritten()
    {
        var organizer = await OrganizerAsync();
        var node = _city.Community.Id;
        var item = await NewItemAsync(stock: 5, cost: 10);
        var (_, person) = (await NewVolunteersAsync(1, points: 100))[0];
        var edit = await Rewards.GetForEditAsync(organizer, item);
        await Market.RedeemAsync(person, item); // stock 5 → 4 while the form is open

        var stale = await Assert.ThrowsAsync<DomainException>(() => Rewards.UpdateItemAsync(organizer, item, Details(node, 12, 20, "新名称"), edit.Details.Stock));
        Assert.Equal("Reward.StockChanged", stale.Code);
        Assert.Equal(4, await StockAsync(item));

        await Rewards.UpdateItemAsync(organizer, item, Details(node, 12, edit.Details.Stock, "新名称"), edit.Details.Stock); // the stock untouched in the form
        Assert.Equal(4, await StockAsync(item));
        await Rewards.UpdateItemAsync(organizer, item, Details(node, 12, 30, "新名称"), 4);
        var saved = await Rewards.GetForEditAsync(organizer, item);
        Assert.Equal(("新名称", 12, 30), (saved.Details.Name, saved.Details.PointsCost, saved.Details.Stock));
        Assert.Equal("Reward.PartnerInvalid", (await Assert.ThrowsAsync<DomainException>(
            () => Rewards.UpdateItemAsync(organizer, item, Details(node, 12, 30, "新名称") with { PartnerUserId = person.RequiredUserId() }, 30))).Code);
    }

    [Fact]
    public async Task APartner_SeesOnlyTheirOwnItemsAndSettlement_AndCannotHandOverOthersItems()
    {
        var partner = _city.Partner.Principal;
        var partnerId = partner.RequiredUserId();
        var otherPartner = await NewPartnerAsync();
        var own = await NewItemAsync(stock: 10, cost: 100, org: "测试区", partner: partnerId, admin: true);
        var theirs = await NewItemAsync(stock: 10, cost: 100, org: "测试区", partner: otherPartner.RequiredUserId(), admin: true);
        var community = await NewItemAsync(stock: 10, cost: 10);
        var people = await NewVolunteersAsync(3, points: 1000);
        foreach (var (_, person) in people)
        {
            await Desk.HandOverAsync(partner, Vouchers.Issue(await Market.RedeemAsync(person, own)));
            await Desk.HandOverAsync(otherPartner, Vouchers.Issue(await Market.RedeemAsync(person, theirs)));
        }

        var communityVoucher = Vouchers.Issue(await Market.RedeemAsync(people[0].Principal, community));
        var partners = _host.Scoped<PartnerService>();
        var items = await partners.ItemsAsync(partner);
        var local = _host.Get<DezhiHub.Web.Platform.Localization.DisplayTime>().LocalNow;
        var settlement = await partners.SettlementAsync(partner, local.Year, local.Month);
        var fulfilled = await partners.FulfilledAsync(partner, local.Year, local.Month);

        Assert.Contains(items, i => i.Id == own && i.Fulfilled == 3 && i.Pending == 0);
        Assert.DoesNotContain(items, i => i.Id == theirs || i.Id == community);
        Assert.Equal(["测试商品"], items.Select(i => i.Name));
        var line = Assert.Single(settlement.Lines); // never another partner's item
        Assert.Equal((own, 100, 3, 300), (line.ItemId, line.UnitPoints, line.Count, line.TotalPoints));
        Assert.All(settlement.Lines, l => Assert.Contains(items, i => i.Id == l.ItemId));
        Assert.Equal(3, fulfilled.Count);
        Assert.All(fulfilled, f => Assert.Equal(_city.Partner.Name, f.HandedOverBy));
        Assert.All(fulfilled, f => Assert.Contains(f.ItemName, items.Select(i => i.Name)));
        Assert.Empty((await partners.SettlementAsync(partner, local.Year - 1, local.Month)).Lines);
        Assert.Equal(VoucherViewer.Stranger, (await Desk.ReadAsync(partner, communityVoucher)).Viewer);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Desk.HandOverAsync(partner, communityVoucher));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Market.ItemRedemptionsAsync(partner, theirs));
        Assert.Equal(3, (await Market.ItemRedemptionsAsync(partner, own)).Rows.Count);
        await Assert.ThrowsAsync<AccessDeniedException>(() => partners.ItemsAsync(people[0].Principal));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await partners.SettlementAsync(await OrganizerAsync(), local.Year, local.Month));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Rewards.ManagedItemsAsync(partner));
    }

    private async Task<ClaimsPrincipal> OrganizerAsync() => _city.Organizer.Principal;

    private static RewardItemDetails Details(int orgNodeId, int cost, int stock, string name = "测试商品") => new()
    {
        Name = name,
        PointsCost = cost,
        Stock = stock,
        OrgNodeId = orgNodeId,
    };

    private async Task<int> NewItemAsync(
        int stock, int cost, int? limit = null, string org = "东湖社区", int? partner = null, bool admin = false, DateTime? validFrom = null, DateTime? validUntil = null)
    {
        var manager = admin ? _city.Admin.Principal : await OrganizerAsync();
        return await Rewards.CreateItemAsync(manager, Details(await _host.OrgIdAsync(org), cost, stock) with
        {
            PerPersonLimit = limit,
            PartnerUserId = partner,
            ValidFromUtc = validFrom,
            ValidUntilUtc = validUntil,
        });
    }

    /// <summary>New residents of 红星社区/第一网格, each given <paramref name="points"/> through the ledger.</summary>
    private async Task<List<(int Id, ClaimsPrincipal Principal)>> NewVolunteersAsync(int count, int points, int first = 1)
    {
        var people = new List<(int Id, ClaimsPrincipal Principal)>();
        for (var i = first; i < first + count; i++)
        {
            var person = await _city.PersonAsync(_city.Grid1, $"测试志愿者{i}", Roles.Volunteer);
            if (points > 0)
            {
                await GivePointsAsync(person.Id, points, $"test:seed:{person.Id}");
            }

            people.Add((person.Id, person.Principal));
        }

        return people;
    }

    private async Task GivePointsAsync(int userId, int points, string sourceKey)
    {
        await using var db = _host.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await _host.Get<Ledger>().PostPointsAsync(db, userId, points, PointsKind.Earned, sourceKey, Now);
        await transaction.CommitAsync();
    }

    private async Task<ClaimsPrincipal> NewPartnerAsync()
    {
        await using var db = _host.NewDb();
        var user = new AppUser
        {
            UserName = "13799999999",
            NormalizedUserName = "13799999999",
            PhoneNumber = "13799999999",
            RealName = "另一家婚庆",
            OrgNodeId = await _host.OrgIdAsync("测试区"),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAtUtc = Now,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        var role = await db.Roles.Where(r => r.Name == Roles.Partner).Select(r => r.Id).SingleAsync();
        db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<int> { UserId = user.Id, RoleId = role });
        await db.SaveChangesAsync();
        return Principals.For(user.Id, user.RealName, Roles.Partner);
    }

    private async Task<int> StockAsync(int itemId)
    {
        await using var db = _host.NewDb();
        return await db.RewardItems.Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync();
    }

    private async Task<int> BalanceAsync(ClaimsPrincipal person)
    {
        await using var db = _host.NewDb();
        var id = person.RequiredUserId();
        return await db.VolunteerProfiles.Where(p => p.UserId == id).Select(p => p.PointsBalance).SingleAsync();
    }

    private async Task AssertLedgerConsistentAsync(ClaimsPrincipal person)
    {
        await using var db = _host.NewDb();
        var id = person.RequiredUserId();
        var sum = await db.PointsEntries.Where(e => e.UserId == id).SumAsync(e => e.Delta);
        Assert.Equal(sum, await BalanceAsync(person));
        Assert.True(sum >= 0);
    }

    private static CheckInKeyStore KeyStore()
    {
        var configured = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [CheckInKeyStore.ConfigurationKey] = configured })
            .Build();
        return new CheckInKeyStore(configuration, new ServiceCollection().BuildServiceProvider());
    }
}
