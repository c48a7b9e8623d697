using System.Net;
using System.Text;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Localization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Hall utilisation on a small calendar worked out by hand: a hall open on Saturdays only, two four-hour slots each, one
/// Saturday closed. 2026 has 52 Saturdays (3 Jan … 26 Dec), so the hall offers 104 − 2 = 102 slots that year.
/// </summary>
public sealed class UtilisationTests : IAsyncLifetime
{
    private const string Saturdays = ",,,,,09:00-17:00,";

    private FeatureHost _host = null!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AHall_OffersItsSaturdaysLessTheClosedDay_AndCountsLiveBookingsPerLocalMonth()
    {
        var hall = await HallAsync("红星礼堂（使用率测试）", "东湖社区", Saturdays, blackout: "2026-12-26");
        var heping = await HallAsync("和平礼堂（使用率测试）", "西湖社区", Saturdays);
        var night = await HallAsync("红星礼堂夜场（使用率测试）", "东湖社区", ",00:00-04:00,,,,,"); // Tuesdays 00:00–04:00 local = Monday 16:00–20:00 UTC
        var steward = await HallAsync("红星总管（使用率测试）", "东湖社区", Saturdays, WeddingServiceKind.FolkSteward);
        var organizer = _city.Organizer.Principal;
        var service = _host.Scoped<BookingReviewService>();

        var noShow = await BookAsync(TestCity.ResidentPhone, hall, Local(11, 28, 9));
        var completed = await BookAsync(TestCity.VolunteerPhone, hall, Local(12, 5, 9));
        var declined = await BookAsync(TestCity.AdminPhone, hall, Local(12, 5, 13));
        await BookAsync(TestCity.ResidentPhone, hall, Local(12, 12, 9)); // still awaiting review: counts as booked
        var cancelled = await BookAsync(TestCity.VolunteerPhone, hall, Local(12, 19, 9));
        await service.ApproveAsync(_city.OtherOrganizer.Principal, await BookAsync(TestCity.ResidentPhone, heping, Local(12, 5, 9)));
        await BookAsync(TestCity.ResidentPhone, night, Local(12, 1, 0)); // 1 Dec local is still 30 Nov in UTC
        await BookAsync(TestCity.ResidentPhone, steward, Local(12, 5, 9));
        await service.ApproveAsync(organizer, noShow);
        await service.ApproveAsync(organizer, completed);
        await service.DeclineAsync(organizer, declined, "当天已安排其他活动");
        await _host.Scoped<BookingService>().CancelAsync(_city.Volunteer.Principal, cancelled);
        _host.Clock.SetUtcNow(new DateTimeOffset(Local(12, 6, 12), TimeSpan.Zero));
        await service.CloseAsync(organizer, noShow, cameAlong: false);
        await service.CloseAsync(organizer, completed, cameAlong: true);

        var report = await Reports().UtilisationAsync(organizer, 2026);

        var row = Assert.Single(report.Halls, h => h.ResourceId == hall);
        Assert.Equal("红星礼堂（使用率测试）", row.Name);
        Assert.Equal("东湖社区", row.OrgName);
        Assert.Equal([10, 8, 8, 8, 10, 8, 8, 10, 8, 10, 8, 6], row.Months.Select(m => m.Offered));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2], row.Months.Select(m => m.Booked));
        Assert.Equal(new UtilisationCell(8, 1, 0, 1), row.Months[10]);
        Assert.Equal(12.5, row.Months[10].Rate);
        Assert.Equal(new UtilisationCell(6, 2, 1, 0), row.Months[11]);
        Assert.Equal(33.3, row.Months[11].Rate);
        Assert.Equal(0, row.Months[0].Rate);
        Assert.Equal(new UtilisationCell(102, 3, 1, 1), row.Year);
        Assert.Equal(2.9, row.Year.Rate);

        var nightRow = Assert.Single(report.Halls, h => h.ResourceId == night);
        Assert.Equal(new UtilisationCell(4, 0, 0, 0), nightRow.Months[10]);
        Assert.Equal(new UtilisationCell(5, 1, 0, 0), nightRow.Months[11]);

        // Only the organizer's own subtree, only halls; the totals are the sums of the rows shown.
        Assert.DoesNotContain(report.Halls, h => h.ResourceId == heping || h.ResourceId == steward);
        Assert.Equal(UtilisationCell.Sum(report.Halls.Select(h => h.Months[11])), report.MonthTotals[11]);
        Assert.Equal(UtilisationCell.Sum(report.Halls.Select(h => h.Year)), report.Total);

        var other = await Reports().UtilisationAsync(_city.OtherOrganizer.Principal, 2026);
        Assert.DoesNotContain(other.Halls, h => h.ResourceId == hall);
        Assert.Equal(new UtilisationCell(8, 1, 0, 0), Assert.Single(other.Halls, h => h.ResourceId == heping).Months[11]);
        var city = await Reports().UtilisationAsync(_city.Admin.Principal, 2026);
        Assert.Contains(city.Halls, h => h.ResourceId == hall);
        Assert.Contains(city.Halls, h => h.ResourceId == heping);
    }

    [Fact]
    public async Task AnotherYear_CountsOnlyItsOwnBookings_AndAMonthWithoutSlotsHasNoRate()
    {
        var hall = await HallAsync("红星礼堂（跨年测试）", "东湖社区", Saturdays, blackout: "2027-01-02,2027-01-09,2027-01-16,2027-01-23,2027-01-30");
        await BookAsync(TestCity.ResidentPhone, hall, Local(12, 5, 9));
        var organizer = _city.Organizer.Principal;

        var row = Assert.Single((await Reports().UtilisationAsync(organizer, 2027)).Halls, h => h.ResourceId == hall);

        Assert.Equal(new UtilisationCell(0, 0, 0, 0), row.Months[0]);
        Assert.Null(row.Months[0].Rate);
        Assert.Equal(8, row.Months[1].Offered); // February 2027: 6, 13, 20, 27
        Assert.Equal(0, row.Year.Booked);
    }

    [Fact]
    public async Task OnlyAdminsAndOrganizers_GetTheReport_ForAYearInRange()
    {
        var partner = _city.Partner.Principal;
        var resident = _city.Resident.Principal;
        var admin = _city.Admin.Principal;

        await Assert.ThrowsAsync<AccessDeniedException>(() => Reports().UtilisationAsync(partner, 2026));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reports().UtilisationAsync(resident, 2026));
        var early = await Assert.ThrowsAsync<DomainException>(() => Reports().UtilisationAsync(admin, 1999));
        Assert.Equal("Utilisation.YearInvalid", early.Code);
        Assert.Equal(new object[] { WeddingReports.MinYear, WeddingReports.MaxYear }, early.Args);
    }

    private WeddingReports Reports() => _host.Scoped<WeddingReports>();

    private DateTime Local(int month, int day, int hour) => _host.Get<DisplayTime>().ToUtc(new DateTime(2026, month, day, hour, 0, 0));

    private async Task<int> HallAsync(string name, string org, string hours, WeddingServiceKind kind = WeddingServiceKind.CeremonyHall, string blackout = "")
    {
        await using var db = _host.NewDb();
        var node = await db.OrgNodes.SingleAsync(n => n.Name == org);
        var resource = WeddingResource.Create(
            new WeddingResourceDetails
            {
                Kind = kind,
                Name = name,
                Location = "社区党群服务中心",
                OrgNodeId = node.Id,
                Hours = hours,
                SlotMinutes = 240,
                BlackoutDates = blackout,
                Rules = new BookingRules { MinNoticeDays = 0, MaxAdvanceDays = 180, HouseholdLimit = 20, CancelCutoffHours = 24 },
            },
            node.Path,
            _host.Clock.GetUtcNow().UtcDateTime);
        db.WeddingResources.Add(resource);
        await db.SaveChangesAsync();
        return resource.Id;
    }

    private async Task<int> BookAsync(string phone, int resourceId, DateTime slotStartUtc) =>
        await _host.Scoped<BookingService>().BookAsync(await _host.SignInAsAsync(phone), resourceId, slotStartUtc, null, null);
}
