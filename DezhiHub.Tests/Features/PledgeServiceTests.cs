using System.Security.Claims;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The civilized-wedding pledge on real SQLite: a couple signs every item or nothing, the partner's account is found
/// by mobile, one live pledge per person (also under parallel taps), an organizer of the applicant's subtree verifies
/// after the wedding, and each partner receives the pledge points once ever, whatever the races and however many
/// pledges they are part of.
/// </summary>
public sealed class PledgeServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;
    private IReadOnlyList<int> _items = [];

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        await using (var db = _host.NewDb())
        {
            db.PledgeItems.AddRange(PledgeItem.Create("不索要高价彩礼", 1), PledgeItem.Create("婚宴简约适度", 2), PledgeItem.Create("不搞低俗婚闹", 3));
            await db.SaveChangesAsync();
        }

        _items = [.. (await Pledges.ItemsAsync()).Select(i => i.Id)];
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private PledgeService Pledges => _host.Scoped<PledgeService>();

    private DateOnly Today => DateOnly.FromDateTime(_host.Get<DezhiHub.Web.Platform.Localization.DisplayTime>().LocalNow);

    [Fact]
    public async Task Signing_NeedsEveryCurrentItem_AndARefusalSavesNothing()
    {
        var liu = _city.Volunteer.Principal;

        var missingOne = await RefusalAsync(() => Pledges.SignAsync(liu, "王芳", "13912345678", Today.AddDays(30), _items.Skip(1).ToList()));
        var none = await RefusalAsync(() => Pledges.SignAsync(liu, "王芳", "13912345678", Today.AddDays(30), []));
        var unknown = await RefusalAsync(() => Pledges.SignAsync(liu, "王芳", "13912345678", Today.AddDays(30), [.. _items, 999_999]));

        Assert.Equal("Pledge.AllItemsRequired", missingOne);
        Assert.Equal("Pledge.AllItemsRequired", none);
        Assert.Equal("Pledge.ItemsChanged", unknown);
        Assert.Null(await Pledges.MineAsync(liu));
        await using var db = _host.NewDb();
        Assert.Equal(0, await db.WeddingPledges.CountAsync());
    }

    [Fact]
    public async Task RetiredItems_AreNotOffered_AndNotNeeded()
    {
        var liu = _city.Volunteer.Principal;
        await using (var db = _host.NewDb())
        {
            var first = await db.PledgeItems.SingleAsync(i => i.Id == _items[0]);
            first.Retire();
            await db.SaveChangesAsync();
        }

        var offered = (await Pledges.ItemsAsync()).Select(i => i.Id).ToList();
        Assert.Equal(_items.Skip(1), offered);
        Assert.Equal("Pledge.ItemsChanged", await RefusalAsync(() => Pledges.SignAsync(liu, "王芳", "13912345678", Today.AddDays(30), _items.ToList())));

        await Pledges.SignAsync(liu, "王芳", "13912345678", Today.AddDays(30), offered);
        Assert.Equal(offered.Count, (await Pledges.MineAsync(liu))!.Items.Count);
    }

    [Theory]
    [InlineData("王芳", "1391234567", 30, "Pledge.MobileInvalid")]
    [InlineData("王芳", "", 30, "Pledge.MobileInvalid")]
    [InlineData("王芳", "12912345678", 30, "Pledge.MobileInvalid")]
    [InlineData("王芳", "13912345678", -1, "Pledge.DatePast")]
    [InlineData("王芳", "13912345678", PledgeService.MaxAdvanceDays + 1, "Pledge.DateTooFar")]
    [InlineData("王芳", "13912345678", null, "Pledge.DateRequired")]
    [InlineData("  ", "13912345678", 30, "Pledge.PartnerNameInvalid")]
    [InlineData("王芳", "+86 137-0000-0004", 30, "Pledge.PartnerIsSelf")]
    public async Task BadPartnerOrDate_IsRefusedWithItsMessage_AndNothingIsSaved(string name, string mobile, int? daysAhead, string code)
    {
        var liu = _city.Volunteer.Principal;
        int notifications, audits;
        await using (var db = _host.NewDb())
        {
            notifications = await db.Notifications.CountAsync();
            audits = await db.AuditEntries.CountAsync();
        }

        var date = daysAhead is { } days ? Today.AddDays(days) : (DateOnly?)null;
        Assert.Equal(code, await RefusalAsync(() => Pledges.SignAsync(liu, name, mobile, date, _items.ToList())));

        await using var after = _host.NewDb();
        Assert.Equal(0, await after.WeddingPledges.CountAsync());
        Assert.Equal(notifications, await after.Notifications.CountAsync());
        Assert.Equal(audits, await after.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task TheSignature_FindsThePartnersAccountByMobile_RecordsTheApplicantsNode_AndTellsThePartner()
    {
        var liu = _city.Volunteer.Principal;
        var zhao = _city.Resident.Principal;
        var itemTexts = (await Pledges.ItemsAsync()).Select(i => i.Text).ToList();

        // Typed the way people type numbers: a prefix, spaces and dashes.
        var id = await Pledges.SignAsync(liu, $" {_city.Resident.Name} ", "+86 137-0000-0006", Today.AddDays(20), _items.ToList());

        await using var db = _host.NewDb();
        var pledge = await db.WeddingPledges.AsNoTracking().SingleAsync(p => p.Id == id);
        var liuNode = await db.Users.Where(u => u.Id == liu.RequiredUserId()).Select(u => u.OrgNodeId).SingleAsync();
        Assert.Equal(PledgeStatus.Pending, pledge.Status);
        Assert.Equal(zhao.RequiredUserId(), pledge.PartnerUserId);
        Assert.Equal(TestCity.ResidentPhone, pledge.PartnerMobile);
        Assert.Equal(_city.Resident.Name, pledge.PartnerName);
        Assert.Equal(liuNode, pledge.OrgNodeId);
        Assert.Equal(await db.OrgNodes.Where(n => n.Id == liuNode).Select(n => n.Path).SingleAsync(), pledge.OrgPath);
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == zhao.RequiredUserId() && n.MessageKey == "Pledge.PartnerSignedNotice"));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "pledge.signed" && a.EntityId == id.ToString()));

        var mine = await Pledges.MineAsync(liu);
        Assert.NotNull(mine);
        Assert.True(mine.IsApplicant);
        Assert.True(mine.PartnerHasAccount);
        Assert.Equal(itemTexts, mine.Items);
        Assert.Equal(Today.AddDays(20), mine.WeddingDate);
        Assert.Null(mine.PointsReceived);

        // The partner sees the same pledge, signed by the other, with the number masked.
        var theirs = await Pledges.MineAsync(zhao);
        Assert.NotNull(theirs);
        Assert.Equal(id, theirs.Id);
        Assert.False(theirs.IsApplicant);
        Assert.Equal(_city.Volunteer.Name, theirs.ApplicantName);
        Assert.Equal("137****0006", theirs.PartnerMobile);
    }

    [Fact]
    public async Task APartnerMobileWithoutAnAccount_NamesNoAccount()
    {
        var liu = _city.Volunteer.Principal;

        var id = await Pledges.SignAsync(liu, "王芳", "139 1234 5678", Today.AddDays(20), _items.ToList());

        var mine = (await Pledges.MineAsync(liu))!;
        Assert.Equal(id, mine.Id);
        Assert.False(mine.PartnerHasAccount);
        Assert.Equal("13912345678", mine.PartnerMobile);
    }

    [Fact]
    public async Task APartnerWhoRegistersAfterTheSignature_SeesThePledge_AndReceivesThePointsAtVerification()
    {
        var liu = _city.Volunteer.Principal;
        var organizer = _city.Organizer.Principal;
        var id = await Pledges.SignAsync(liu, "王芳", "139 1234 5678", Today.AddDays(3), _items.ToList());
        Assert.False((await Pledges.MineAsync(liu))!.PartnerHasAccount);

        // 王芳 registers with the mobile the pledge names.
        var (wangId, wang) = await NewResidentAsync("13912345678", "王芳");

        var hers = await Pledges.MineAsync(wang);
        Assert.NotNull(hers);
        Assert.Equal(id, hers.Id);
        Assert.False(hers.IsApplicant);
        Assert.True((await Pledges.MineAsync(liu))!.PartnerHasAccount);
        Assert.True((await Pledges.QueueAsync(organizer, PledgeStatus.Pending)).Items.Single(p => p.Id == id).PartnerHasAccount);

        _host.Clock.Advance(TimeSpan.FromDays(3));
        var before = await BalancesAsync(liu, wang);
        await Pledges.VerifyAsync(organizer, id);

        var points = Pledges.PledgePoints;
        Assert.Equal((before.Item1 + points, before.Item2 + points), await BalancesAsync(liu, wang));
        await using var db = _host.NewDb();
        Assert.Equal(wangId, await db.WeddingPledges.Where(p => p.Id == id).Select(p => p.PartnerUserId).SingleAsync());
        Assert.True(await db.PointsEntries.AnyAsync(e => e.UserId == wangId && e.SourceKey == $"pledge:{wangId}" && e.Delta == points));
        Assert.Equal(points, (await Pledges.MineAsync(wang))!.PointsReceived);
    }

    [Fact]
    public async Task OneLivePledgePerPerson_TwentyParallelSignaturesMakeOne_AndTheNamedPartnerCannotSignAnother()
    {
        var liu = _city.Volunteer.Principal;
        var zhao = _city.Resident.Principal;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<PledgeService>().SignAsync(liu, _city.Resident.Name, TestCity.ResidentPhone, Today.AddDays(20 + i), _items.ToList());
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("Pledge.AlreadySigned", o));
        Assert.DoesNotContain(_host.Logs.Since(0), e => e.Level >= LogLevel.Error || e.Exception is not null);
        await using (var db = _host.NewDb())
        {
            Assert.Equal(1, await db.WeddingPledges.CountAsync());
            Assert.Equal(1, await db.Notifications.CountAsync(n => n.MessageKey == "Pledge.PartnerSignedNotice"));
        }

        Assert.Equal("Pledge.AlreadySigned", await RefusalAsync(() => Pledges.SignAsync(zhao, _city.Volunteer.Name, TestCity.VolunteerPhone, Today.AddDays(20), _items.ToList())));
        var (_, third) = await NewResidentAsync("13700000901", "孙丽");
        Assert.Equal("Pledge.PartnerAlreadySigned", await RefusalAsync(() => Pledges.SignAsync(third, _city.Resident.Name, TestCity.ResidentPhone, Today.AddDays(20), _items.ToList())));
        await using var after = _host.NewDb();
        Assert.Equal(1, await after.WeddingPledges.CountAsync());
    }

    /// <summary>
    /// Rule 41 of decision 0014, ten rounds: two people sign each other's pledge at the same moment. Each request checked
    /// "is the partner in a live pledge?" before the other committed, so both pledges went through on PostgreSQL.
    /// </summary>
    [Fact]
    public async Task TwoPeopleSigningEachOthersPledgeAtOnce_MakeOnePledge()
    {
        for (var round = 0; round < 10; round++)
        {
            var (aPhone, bPhone) = ($"137000009{round}0", $"137000009{round}1");
            var (_, a) = await NewResidentAsync(aPhone, $"甲{round}");
            var (_, b) = await NewResidentAsync(bPhone, $"乙{round}");
            var outcomes = await Task.WhenAll(
                Task.Run(() => Outcome(() => _host.Scoped<PledgeService>().SignAsync(a, $"乙{round}", bPhone, Today.AddDays(20), _items.ToList()))),
                Task.Run(() => Outcome(() => _host.Scoped<PledgeService>().SignAsync(b, $"甲{round}", aPhone, Today.AddDays(20), _items.ToList()))));

            Assert.Single(outcomes, o => o == "ok");
            Assert.Single(outcomes, o => o is "Pledge.PartnerAlreadySigned" or "Pledge.AlreadySigned");
            await using var db = _host.NewDb();
            Assert.Equal(1, await db.WeddingPledges.CountAsync(p => p.PartnerMobile == aPhone || p.PartnerMobile == bPhone));
        }

        static async Task<string> Outcome(Func<Task<int>> sign)
        {
            try
            {
                await sign();
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        }
    }

    [Fact]
    public async Task Verifying_BeforeTheWeddingDay_IsRefused_AndCreditsNothing()
    {
        var liu = _city.Volunteer.Principal;
        var organizer = _city.Organizer.Principal;
        var id = await Pledges.SignAsync(liu, _city.Resident.Name, TestCity.ResidentPhone, Today.AddDays(10), _items.ToList());
        var before = await BalancesAsync(liu, _city.Resident.Principal);

        Assert.Equal("Pledge.NotYet", await RefusalAsync(() => Pledges.VerifyAsync(organizer, id)));
        _host.Clock.Advance(TimeSpan.FromDays(9));
        Assert.Equal("Pledge.NotYet", await RefusalAsync(() => Pledges.VerifyAsync(organizer, id)));
        Assert.False((await Pledges.QueueAsync(organizer, PledgeStatus.Pending)).Items.Single(p => p.Id == id).CanVerify);

        await using var db = _host.NewDb();
        Assert.Equal(PledgeStatus.Pending, await db.WeddingPledges.Where(p => p.Id == id).Select(p => p.Status).SingleAsync());
        Assert.Equal(0, await db.PointsEntries.CountAsync(e => e.Kind == PointsKind.PledgeBonus));
        Assert.Equal(before, await BalancesAsync(liu, _city.Resident.Principal));
    }

    [Fact]
    public async Task Verifying_AfterTheWedding_CreditsBothPartnersOnce_AndASecondVerifyIsRefused()
    {
        var liu = _city.Volunteer.Principal;
        var zhao = _city.Resident.Principal;
        var organizer = _city.Organizer.Principal;
        var points = Pledges.PledgePoints;
        var id = await Pledges.SignAsync(liu, _city.Resident.Name, TestCity.ResidentPhone, Today.AddDays(3), _items.ToList());
        _host.Clock.Advance(TimeSpan.FromDays(3));
        Assert.True((await Pledges.QueueAsync(organizer, PledgeStatus.Pending)).Items.Single(p => p.Id == id).CanVerify);
        var before = await BalancesAsync(liu, zhao);

        await Pledges.VerifyAsync(organizer, id);

        Assert.Equal((before.Item1 + points, before.Item2 + points), await BalancesAsync(liu, zhao));
        Assert.Equal(100, points);
        await using (var db = _host.NewDb())
        {
            var entries = await db.PointsEntries.AsNoTracking().Where(e => e.Kind == PointsKind.PledgeBonus).ToListAsync();
            Assert.Equal(2, entries.Count);
            Assert.Contains(entries, e => e.UserId == liu.RequiredUserId() && e.Delta == points && e.SourceKey == $"pledge:{liu.RequiredUserId()}");
            Assert.Contains(entries, e => e.UserId == zhao.RequiredUserId() && e.Delta == points && e.SourceKey == $"pledge:{zhao.RequiredUserId()}");
            Assert.All(entries, e => Assert.Equal(organizer.RequiredUserId(), e.ActorUserId));
            Assert.Equal(2, await db.Notifications.CountAsync(n => n.MessageKey == "Pledge.VerifiedNotice"));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "pledge.verified" && a.EntityId == id.ToString()));
        }

        var mine = (await Pledges.MineAsync(liu))!;
        Assert.Equal(PledgeStatus.Verified, mine.Status);
        Assert.Equal(points, mine.PointsReceived);
        Assert.Equal(points, (await Pledges.MineAsync(zhao))!.PointsReceived);

        Assert.Equal("Pledge.AlreadyDecided", await RefusalAsync(() => Pledges.VerifyAsync(organizer, id)));
        Assert.Equal("Pledge.AlreadyDecided", await RefusalAsync(() => Pledges.RejectAsync(organizer, id, "迟到的驳回")));
        Assert.Equal((before.Item1 + points, before.Item2 + points), await BalancesAsync(liu, zhao));
        await using var after = _host.NewDb();
        Assert.Equal(2, await after.PointsEntries.CountAsync(e => e.Kind == PointsKind.PledgeBonus));
    }

    [Fact]
    public async Task TwentyParallelVerifies_OfOnePledge_CreditThePointsOnce()
    {
        var liu = _city.Volunteer.Principal;
        var zhao = _city.Resident.Principal;
        var organizer = _city.Organizer.Principal;
        var admin = _city.Admin.Principal;
        var id = await Pledges.SignAsync(liu, _city.Resident.Name, TestCity.ResidentPhone, Today, _items.ToList());
        var before = await BalancesAsync(liu, zhao);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<PledgeService>().VerifyAsync(i % 2 == 0 ? organizer : admin, id);
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Contains(o, new[] { "Pledge.Changed", "Pledge.AlreadyDecided" }));
        var points = Pledges.PledgePoints;
        Assert.Equal((before.Item1 + points, before.Item2 + points), await BalancesAsync(liu, zhao));
        await using var db = _host.NewDb();
        Assert.Equal(2, await db.PointsEntries.CountAsync(e => e.Kind == PointsKind.PledgeBonus));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "pledge.verified"));
        Assert.Equal(2, await db.Notifications.CountAsync(n => n.MessageKey == "Pledge.VerifiedNotice"));
    }

    [Fact]
    public async Task APersonWhoReceivedThePledgeBonusBefore_IsNotCreditedAgain_ThroughAnotherPledge()
    {
        var liu = _city.Volunteer.Principal;
        var zhao = _city.Resident.Principal;
        var organizer = _city.Organizer.Principal;
        var points = Pledges.PledgePoints;
        var first = await Pledges.SignAsync(liu, _city.Resident.Name, TestCity.ResidentPhone, Today, _items.ToList());
        await Pledges.VerifyAsync(organizer, first);

        // A second pledge naming the resident again. The service refuses to sign one while the first is live, so it is written
        // straight to the database, as an older record or an import could hold it: the ledger still pays once.
        var (sunId, sun) = await NewResidentAsync("13700000902", "孙丽");
        int second;
        await using (var db = _host.NewDb())
        {
            var node = await db.Users.Where(u => u.Id == sunId).Select(u => u.OrgNodeId!.Value).SingleAsync();
            var path = await db.OrgNodes.Where(n => n.Id == node).Select(n => n.Path).SingleAsync();
            var pledge = WeddingPledge.Sign(sunId, _city.Resident.Name, TestCity.ResidentPhone, zhao.RequiredUserId(), Today, ["不索要高价彩礼"], node, path,
                _host.Clock.GetUtcNow().UtcDateTime, Today);
            db.WeddingPledges.Add(pledge);
            await db.SaveChangesAsync();
            second = pledge.Id;
        }

        var before = await BalancesAsync(sun, zhao);
        await Pledges.VerifyAsync(organizer, second);

        Assert.Equal((before.Item1 + points, before.Item2), await BalancesAsync(sun, zhao));
        await using var after = _host.NewDb();
        Assert.Equal(1, await after.PointsEntries.CountAsync(e => e.UserId == zhao.RequiredUserId() && e.Kind == PointsKind.PledgeBonus));
        Assert.Equal(1, await after.PointsEntries.CountAsync(e => e.UserId == sunId && e.Kind == PointsKind.PledgeBonus));
        Assert.True(await after.Notifications.AnyAsync(n => n.UserId == zhao.RequiredUserId() && n.MessageKey == "Pledge.VerifiedNoBonusNotice"));
        Assert.Equal(PledgeStatus.Verified, await after.WeddingPledges.Where(p => p.Id == second).Select(p => p.Status).SingleAsync());
    }

    [Fact]
    public async Task OnlyOrganizersOfTheApplicantsSubtree_SeeAndDecide_AndTheQueueMasksMobiles_EarliestWeddingFirst()
    {
        var liu = _city.Volunteer.Principal;
        var hongxing = _city.Organizer.Principal;
        var heping = _city.OtherOrganizer.Principal;
        var admin = _city.Admin.Principal;
        var partner = _city.Partner.Principal;
        var zhao = _city.Resident.Principal;
        var later = await Pledges.SignAsync(liu, "王芳", "13912345678", Today.AddDays(40), _items.ToList());
        var (_, sun) = await NewResidentAsync("13700000903", "孙丽");
        var sooner = await Pledges.SignAsync(sun, "周强", "13698765432", Today, _items.ToList());

        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.VerifyAsync(heping, sooner));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.RejectAsync(heping, sooner, "不在本社区"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.VerifyAsync(partner, sooner));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.VerifyAsync(zhao, sooner));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.QueueAsync(zhao, null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Pledges.QueueAsync(partner, null));
        Assert.Empty((await Pledges.QueueAsync(heping, null)).Items);

        var queue = await Pledges.QueueAsync(hongxing, PledgeStatus.Pending);
        Assert.Equal([sooner, later], queue.Items.Select(p => p.Id));
        Assert.Equal(2, queue.Total);
        var row = queue.Items.Single(p => p.Id == later);
        Assert.Equal(_city.Volunteer.Name, row.ApplicantName);
        Assert.Equal("137****0004", row.ApplicantMobile);
        Assert.Equal("139****5678", row.PartnerMobile);
        Assert.False(row.PartnerHasAccount);
        Assert.Contains("第一网格", row.OrgName);
        Assert.Equal([sooner, later], (await Pledges.QueueAsync(admin, null)).Items.Select(p => p.Id));
        Assert.Empty((await Pledges.QueueAsync(hongxing, PledgeStatus.Verified)).Items);

        await using var db = _host.NewDb();
        Assert.All(await db.WeddingPledges.ToListAsync(), p => Assert.Equal(PledgeStatus.Pending, p.Status));
    }

    [Fact]
    public async Task Rejecting_NeedsAReason_TellsBothPartners_AndTheCoupleMaySignAnew()
    {
        var liu = _city.Volunteer.Principal;
        var zhao = _city.Resident.Principal;
        var organizer = _city.Organizer.Principal;
        var id = await Pledges.SignAsync(liu, _city.Resident.Name, TestCity.ResidentPhone, Today.AddDays(5), _items.ToList());

        Assert.Equal("Booking.ReasonRequired", await RefusalAsync(() => Pledges.RejectAsync(organizer, id, "   ")));
        Assert.Equal("Booking.ReasonRequired", await RefusalAsync(() => Pledges.RejectAsync(organizer, id, null)));
        Assert.Equal("Booking.ReasonTooLong", await RefusalAsync(() => Pledges.RejectAsync(organizer, id, new string('长', Booking.ReasonMaxLength + 1))));
        Assert.Equal(PledgeStatus.Pending, (await Pledges.MineAsync(liu))!.Status);

        await Pledges.RejectAsync(organizer, id, " 婚宴规模超出承诺 ");

        var mine = (await Pledges.MineAsync(liu))!;
        Assert.Equal(PledgeStatus.Rejected, mine.Status);
        Assert.Equal("婚宴规模超出承诺", mine.RejectReason);
        Assert.True(mine.CanSignAgain);
        await using (var db = _host.NewDb())
        {
            Assert.Equal(2, await db.Notifications.CountAsync(n => n.MessageKey == "Pledge.RejectedNotice"
                && (n.UserId == liu.RequiredUserId() || n.UserId == zhao.RequiredUserId())));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "pledge.rejected" && a.EntityId == id.ToString()));
            Assert.Equal(0, await db.PointsEntries.CountAsync(e => e.Kind == PointsKind.PledgeBonus));
        }

        Assert.Equal("Pledge.AlreadyDecided", await RefusalAsync(() => Pledges.VerifyAsync(organizer, id)));
        var again = await Pledges.SignAsync(liu, _city.Resident.Name, TestCity.ResidentPhone, Today.AddDays(5), _items.ToList());
        Assert.NotEqual(id, again);
        Assert.Equal(again, (await Pledges.MineAsync(liu))!.Id);
        Assert.Equal(again, (await Pledges.MineAsync(zhao))!.Id);
    }

    private static async Task<string> RefusalAsync(Func<Task> action) => (await Assert.ThrowsAsync<DomainException>(action)).Code;

    /// <summary>The two people's points balances (0 for someone without a points account yet).</summary>
    private async Task<(int, int)> BalancesAsync(ClaimsPrincipal first, ClaimsPrincipal second)
    {
        await using var db = _host.NewDb();
        int Of(Dictionary<int, int> balances, ClaimsPrincipal p) => balances.GetValueOrDefault(p.RequiredUserId());
        var ids = new[] { first.RequiredUserId(), second.RequiredUserId() };
        var balances = await db.VolunteerProfiles.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, p => p.PointsBalance);
        return (Of(balances, first), Of(balances, second));
    }

    /// <summary>A resident of the community's second grid cell.</summary>
    private async Task<(int Id, ClaimsPrincipal Principal)> NewResidentAsync(string phone, string name)
    {
        var person = await _city.PersonAsync(phone, _city.Grid2, name);
        return (person.Id, person.Principal);
    }
}
