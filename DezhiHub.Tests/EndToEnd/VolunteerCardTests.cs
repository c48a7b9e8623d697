using System.Security.Claims;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StbImageSharp;
using Xunit.Abstractions;
using ZXing.Common;
using ZXing;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// A volunteer's card: found from the menu, readable by a scanner on a desktop, on a phone and on paper, and replaced
/// through the confirmation dialog — after which the old card's code no longer passes. And a card scanned by mistake,
/// taken back on the attendance page.
/// </summary>
/// <remarks>
/// Reissues 刘洋's (13800000004) card: a test elsewhere must read the current card when it needs one, not keep one. Adds an
/// activity of 红星社区 starting ten minutes from now, where 陈静 (13800000005) is checked in by card, then undone.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed class VolunteerCardTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task AVolunteer_OpensTheirCard_OnDesktopPhoneAndPaper_AndReissuesIt()
    {
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.Volunteer);
        await GoAsync(desk, "/");
        await desk.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "我的志愿者卡" }).ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("/volunteer/card$"));
        await InteractiveAsync(desk);
        await Expect(desk.Locator("[data-testid=card-name]")).ToHaveTextAsync("刘洋");
        await Expect(desk.Locator("[data-testid=card-phone]")).ToHaveTextAsync("138****0004");
        await Expect(desk.Locator("[data-testid=card-qr]")).ToBeVisibleAsync();
        var url = await ReadCodeAsync(desk);
        Assert.StartsWith($"{App.BaseAddress}card/", url);
        Assert.Equal(CardCheck.Valid, await CheckAsync(url));
        await ShotAsync(desk, "card-desktop");

        // On paper: the card alone, at bank-card size, still a readable code.
        await desk.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(desk.Locator(".mud-appbar")).ToBeHiddenAsync();
        await Expect(desk.Locator("[data-testid=card-reissue]")).ToBeHiddenAsync();
        var printed = (await desk.Locator("[data-testid=volunteer-card]").BoundingBoxAsync())!;
        Assert.InRange(printed.Width, 85.6 / 25.4 * 96 - 2, (85.6 / 25.4 * 96) + 2); // 85.6 mm at 96 px per inch
        Assert.InRange(printed.Height, 54 / 25.4 * 96 - 2, (54 / 25.4 * 96) + 2);
        Assert.Equal(url, await ReadCodeAsync(desk));
        await ShotAsync(desk, "card-print");
        await desk.EmulateMediaAsync(new() { Media = Media.Screen });

        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, Demo.Volunteer);
        await GoAsync(phone, "/volunteer/card");
        var qr = phone.Locator("[data-testid=card-qr]");
        await Expect(qr).ToBeVisibleAsync();
        var box = (await qr.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= Phone.Width, $"the code lies within the phone's width ({box.X} + {box.Width})");
        Assert.True(box.Width >= 200, $"the code is large enough to scan from a screen ({box.Width} px)");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the card page fits the phone's width");
        Assert.Equal(url, await ReadCodeAsync(phone));
        await ShotAsync(phone, "card-phone");

        // Reissue: the dialog says the old card stops working; cancelling changes nothing, confirming does.
        await phone.Locator("[data-testid=card-reissue]").ClickAsync();
        var dialog = phone.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("旧卡立即失效");
        await ShotAsync(phone, "reissue-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(url, await ReadCodeAsync(phone));

        var number = await phone.Locator("[data-testid=card-number]").TextContentAsync();
        var version = int.Parse((await phone.Locator("[data-testid=volunteer-card]").GetAttributeAsync("data-version"))!, System.Globalization.CultureInfo.InvariantCulture);
        await phone.Locator("[data-testid=card-reissue]").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认补发" }).ClickAsync();
        await Expect(phone.Locator(".mud-snackbar")).ToContainTextAsync("已补发新卡");
        await Expect(phone.Locator("[data-testid=card-number]")).Not.ToHaveTextAsync(number!);
        var renewed = await ReadCodeAsync(phone);
        var reissuedVersion = version + 1;
        await Expect(phone.Locator("[data-testid=volunteer-card]")).ToHaveAttributeAsync("data-version", $"{reissuedVersion}");
        Assert.NotEqual(url, renewed);
        Assert.Equal(CardCheck.Valid, await CheckAsync(renewed));
        Assert.Equal(CardCheck.Revoked, await CheckAsync(url));
        await ShotAsync(phone, "card-reissued");

        // The same card in English: longer labels, still within the phone's width.
        await phone.Locator("[data-testid=culture-switch]").ClickAsync();
        await Expect(phone.Locator("h1")).ToHaveTextAsync("My volunteer card");
        await InteractiveAsync(phone);
        await Expect(phone.Locator("[data-testid=card-version]")).ToHaveTextAsync($"Version {reissuedVersion}");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the English card page fits the phone's width");
        await ShotAsync(phone, "card-english");

        // What a phone camera opens from the old card.
        var camera = await OpenAsync(phone: true);
        await camera.GotoAsync(url);
        await Expect(camera.Locator("[data-testid=card-status]")).ToHaveTextAsync("此卡已作废，请出示新卡");
        await Expect(camera.Locator("[data-testid=card-holder]")).ToHaveTextAsync("刘*");
        Assert.True(await ScrollWidthAsync(camera) <= Phone.Width, "the card info page fits the phone's width");
        await ShotAsync(camera, "old-card-info");
        await camera.GotoAsync(renewed);
        await Expect(camera.Locator("[data-testid=card-status]")).ToHaveTextAsync("有效的志愿者卡");
        await ShotAsync(camera, "card-info");
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task ACardScannedByMistake_IsUndoneOnTheAttendancePage_WithAReason()
    {
        var (id, title) = await CheckInData.ActivityAsync(App.Services, walkIns: true);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var card = await services.GetRequiredService<VolunteerCards>().MineAsync(await PrincipalAsync(services, Demo.Partner));
            await services.GetRequiredService<CheckInService>().RecordByCardAsync(
                await PrincipalAsync(services, Demo.OrganizerHongxing), id, $"{App.BaseAddress}card/{card.Token}", CheckInPurpose.CheckIn);
        }

        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, $"/activities/{id}/attendance");
        await Expect(desk.Locator("[data-testid=attendance-activity]")).ToContainTextAsync(title);
        var row = desk.Locator("[data-testid=attendance-row][data-status=CheckedIn]");
        await Expect(row).ToContainTextAsync("陈静");
        await Expect(row).ToContainTextAsync("志愿者卡");
        await row.Locator("[data-testid=undo-check-in]").ClickAsync();

        var dialog = desk.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("撤销 陈静 的签到");
        await Expect(dialog.Locator("[data-testid=undo-confirm]")).ToBeDisabledAsync();
        await FillFieldAsync(dialog.Locator("textarea[data-testid=undo-reason], [data-testid=undo-reason] textarea"), "误扫了陈静的卡");
        await Expect(dialog.Locator("[data-testid=undo-confirm]")).ToBeEnabledAsync();
        await ShotAsync(desk, "undo-dialog");
        await dialog.Locator("[data-testid=undo-confirm]").ClickAsync();

        await Expect(desk.Locator(".mud-snackbar")).ToContainTextAsync("已撤销 陈静 的签到");
        await Expect(desk.Locator("[data-testid=attendance-row]")).ToHaveCountAsync(0); // a walk-in leaves the roster
        await Expect(desk.Locator("[data-testid=attendance-empty]")).ToBeVisibleAsync();
        Assert.Equal(0, await CheckInData.AttendanceCountAsync(App.Services, id));
        await ShotAsync(desk, "undone");
        AssertNoProblems();
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }

    private async Task<CardCheck> CheckAsync(string scanned)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<VolunteerCards>().ReadAsync(scanned)).Check;
    }

    /// <summary>What an organizer's scanner would read: the card's QR image as the browser draws it, decoded by ZXing.</summary>
    private static Task<string> ReadCodeAsync(IPage page) => ReadQrAsync(page.Locator("[data-testid=card-qr]"), "the volunteer card");
}
