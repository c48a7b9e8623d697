using System.Text.RegularExpressions;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Volunteering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// A resident finds the leaderboard in the menu, sees their community's board with the first three places marked
/// and their own rank, switches to points over all time, and reads it on a phone; an organizer downloads the export.
/// </summary>
/// <remarks>
/// Credits hours and points (this month) to the four seeded residents of 建设路社区 (13910047514, 13910055433,
/// 13910300922, 13910308841): no other test may depend on their totals.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed class LeaderboardTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    // Minutes and points this month: two share second place, the fourth is the one who looks.
    private static readonly (string Phone, int Minutes, int Points)[] Credits =
        [("13910047514", 900, 90), ("13910055433", 720, 120), ("13910300922", 720, 72), ("13910308841", 600, 60)];

    [SkippableFact]
    public async Task AResident_SeesTheirCommunitysBoard_AndTheirRank_OnDesktopAndPhone()
    {
        var names = await CreditAsync();
        var me = Credits[^1].Phone;

        var desk = await OpenAsync();
        await SignInAsync(desk, me);
        await GoAsync(desk, "/");
        await desk.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "排行榜" }).ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("/leaderboards$"));
        await InteractiveAsync(desk);
        await Expect(desk.Locator("[data-testid=leaderboard-node]")).ToHaveTextAsync("太行市 / 城区 / 东街街道 / 建设路社区");
        var rows = desk.Locator("[data-testid=leaderboard-row]");
        await Expect(rows).ToHaveCountAsync(4);
        Assert.Equal(["1", "2", "2", "4"], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.rank)"));
        await Expect(rows.First).ToContainTextAsync(names[0]);
        await Expect(rows.First).ToContainTextAsync("15 小时");
        await Expect(rows.First).ToHaveClassAsync(new Regex("lb-top1"));
        await Expect(rows.Nth(3)).ToHaveClassAsync(new Regex("lb-me"));
        await Expect(desk.Locator("[data-testid=leaderboard-my-rank]")).ToHaveTextAsync("第 4 名");
        await Expect(desk.Locator("[data-testid=leaderboard-me]")).ToContainTextAsync("10 小时");
        await Expect(desk.Locator("[data-testid=leaderboard-export]")).ToHaveCountAsync(0);
        await ShotAsync(desk, "board-desktop");

        // Points over all time: the order changes, the address follows.
        await desk.Locator("[data-testid=leaderboard-metric]").GetByText("积分").ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("metric=points"));
        await desk.Locator("[data-testid=leaderboard-period]").GetByText("累计").ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("metric=points&period=all"));
        await Expect(rows.First).ToContainTextAsync(names[1]);
        await Expect(rows.First).ToContainTextAsync("120 分");
        await Expect(desk.Locator("[data-testid=leaderboard-my-rank]")).ToHaveTextAsync("第 4 名");
        await ShotAsync(desk, "points-all-time-desktop");

        // Up to the district: still the resident's own area.
        await desk.Locator("[data-testid=leaderboard-area]").GetByText("城区").ClickAsync();
        await Expect(desk.Locator("[data-testid=leaderboard-node]")).ToHaveTextAsync("太行市 / 城区");

        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, me);
        await GoAsync(phone, "/leaderboards");
        await Expect(phone.Locator("[data-testid=leaderboard-row]")).ToHaveCountAsync(4);
        await Expect(phone.Locator("[data-testid=leaderboard-my-rank]")).ToHaveTextAsync("第 4 名");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the board fits the phone's width");
        await ShotAsync(phone, "board-phone");

        // Someone else's district is not theirs to look at.
        await GoAsync(phone, $"/leaderboards?node={await OrgIdAsync("高新区")}");
        await Expect(phone.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task AnOrganizer_DownloadsTheVolunteersOfTheirCommunity()
    {
        await CreditAsync();
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, "/leaderboards?period=year");
        await desk.Locator("[data-testid=leaderboard-export]").ClickAsync();
        var csv = desk.Locator("[data-testid=export-volunteers-csv]");
        await Expect(csv).ToBeVisibleAsync();
        await ShotAsync(desk, "export-menu");

        var href = await csv.GetAttributeAsync("href");
        Assert.Matches(@"^/leaderboards/export/volunteers\.csv\?node=\d+&period=year$", href);
        var response = await desk.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        var text = await response.TextAsync();
        Assert.Contains("红星社区", text);
        Assert.DoesNotContain("建设路社区", text);
        AssertNoProblems();
    }

    /// <summary>Credits this month's hours and points once (a source key per person); returns the names in <see cref="Credits"/> order.</summary>
    private async Task<List<string>> CreditAsync()
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var ledger = App.Services.GetRequiredService<Ledger>();
        var names = new List<string>();
        foreach (var (phone, minutes, points) in Credits)
        {
            await using var db = await factory.CreateDbContextAsync();
            var person = await db.Users.Where(u => u.PhoneNumber == phone).Select(u => new { u.Id, u.RealName }).SingleAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var source = $"test:leaderboard-e2e:{person.Id}";
            await ledger.PostHoursAsync(db, person.Id, minutes, HoursKind.Attendance, source, DateTime.UtcNow);
            await ledger.PostPointsAsync(db, person.Id, points, PointsKind.Earned, source, DateTime.UtcNow);
            await transaction.CommitAsync();
            names.Add(person.RealName);
        }

        return names;
    }

    private async Task<int> OrgIdAsync(string name)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.OrgNodes.Where(n => n.Name == name).Select(n => n.Id).SingleAsync();
    }
}
