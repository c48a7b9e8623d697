using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Certificates;
using DezhiHub.Web.Features.Leaderboards;
using DezhiHub.Web.Features.Volunteering;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The demo city as a newcomer finds it — the one Features test class that is about the demo seed (the others build
/// their own <see cref="TestCity"/>): 刘洋 is a volunteer with a year of service behind him (hours, a star, points, a
/// certificate that verifies), a few residents volunteer too, and every ledger cache and period total agrees with the
/// entries — the nightly reconciliation finds nothing to set right; the market offers its rewards; every kind of
/// wedding service is there; the waitlists are numbered.
/// </summary>
public sealed class DemoCityTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheDemoPartner_SeesTheirVoucherToHandOver_TheirRequestToReview_AndThisMonthsSettlement()
    {
        var partner = await _host.SignInAsAsync(Demo.Partner);

        var desk = (await _host.Scoped<DezhiHub.Web.Features.Home.HomeDashboard>().LoadAsync(partner)).Partner;

        // 刘玉珍's wedding-photo voucher waits; 李桂英's was handed over today (300 points); 陈一诺 asked for the photo
        // package. 赵磊's hall request is the organizers' to review, not the partner's.
        Assert.Equal(new DezhiHub.Web.Features.Home.PartnerDesk(VouchersToHandOver: 1, BookingsToReview: 1, HandedOverThisMonth: 1, PointsThisMonth: 300), desk);
    }

    [Fact]
    public async Task TheDemoCity_OffersEveryKindOfWeddingService_AndItsRequestedHallShowsAsTakenWithoutAName()
    {
        var bookings = _host.Scoped<DezhiHub.Web.Features.Weddings.BookingService>();
        var services = await bookings.ServicesAsync();
        Assert.Equal(Enum.GetValues<WeddingServiceKind>().Order(), services.Select(s => s.Kind).Distinct().Order());
        var resident = await _host.SignInAsAsync(Demo.Resident);
        var booking = Assert.Single(await bookings.MineAsync(resident));
        var time = _host.Get<DezhiHub.Web.Platform.Localization.DisplayTime>();
        var day = (await bookings.AvailabilityAsync(booking.ResourceId, DateOnly.FromDateTime(time.ToLocal(booking.StartUtc)), 1)).Days.Single();
        Assert.Equal(DezhiHub.Web.Features.Weddings.SlotState.Taken, day.Slots.Single(s => s.StartUtc == booking.StartUtc).State);
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var queue = await _host.Scoped<DezhiHub.Web.Features.Weddings.BookingReviewService>().ReviewQueueAsync(admin, new DezhiHub.Web.Features.Weddings.ReviewFilter(Status: BookingStatus.Requested));
        Assert.Contains(queue.Items, i => i.Id == booking.Id);
    }

    [Fact]
    public async Task TheDemoMarket_OffersTheSeededRewards_ToTheDemoVolunteer_WhoHasPointsToSpend()
    {
        var volunteer = await _host.SignInAsAsync(Demo.Volunteer);
        var market = _host.Scoped<DezhiHub.Web.Features.Market.MarketService>();

        var offer = await market.OfferAsync(volunteer);

        // His points come from his credited service: enough for any of the rewards.
        Assert.Equal((await _host.Scoped<VolunteerService>().MineAsync(volunteer)).PointsBalance, offer.Balance);
        Assert.True(offer.Balance >= offer.Items.Max(i => i.PointsCost), $"the demo volunteer can afford every reward, not with {offer.Balance}");
        Assert.Equal([("环保购物袋", 50), ("理发券", 120), ("婚纱照优惠券", 300)], offer.Items.Select(i => (i.Name, i.PointsCost)));
        Assert.Equal("陈静", offer.Items.Single(i => i.ByPartner).Provider);
        var id = await market.RedeemAsync(volunteer, offer.Items[0].Id);
        Assert.Equal(offer.Balance - 50, (await market.OfferAsync(volunteer)).Balance);
        Assert.Equal(id, Assert.Single(await market.MineAsync(volunteer)).Id);
    }

    [Fact]
    public async Task TheDemoWaitlist_IsNumbered_InSignUpOrder()
    {
        await using var db = _host.NewDb();
        var waiting = await db.Registrations.Where(r => r.Status == RegistrationStatus.Waitlisted)
            .OrderBy(r => r.ActivityId).ThenBy(r => r.SignedUpAtUtc).ThenBy(r => r.Id).ToListAsync();
        Assert.NotEmpty(waiting);
        Assert.All(waiting.GroupBy(r => r.ActivityId), queue =>
            Assert.Equal(Enumerable.Range(1, queue.Count()), queue.Select(r => r.WaitlistNumber ?? 0)));
    }

    [Fact]
    public async Task LiuYang_IsAVolunteer_WithCreditedHours_AStar_PointsToSpend_AndACertificateThatVerifies()
    {
        var liu = await _host.SignInAsAsync(Demo.Volunteer);

        var summary = await _host.Scoped<VolunteerService>().MineAsync(liu);

        Assert.True(summary.IsVolunteer, "刘洋 has completed the volunteer profile");
        Assert.Contains(Roles.Volunteer, (await RolesOfAsync(Demo.Volunteer)));
        Assert.InRange(summary.TotalMinutes, 100 * 60, 130 * 60);
        Assert.Equal(1, summary.StarLevel);
        Assert.True(summary.PointsBalance >= 300, $"enough points for any demo reward, not {summary.PointsBalance}");
        Assert.Equal(summary.PointsEarned, summary.PointsBalance); // he has spent nothing yet
        Assert.NotEmpty(summary.Skills);

        var certificates = _host.Scoped<CertificateService>();
        var listed = Assert.Single(await certificates.ListAsync(liu));
        Assert.Null(listed.RevokedAtUtc);
        Assert.Equal("红星社区", listed.IssuedBy);
        var document = await certificates.GetAsync(liu, listed.Id);
        Assert.True(document.Lines.Count >= 10, $"six months of service, not {document.Lines.Count} activities");
        Assert.Equal(document.TotalMinutes, document.Lines.Sum(l => l.Minutes));
        var verified = await certificates.VerifyAsync(document.Token);
        Assert.Equal(CertificateCheck.Genuine, verified.Check);
        Assert.Equal(("刘洋", document.TotalMinutes, document.ActivityCount), (verified.RealName, verified.TotalMinutes, verified.ActivityCount));
    }

    [Fact]
    public async Task TheSeededLedgers_HaveNoDrift_AndThePeriodTotalsAddUpToTheEntries()
    {
        var drifts = await _host.Scoped<LedgerReconciliation>().RunAsync();

        Assert.Empty(drifts);
        await using var db = _host.NewDb();
        var hours = await db.HoursEntries.AsNoTracking().ToListAsync();
        var points = await db.PointsEntries.AsNoTracking().ToListAsync();
        var periods = await db.VolunteerPeriodTotals.AsNoTracking().ToListAsync();
        Assert.True(hours.Select(e => e.UserId).Distinct().Count() >= 4, "several demo volunteers have hours");
        foreach (var person in hours.Select(e => e.UserId).Distinct())
        {
            var minutes = hours.Where(e => e.UserId == person).Sum(e => (long)e.Minutes);
            var earned = points.Where(e => e.UserId == person && e.Kind == PointsKind.Earned).Sum(e => e.Delta);
            var years = periods.Where(p => p.UserId == person && p.Period.Length == 4).ToList();
            var months = periods.Where(p => p.UserId == person && p.Period.Length == 7).ToList();
            Assert.Equal((minutes, earned), (years.Sum(p => p.Minutes), years.Sum(p => p.PointsEarned)));
            Assert.Equal((minutes, earned), (months.Sum(p => p.Minutes), months.Sum(p => p.PointsEarned)));
        }

        // Each entry's balance is the running sum of that person's entries.
        foreach (var person in points.GroupBy(e => e.UserId))
        {
            var running = 0;
            foreach (var entry in person.OrderBy(e => e.Id))
            {
                running += entry.Delta;
                Assert.Equal(running, entry.BalanceAfter);
            }
        }
    }

    [Fact]
    public async Task ThePastActivities_HaveConfirmedAttendance_ByScreenCardAndHand_AndTheirHoursAreTheLedgers()
    {
        await using var db = _host.NewDb();
        var now = FeatureHost.Start.UtcDateTime;
        var past = await db.Activities.AsNoTracking().Where(a => a.EndUtc < now && db.Attendance.Any(r => r.ActivityId == a.Id)).ToListAsync();
        var records = await db.Attendance.AsNoTracking().ToListAsync();
        var hours = await db.HoursEntries.AsNoTracking().ToListAsync();

        Assert.True(past.Count >= 15, $"months of finished activities, not {past.Count}");
        Assert.All(past, a => Assert.Equal(ActivityStatus.Completed, a.Status));
        Assert.Equal(Enum.GetValues<EightEntry>().Order(), past.Select(a => a.Entry).Distinct().Order());
        Assert.Equal(["和平社区", "红星社区"], await db.OrgNodes.Where(n => past.Select(a => a.OrgNodeId).Contains(n.Id) && n.Level == OrgLevel.Community)
            .Select(n => n.Name).OrderBy(n => n).ToListAsync());
        Assert.All(records, r => Assert.NotNull(r.CreditedAtUtc));
        Assert.Contains(records, r => r.CheckInMethod == CheckInMethod.Screen);
        Assert.Contains(records, r => r.CheckInMethod == CheckInMethod.Card && r.RecordedByUserId != null);
        var manual = Assert.Single(records, r => r.CheckInMethod == CheckInMethod.Manual);
        Assert.False(string.IsNullOrWhiteSpace(manual.ManualReason));
        Assert.Contains(records, r => r.CreditedMinutes == 0); // someone left early: no hours

        // Every credited attendance reached the hours ledger once, with its own minutes, and nothing else did.
        var credited = records.Where(r => r.CreditedMinutes > 0).ToDictionary(r => $"attendance:{r.Id}", r => r.CreditedMinutes!.Value);
        Assert.Equal(credited.OrderBy(c => c.Key), hours.ToDictionary(e => e.SourceKey, e => e.Minutes).OrderBy(c => c.Key));
        foreach (var activity in past)
        {
            var signedUp = await db.Registrations.CountAsync(r => r.ActivityId == activity.Id && r.Status == RegistrationStatus.Confirmed);
            Assert.Equal(signedUp, activity.ConfirmedCount);
            Assert.Equal(signedUp, records.Count(r => r.ActivityId == activity.Id));
        }
    }

    [Fact]
    public async Task TheLeaderboards_RankTheDemoVolunteers_WithLiuYangFirst()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var boards = _host.Scoped<LeaderboardService>();
        var city = await _host.OrgIdAsync("太行市");

        var hours = await boards.GetAsync(admin, new LeaderboardQuery(city, LeaderboardMetric.Hours, LeaderboardPeriod.AllTime));
        var month = await boards.GetAsync(admin, new LeaderboardQuery(city, LeaderboardMetric.Points, LeaderboardPeriod.Month));

        Assert.True(hours.Rows.Count >= 4, $"a ranking, not {hours.Rows.Count} rows");
        Assert.Equal(("刘洋", 1, 1), (hours.Rows[0].RealName, hours.Rows[0].Rank, hours.Rows[0].StarLevel));
        Assert.Equal(hours.Rows.Select(r => r.Value).OrderDescending(), hours.Rows.Select(r => r.Value));
        Assert.True(month.Rows.Count >= 2, "this month's board is not empty either");
    }

    [Fact]
    public async Task ThePartner_HasAVoucherToHandOver_OneHandedOver_AndABookingToReview()
    {
        await using var db = _host.NewDb();
        var partner = await db.Users.Where(u => u.PhoneNumber == Demo.Partner).Select(u => u.Id).SingleAsync();

        var redemptions = await db.Redemptions.AsNoTracking().Where(r => db.RewardItems.Any(i => i.Id == r.ItemId && i.PartnerUserId == partner)).ToListAsync();
        var requested = await db.Bookings.AsNoTracking()
            .Where(b => b.Status == BookingStatus.Requested && db.WeddingResources.Any(w => w.Id == b.ResourceId && w.ProviderUserId == partner)).CountAsync();

        Assert.Equal(1, redemptions.Count(r => r.Status == RedemptionStatus.Pending));
        Assert.Equal(1, redemptions.Count(r => r.Status == RedemptionStatus.Fulfilled && r.ClosedByUserId == partner));
        Assert.Equal(1, requested);
    }

    private async Task<List<string>> RolesOfAsync(string phone)
    {
        await using var db = _host.NewDb();
        return await (from u in db.Users
                      join ur in db.UserRoles on u.Id equals ur.UserId
                      join r in db.Roles on ur.RoleId equals r.Id
                      where u.PhoneNumber == phone
                      select r.Name!).ToListAsync();
    }
}
