using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.CheckIn;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// Every page an organizer or an admin works with, on a phone (390×844): none scrolls sideways, and at the door the
/// attendance page keeps a checked-in person's 签退 and 撤销签到 buttons on the screen.
/// </summary>
/// <remarks>
/// Adds an activity of 红星社区 starting ten minutes from now with two new people of 红星社区 signed up, one of them
/// checked in by hand. One browser context: the organizer's pages first, then the same context signed in as the admin
/// (and as the partner for the partner page).
/// </remarks>
[Collection(WebCollection.Name)]
public sealed class OrganizerPhoneTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    private readonly ITestOutputHelper _output = output;

    /// <summary>
    /// Views wider than a phone on purpose, which scroll inside themselves: the coverage matrix (units × eight entries)
    /// and the hall utilisation table (halls × twelve months), both keeping their first column in place, and the row
    /// of service-kind filter chips on the wedding catalogue.
    /// </summary>
    private static readonly string[] WideOnPurpose = ["coverage-matrix", "utilisation-table", "dz-kind-bar"];

    [SkippableFact]
    public async Task OnAPhone_NoOrganizerOrAdminPageScrollsSideways_AndTheDoorActionsStayOnScreen()
    {
        var page = await OpenAsync(phone: true);
        var ids = await DataAsync();
        var problems = new List<string>();

        await SignInAsync(page, Demo.OrganizerHongxing);
        await GoAsync(page, $"/activities/{ids.Activity}/attendance");
        var row = page.Locator("[data-testid=attendance-row][data-status=CheckedIn]");
        await Expect(row).ToHaveCountAsync(1);
        await ShotAsync(page, "attendance");
        foreach (var action in new[] { "manual-check-out", "undo-check-in" })
        {
            var box = await row.Locator($"[data-testid={action}]").BoundingBoxAsync();
            if (box is null || box.X < 0 || box.X + box.Width > Phone.Width)
            {
                problems.Add(box is null
                    ? $"the attendance page shows no {action} button for a checked-in person"
                    : $"the attendance page's {action} button of a checked-in person lies outside the phone's width (x {box.X:0} to {box.X + box.Width:0})");
            }
        }

        var signedIn = Demo.OrganizerHongxing;
        foreach (var (who, path) in Pages(ids))
        {
            if (who != signedIn)
            {
                await SignInAsync(page, who);
                signedIn = who;
            }

            await GoAsync(page, path);
            await SettledAsync(page);
            await ShotAsync(page, path.Trim('/').Replace('/', '_'));
            var width = await ScrollWidthAsync(page);
            _output.WriteLine($"{width,4} px  {path} ({who})");
            if (width > Phone.Width)
            {
                problems.Add($"{path} (signed in as {who}) is {width} px wide: {await WidestAsync(page)}");
            }

            // A table that scrolls inside itself hides columns (and their buttons) just the same.
            if (await HiddenSidewaysAsync(page) is { Length: > 0 } hidden)
            {
                problems.Add($"{path} (signed in as {who}) scrolls sideways inside {hidden}");
            }
        }

        Assert.True(problems.Count == 0, "on a 390 px phone:\n" + string.Join("\n", problems));
        AssertNoProblems();
    }

    /// <summary>The pages to check, and who opens them; grouped by who, so each sign-in is done once.</summary>
    private static IEnumerable<(string Who, string Path)> Pages(Ids ids)
    {
        string[] organizer =
        [
            "/activities/manage",
            "/activities/new",
            $"/activities/{ids.Activity}",
            $"/activities/{ids.Activity}/edit",
            $"/activities/{ids.Activity}/roster",
            $"/activities/{ids.Activity}/attendance",
            $"/activities/{ids.Activity}/checkin-screen",
            $"/activities/{ids.Activity}/scan",
            "/volunteers",
            $"/volunteers/{ids.Volunteer}",
            $"/volunteers/{ids.Volunteer}/certificates",
            "/points/awards",
            "/coverage",
            "/leaderboards",
            "/market/manage",
            "/market/manage/new",
            $"/market/manage/{ids.Reward}",
            $"/market/items/{ids.Reward}/redemptions",
            "/market/fulfil",
            "/weddings/manage",
            $"/weddings/manage/{ids.WeddingResource}",
            "/bookings/review",
            "/weddings/utilisation",
            "/weddings/pledges",
            "/admin/users",
            "/admin/org",
            "/admin/audit",
        ];
        string[] admin =
        [
            "/admin/users",
            "/admin/org",
            $"/admin/org/{ids.OrgNode}",
            "/admin/audit",
            "/admin/themes",
            "/weddings/manage",
            "/weddings/lottery",
            "/weddings/pledge-items",
            "/bookings/review",
            "/weddings/utilisation",
            "/coverage",
            "/leaderboards",
        ];
        return organizer.Select(p => (Demo.OrganizerHongxing, p))
            .Concat(admin.Select(p => (Demo.Admin, p)))
            .Append((Demo.Partner, "/partner"));
    }

    /// <summary>Waits for the page's data: its heading, and no loading bar left.</summary>
    private static async Task SettledAsync(IPage page)
    {
        await page.Locator("main h1, main h2, main h3, main h4, main h5, main h6, .mud-main-content h1").First.WaitForAsync();
        await Expect(page.Locator(".mud-progress-indeterminate, .mud-table-loading-progress")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => document.fonts.ready");
    }

    /// <summary>The elements that reach furthest to the right, to say in the failure what overflows.</summary>
    private static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>(
        """
        () => [...document.querySelectorAll('body *')]
            .map(e => ({ e, r: e.getBoundingClientRect() }))
            .filter(x => x.r.right > window.innerWidth + 1 && x.r.width > 0)
            .sort((a, b) => b.r.right - a.r.right)
            .slice(0, 3)
            .map(x => `${x.e.tagName.toLowerCase()}${x.e.id ? '#' + x.e.id : ''}.${[...x.e.classList].slice(0, 3).join('.')}${x.e.dataset.testid ? '[' + x.e.dataset.testid + ']' : ''} right=${Math.round(x.r.right)}`)
            .join('; ')
        """);

    /// <summary>Elements that scroll sideways inside the page, other than the views wide on purpose.</summary>
    private static Task<string> HiddenSidewaysAsync(IPage page) => page.EvaluateAsync<string>(
        """
        allowed => [...document.querySelectorAll('body *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
            .filter(e => e.getBoundingClientRect().width > 0)
            .filter(e => !allowed.some(a => e.dataset.testid === a || e.classList.contains(a)))
            .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].slice(0, 3).join('.')} (${e.scrollWidth} px in ${e.clientWidth})`)
            .join('; ')
        """,
        WideOnPurpose);

    private async Task<Ids> DataAsync()
    {
        var first = await CertificateData.PersonAsync(App.Services, "欧阳明月");
        var second = await CertificateData.PersonAsync(App.Services, "司马长风");
        var (activity, _) = await CheckInData.ActivityAsync(App.Services, signUpRequired: true, signedUp: [first.Phone, second.Phone]);
        await using var scope = App.Services.CreateAsyncScope();
        var organizer = await CertificateData.PrincipalAsync(App.Services, Demo.OrganizerHongxing);
        await scope.ServiceProvider.GetRequiredService<CheckInService>()
            .RecordForAsync(organizer, activity, first.Id, CheckInPurpose.CheckIn, CheckInMethod.Manual, "手机没电");

        await using var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => new { n.Id, n.Path }).SingleAsync();
        var volunteer = await db.Users.Where(u => u.PhoneNumber == Demo.Volunteer).Select(u => u.Id).SingleAsync();
        var reward = await db.RewardItems.Where(r => r.Name == "环保购物袋").Select(r => r.Id).FirstAsync();
        var resource = await db.WeddingResources.Where(r => r.OrgPath.StartsWith(hongxing.Path)).Select(r => r.Id).FirstAsync();
        return new Ids(activity, volunteer, reward, resource, hongxing.Id);
    }

    private sealed record Ids(int Activity, int Volunteer, int Reward, int WeddingResource, int OrgNode);
}
