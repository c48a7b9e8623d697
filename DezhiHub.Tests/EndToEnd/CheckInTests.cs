using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Playwright;
using StbImageSharp;
using Xunit.Abstractions;
using ZXing;
using ZXing.Common;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// The door of an activity: the organizer's check-in screen shows a code, a volunteer's phone reads it (here: the
/// screen's picture decoded by ZXing), signs in, confirms, and the screen's count rises — for check-in and check-out.
/// </summary>
/// <remarks>Adds an activity of 红星社区 starting ten minutes from now, with 刘洋 (13800000004) signed up.</remarks>
[Collection(WebCollection.Name)]
public sealed class CheckInTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task AVolunteerScansTheScreenWithAPhone_ChecksInAndOut_AndTheScreenCountsThem()
    {
        var screen = await OpenAsync();
        var (id, title) = await CheckInData.ActivityAsync(App.Services, signUpRequired: true, signedUp: Demo.Volunteer);
        await SignInAsync(screen, Demo.OrganizerHongxing);
        await GoAsync(screen, $"/activities/{id}");
        await Expect(screen.Locator("[data-testid=checkin-screen-link]")).ToHaveTextAsync("打开签到屏");
        await ShotAsync(screen, "detail-manage");
        await screen.Locator("[data-testid=checkin-screen-link]").ClickAsync();
        await Expect(screen).ToHaveURLAsync(new Regex($"/activities/{id}/checkin-screen$"));
        await InteractiveAsync(screen);
        await Expect(screen.Locator("[data-testid=screen-title]")).ToHaveTextAsync(title);
        await Expect(screen.Locator("[data-testid=checked-in-count]")).ToHaveTextAsync("0");
        await Expect(screen.Locator("[data-testid=screen-countdown]")).ToContainTextAsync("秒后更新");
        Assert.True(await ScrollWidthAsync(screen) <= Desktop.Width, "the screen fits 1280 wide");
        // Opened on 127.0.0.1 with no public address configured: the screen says phones could not open its code.
        await Expect(screen.Locator("[data-testid=localhost-qr-warning]")).ToContainTextAsync("只有本机能打开");
        await ShotAsync(screen, "screen-1280");

        var checkInUrl = await ReadCodeAsync(screen);
        Assert.StartsWith($"{App.BaseAddress}checkin/", checkInUrl);

        // The phone is not signed in yet: sign-in, then straight back to the scanned code.
        var phone = await OpenAsync(phone: true);
        await phone.GotoAsync(checkInUrl);
        await Expect(phone).ToHaveURLAsync(new Regex("/account/login\\?"));
        await SubmitSignInFormAsync(phone, Demo.Volunteer, Demo.Password);
        await Expect(phone).ToHaveURLAsync(checkInUrl);
        await Expect(phone.Locator("h1")).ToHaveTextAsync("确认签到");
        await Expect(phone.Locator("[data-testid=checkin-activity]")).ToContainTextAsync(title);
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the confirm page fits the phone's width");
        await ShotAsync(phone, "confirm-checkin");
        await phone.Locator("[data-testid=checkin-confirm]").ClickAsync();
        await Expect(phone.Locator("[data-testid=checkin-result]")).ToHaveTextAsync(new Regex(@"^签到成功 \d\d:\d\d$"));
        await ShotAsync(phone, "checked-in");

        await Expect(screen.Locator("[data-testid=checked-in-count]")).ToHaveTextAsync("1", new() { Timeout = 8_000 });
        await ShotAsync(screen, "counted");

        // The operator switches to the check-out code: a different code, and the check-out count appears.
        await screen.Locator("[data-testid=screen-purpose]").GetByText("签退码", new() { Exact = true }).ClickAsync();
        await Expect(screen.Locator("[data-testid=checked-out-count]")).ToHaveTextAsync("0");
        var checkOutUrl = await ReadCodeAsync(screen);
        Assert.NotEqual(checkInUrl, checkOutUrl);
        await screen.SetViewportSizeAsync(1920, 1080);
        Assert.True(await ScrollWidthAsync(screen) <= 1920, "the screen fits 1920 wide");
        await ShotAsync(screen, "screen-1920-checkout");

        await phone.GotoAsync(checkOutUrl);
        await Expect(phone.Locator("h1")).ToHaveTextAsync("确认签退");
        await phone.Locator("[data-testid=checkin-confirm]").ClickAsync();
        await Expect(phone.Locator("[data-testid=checkin-result]")).ToHaveTextAsync(new Regex(@"^签退成功 \d\d:\d\d$"));
        await Expect(screen.Locator("[data-testid=checked-out-count]")).ToHaveTextAsync("1", new() { Timeout = 8_000 });
        await Expect(screen.Locator("[data-testid=checked-in-count]")).ToHaveTextAsync("1");

        // A second tap, or the code opened again: the first record is the answer.
        await phone.GotoAsync(checkOutUrl);
        await phone.Locator("[data-testid=checkin-confirm]").ClickAsync();
        await Expect(phone.Locator("[data-testid=checkin-result]")).ToHaveTextAsync(new Regex(@"^您已于 \d\d:\d\d 签退$"));
        await ShotAsync(phone, "already-checked-out");

        // A photo of an old code, forwarded to a group chat, is useless a minute later.
        await phone.GotoAsync($"/checkin/{CheckInData.Token(App.Services, id, stepsAgo: 3)}");
        await Expect(phone.Locator("[data-testid=checkin-expired] h1")).ToHaveTextAsync("二维码已过期，请扫描现场大屏上的最新二维码");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the expired page fits the phone's width");
        await ShotAsync(phone, "expired");

        // A tablet held upright, and the screen in English.
        await screen.SetViewportSizeAsync(800, 1280);
        Assert.True(await ScrollWidthAsync(screen) <= 800, "the screen fits an upright tablet");
        await ShotAsync(screen, "screen-portrait");
        await screen.SetViewportSizeAsync(1280, 800);
        await screen.Locator("[data-testid=culture-switch]").ClickAsync();
        await Expect(screen.Locator("[data-testid=screen-countdown]")).ToContainTextAsync("New code in");
        await ShotAsync(screen, "screen-english");
        AssertNoProblems();
    }

    /// <summary>What a phone would read: the screen's QR image, photographed and decoded by ZXing.</summary>
    private static Task<string> ReadCodeAsync(IPage page) => ReadQrAsync(page.Locator("[data-testid=checkin-qr]"), "the check-in screen");
}
