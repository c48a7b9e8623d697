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

namespace DezhiHub.Tests.Web;

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
