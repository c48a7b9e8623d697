using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>The organizer's live attendance page: a person found by phone digits is checked in by hand, with a reason.</summary>
/// <remarks>Adds an activity of 红星社区 starting ten minutes from now, with the demo admin (13800000001) signed up (nobody else in the shared app signs them up).</remarks>
[Collection(WebCollection.Name)]
public sealed class AttendanceTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task AnOrganizer_FindsSomeoneByPhoneDigits_AndChecksThemInByHand()
    {
        var (id, title) = await CheckInData.ActivityAsync(App.Services, signUpRequired: true, signedUp: Demo.Admin);
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, $"/activities/{id}");
        await desk.Locator("[data-testid=attendance-link]").ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex($"/activities/{id}/attendance$"));
        await InteractiveAsync(desk);
        await Expect(desk.Locator("[data-testid=attendance-activity]")).ToContainTextAsync(title);
        await Expect(desk.Locator("[data-testid=attendance-row][data-status=Missing]")).ToHaveCountAsync(1);

        await desk.Locator("input[data-testid=attendance-search], [data-testid=attendance-search] input").FillAsync("0001");
        await desk.Locator("[data-testid=manual-check-in]").ClickAsync();
        await Expect(desk.Locator(".mud-snackbar")).ToContainTextAsync("原因");
        await Expect(desk.Locator("[data-testid=attendance-row][data-status=Missing]")).ToHaveCountAsync(1);

        await FillFieldAsync(desk.Locator("input[data-testid=attendance-reason], [data-testid=attendance-reason] input"), "手机没电");
        await desk.Locator("[data-testid=manual-check-in]").ClickAsync();
        await Expect(desk.Locator("[data-testid=attendance-row][data-status=CheckedIn]")).ToHaveCountAsync(1);
        await Expect(desk.Locator("[data-testid=attendance-row]")).ToContainTextAsync("手动");
        await ShotAsync(desk, "attendance-desktop");

        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, Demo.OrganizerHongxing);
        await GoAsync(phone, $"/activities/{id}/attendance");
        await Expect(phone.Locator("[data-testid=attendance-row][data-status=CheckedIn]")).ToHaveCountAsync(1);
        await ShotAsync(phone, "attendance-phone");
        AssertNoProblems();
    }
}
