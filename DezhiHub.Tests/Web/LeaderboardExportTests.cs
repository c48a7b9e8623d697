using System.Net;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Volunteering;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>The leaderboard page and its hours-and-points exports over HTTP: who may fetch what, and what comes back.</summary>
/// <remarks>Credits hours and points (this month) to 13910015838 (a seeded resident of 红星社区) and 13910039595 (和平社区).</remarks>
[Collection(WebCollection.Name)]
public sealed class LeaderboardExportTests(AppFactory app)
{
    private const string HongxingResident = "13910015838";
    private const string HepingResident = "13910039595";

    private static readonly string[] Exports =
        ["/leaderboards/export/volunteers.csv", "/leaderboards/export/volunteers.xlsx", "/leaderboards/export/units.csv", "/leaderboards/export/units.xlsx"];

    public static TheoryData<string> ExportPaths => [.. Exports];

    [Theory]
    [InlineData("/leaderboards")]
    [MemberData(nameof(ExportPaths))]
    public async Task Anonymous_IsSentToSignIn(string path)
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [MemberData(nameof(ExportPaths))]
    public async Task AResident_IsSentToAccessDenied(string path)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Resident));

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnOrganizer_CannotExportAnotherCommunity_OrTheirStreet()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        foreach (var name in new[] { "和平社区", "东街街道" })
        {
            foreach (var path in Exports)
            {
                using var response = await client.GetAsync($"{path}?node={await OrgIdAsync(name)}");
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task AnOrganizer_ExportsTheirCommunitysVolunteers_AsCsv_WithMaskedPhones()
    {
        var (hongxing, heping) = await CreditedResidentsAsync();
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        // No node: the organizer's own community; no period: this month.
        using var response = await client.GetAsync("/leaderboards/export/volunteers.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("太行市 / 城区 / 东街街道 / 红星社区", lines[0]);
        Assert.Equal("\"姓名\",\"手机号\",\"社区\",\"服务时长（小时）\",\"获得积分\",\"当前积分余额\",\"当前星级\"", lines[1]);
        Assert.Contains($"\"{hongxing.Name}\",\"{Mask(hongxing.Phone)}\",\"红星社区\",\"1.5\",\"15\",\"15\",\"0\"", lines);
        Assert.DoesNotContain(lines, l => l.Contains(hongxing.Phone, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(Mask(heping.Phone), StringComparison.Ordinal) || l.Contains("和平社区", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAdmin_ExportsAStreetsCommunities_AsCsvAndExcel()
    {
        await CreditedResidentsAsync();
        using var client = app.NewClient("en-US");
        Assert.True(await client.SignInAsync(Demo.Admin));
        var street = await OrgIdAsync("东街街道");

        var csv = (await client.GetStringAsync($"/leaderboards/export/units.csv?node={street}&period=year")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"Volunteer hours and points by unit: 太行市 / 城区 / 东街街道 (", csv[0]);
        Assert.Equal("\"Unit\",\"Volunteers\",\"Service hours\",\"Points earned\"", csv[1]);
        Assert.Equal(["红星社区", "和平社区", "建设路社区", "Total"], csv.Skip(2).Select(l => l.Split(',')[0].Trim('"')));

        using var response = await client.GetAsync($"/leaderboards/export/units.xlsx?node={street}&period=all");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().ToList();
        Assert.Equal("Volunteer hours and points by unit: 太行市 / 城区 / 东街街道 (All time)", rows[0].Elements<Cell>().First().InnerText);
        var total = rows.Last().Elements<Cell>().ToList();
        Assert.Equal("Total", total[0].InnerText);
        Assert.Equal(CellValues.Number, total[2].DataType!.Value);
        Assert.True(double.Parse(total[2].InnerText, System.Globalization.CultureInfo.InvariantCulture) >= 2.5);
    }

    [Fact]
    public async Task AnUnknownPeriod_IsABadRequest()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));

        using var unknown = await client.GetAsync("/leaderboards/export/volunteers.csv?period=week");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var wrongKey = await client.GetAsync("/leaderboards/export/volunteers.csv?period=month&key=2026");
        Assert.Equal(HttpStatusCode.BadRequest, wrongKey.StatusCode);
    }

    [Fact]
    public async Task ThePage_ShowsAVolunteerTheirCommunitysBoard_AndTheirRank()
    {
        var (hongxing, _) = await CreditedResidentsAsync();
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Volunteer));

        using var response = await client.GetAsync("/leaderboards");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"leaderboard-rows\"", html);
        Assert.Contains("太行市 / 城区 / 东街街道 / 红星社区", html);
        Assert.Contains(hongxing.Name, html);
        Assert.Contains("我的排名", html);
        // A volunteer gets no export menu.
        Assert.DoesNotContain("/leaderboards/export/", html);

        using var organizer = app.NewClient();
        Assert.True(await organizer.SignInAsync(Demo.OrganizerHongxing));
        Assert.Contains("data-testid=\"leaderboard-export\"", await organizer.GetStringAsync("/leaderboards?metric=points&period=all"));
    }

    private static string Mask(string phone) => $"{phone[..3]}****{phone[7..]}";

    /// <summary>
    /// Two seeded residents no other test uses — 13910015838 of 红星社区 and 13910039595 of 和平社区 — credited 90
    /// minutes and 15 points once this month (a source key per person, so once however many tests ask).
    /// </summary>
    private async Task<((string Name, string Phone) Hongxing, (string Name, string Phone) Heping)> CreditedResidentsAsync()
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var ledger = app.Services.GetRequiredService<Ledger>();
        var people = new List<(string, string)>();
        foreach (var phone in new[] { HongxingResident, HepingResident })
        {
            await using var db = await factory.CreateDbContextAsync();
            var person = await db.Users.Where(u => u.PhoneNumber == phone).Select(u => new { u.Id, u.RealName }).SingleAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var now = DateTime.UtcNow;
            await ledger.PostHoursAsync(db, person.Id, 90, HoursKind.Attendance, $"test:leaderboard-export:{person.Id}", now);
            await ledger.PostPointsAsync(db, person.Id, 15, PointsKind.Earned, $"test:leaderboard-export:{person.Id}", now);
            await transaction.CommitAsync();
            people.Add((person.RealName, phone));
        }

        return (people[0], people[1]);
    }

    private async Task<int> OrgIdAsync(string name)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.OrgNodes.Where(n => n.Name == name).Select(n => n.Id).SingleAsync();
    }
}
