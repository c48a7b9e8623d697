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

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AHall_OffersItsSaturdaysLessTheClosedDay_AndCountsLiveBookingsPerLocalMonth()
    {
        var hall = await HallAsync("红星礼堂（使用率测试）", "红星社区", Saturdays, blackout: "2026-12-26");
        var heping = await HallAsync("和平礼堂（使用率测试）", "和平社区", Saturdays);
        var night = await HallAsync("红星礼堂夜场（使用率测试）", "红星社区", ",00:00-04:00,,,,,"); // Tuesdays 00:00–04:00 local = Monday 16:00–20:00 UTC
        var steward = await HallAsync("红星总管（使用率测试）", "红星社区", Saturdays, WeddingServiceKind.FolkSteward);
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var service = _host.Scoped<BookingReviewService>();

        var noShow = await BookAsync(Demo.Resident, hall, Local(11, 28, 9));
        var completed = await BookAsync(Demo.Volunteer, hall, Local(12, 5, 9));
        var declined = await BookAsync(Demo.Admin, hall, Local(12, 5, 13));
        await BookAsync(Demo.Resident, hall, Local(12, 12, 9)); // still awaiting review: counts as booked
        var cancelled = await BookAsync(Demo.Volunteer, hall, Local(12, 19, 9));
        await service.ApproveAsync(await _host.SignInAsAsync(Demo.OrganizerHeping), await BookAsync(Demo.Resident, heping, Local(12, 5, 9)));
        await BookAsync(Demo.Resident, night, Local(12, 1, 0)); // 1 Dec local is still 30 Nov in UTC
        await BookAsync(Demo.Resident, steward, Local(12, 5, 9));
        await service.ApproveAsync(organizer, noShow);
        await service.ApproveAsync(organizer, completed);
        await service.DeclineAsync(organizer, declined, "当天已安排其他活动");
        await _host.Scoped<BookingService>().CancelAsync(await _host.SignInAsAsync(Demo.Volunteer), cancelled);
        _host.Clock.SetUtcNow(new DateTimeOffset(Local(12, 6, 12), TimeSpan.Zero));
        await service.CloseAsync(organizer, noShow, cameAlong: false);
        await service.CloseAsync(organizer, completed, cameAlong: true);

        var report = await Reports().UtilisationAsync(organizer, 2026);

        var row = Assert.Single(report.Halls, h => h.ResourceId == hall);
        Assert.Equal("红星礼堂（使用率测试）", row.Name);
        Assert.Equal("红星社区", row.OrgName);
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

        var other = await Reports().UtilisationAsync(await _host.SignInAsAsync(Demo.OrganizerHeping), 2026);
        Assert.DoesNotContain(other.Halls, h => h.ResourceId == hall);
        Assert.Equal(new UtilisationCell(8, 1, 0, 0), Assert.Single(other.Halls, h => h.ResourceId == heping).Months[11]);
        var city = await Reports().UtilisationAsync(await _host.SignInAsAsync(Demo.Admin), 2026);
        Assert.Contains(city.Halls, h => h.ResourceId == hall);
        Assert.Contains(city.Halls, h => h.ResourceId == heping);
    }

    [Fact]
    public async Task AnotherYear_CountsOnlyItsOwnBookings_AndAMonthWithoutSlotsHasNoRate()
    {
        var hall = await HallAsync("红星礼堂（跨年测试）", "红星社区", Saturdays, blackout: "2027-01-02,2027-01-09,2027-01-16,2027-01-23,2027-01-30");
        await BookAsync(Demo.Resident, hall, Local(12, 5, 9));
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);

        var row = Assert.Single((await Reports().UtilisationAsync(organizer, 2027)).Halls, h => h.ResourceId == hall);

        Assert.Equal(new UtilisationCell(0, 0, 0, 0), row.Months[0]);
        Assert.Null(row.Months[0].Rate);
        Assert.Equal(8, row.Months[1].Offered); // February 2027: 6, 13, 20, 27
        Assert.Equal(0, row.Year.Booked);
    }

    [Fact]
    public async Task OnlyAdminsAndOrganizers_GetTheReport_ForAYearInRange()
    {
        var partner = await _host.SignInAsAsync(Demo.Partner);
        var resident = await _host.SignInAsAsync(Demo.Resident);
        var admin = await _host.SignInAsAsync(Demo.Admin);

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

/// <summary>The utilisation page and its CSV/Excel exports over real HTTP: who may fetch them, and what comes back.</summary>
[Collection(WebCollection.Name)]
public sealed class UtilisationExportTests(AppFactory app)
{
    [Theory]
    [InlineData("/weddings/utilisation")]
    [InlineData("/weddings/utilisation/export.csv")]
    [InlineData("/weddings/utilisation/export.xlsx")]
    [InlineData("/bookings/review")]
    public async Task Anonymous_IsSentToSignIn(string path)
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData(Demo.Volunteer, "/weddings/utilisation")]
    [InlineData(Demo.Partner, "/weddings/utilisation")]
    [InlineData(Demo.Partner, "/weddings/utilisation/export.csv")]
    [InlineData(Demo.Resident, "/weddings/utilisation/export.xlsx")]
    [InlineData(Demo.Volunteer, "/bookings/review")]
    public async Task TheWrongRole_IsSentToAccessDenied(string phone, string path)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(phone));

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnOrganizer_ExportsTheirHalls_AsCsvAndExcel_AndSeesThemOnThePage()
    {
        var (hall, heping) = await HallsWithABookingIn2031Async();
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        using var response = await client.GetAsync("/weddings/utilisation/export.csv?year=2031");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("hall-utilisation-2031.csv", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"礼堂\",\"所属组织\",\"月份\",\"可预约时段\",\"已预约\",\"已完成\",\"未到场\",\"使用率（%）\"", lines[0]);
        Assert.Contains($"\"{hall}\",\"红星社区\",\"2031-01\",\"8\",\"1\",\"1\",\"0\",\"12.5\"", lines);
        Assert.Contains($"\"{hall}\",\"红星社区\",\"2031-02\",\"8\",\"0\",\"0\",\"0\",\"0.0\"", lines);
        Assert.Contains($"\"{hall}\",\"红星社区\",\"全年 2031\",\"104\",\"1\",\"1\",\"0\",\"1.0\"", lines);
        Assert.Contains(lines, l => l.StartsWith("\"全部礼堂\",\"\",\"全年 2031\",", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(heping, StringComparison.Ordinal));

        using var xlsx = await client.GetAsync("/weddings/utilisation/export.xlsx?year=2031");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(DezhiHub.Web.Platform.Files.Xlsx.ContentType, xlsx.Content.Headers.ContentType!.MediaType);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToList()).ToList();
        Assert.Equal(["礼堂", "所属组织", "月份", "可预约时段", "已预约", "已完成", "未到场", "使用率（%）"], rows[0]);
        Assert.Contains(rows, r => r.SequenceEqual([hall, "红星社区", "2031-01", "8", "1", "1", "0", "12.5"]));
        Assert.Contains(rows, r => r.Count > 2 && r[0] == hall && r[2] == "2031-03");
        Assert.DoesNotContain(rows, r => r.Contains(heping));

        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/weddings/utilisation?year=2031"));
        Assert.Contains(hall, page);
        Assert.DoesNotContain(heping, page);
        Assert.Contains("href=\"/weddings/utilisation/export.xlsx?year=2031\"", page);

        using var english = app.NewClient("en-US");
        Assert.True(await english.SignInAsync(Demo.OrganizerHongxing));
        Assert.StartsWith("\"Hall\",\"Org unit\",\"Month\",\"Slots offered\"", (await english.GetStringAsync("/weddings/utilisation/export.csv?year=2031")).TrimStart('\uFEFF'));
    }

    [Theory]
    [InlineData("1999", "年份须在 2000–2100 之间。")]
    [InlineData("abc", "请求的参数不正确。")]
    public async Task ABadYear_IsAPlain400WithAMessage(string year, string message)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));

        using var response = await client.GetAsync($"/weddings/utilisation/export.csv?year={year}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A Saturday hall of 红星社区 (2 slots; January 2031 has 4 Saturdays, the year 52) with one completed booking on
    /// Saturday 4 January 2031, and a hall of 和平社区. Written straight to the database: the booking is years ahead.
    /// </summary>
    private async Task<(string Hall, string Heping)> HallsWithABookingIn2031Async()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (hall, heping) = ($"红星礼堂{suffix}", $"和平礼堂{suffix}");
        await using var scope = app.Services.CreateAsyncScope();
        var time = scope.ServiceProvider.GetRequiredService<DisplayTime>();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        WeddingResource Hall(string name, string org)
        {
            var node = db.OrgNodes.Single(n => n.Name == org);
            var resource = WeddingResource.Create(
                new WeddingResourceDetails { Kind = WeddingServiceKind.CeremonyHall, Name = name, OrgNodeId = node.Id, Hours = ",,,,,09:00-17:00,", SlotMinutes = 240 },
                node.Path,
                DateTime.UtcNow);
            db.WeddingResources.Add(resource);
            return resource;
        }

        var ours = Hall(hall, "红星社区");
        Hall(heping, "和平社区");
        await db.SaveChangesAsync();
        var applicant = await db.Users.Where(u => u.PhoneNumber == Demo.Volunteer).Select(u => u.Id).SingleAsync();
        var organizer = await db.Users.Where(u => u.PhoneNumber == Demo.OrganizerHongxing).Select(u => u.Id).SingleAsync();
        var start = time.ToUtc(new DateTime(2031, 1, 4, 9, 0, 0));
        var booking = Booking.Request(ours, applicant, start, start.AddHours(4), null, null, DateTime.UtcNow);
        booking.Approve(organizer, DateTime.UtcNow);
        booking.Close(cameAlong: true, organizer, start.AddHours(4));
        db.Bookings.Add(booking);
        await db.SaveChangesAsync();
        return (hall, heping);
    }
}
