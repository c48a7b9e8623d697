using System.Text.RegularExpressions;
using DezhiHub.Domain.Attendance;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// The organizer's live attendance page: a person found by phone digits is checked in by hand, with a reason; after the
/// end, confirming on a phone says who was credited and who was not, and why.
/// </summary>
/// <remarks>
/// Adds an activity of 红星社区 starting ten minutes from now, with the demo admin (13800000001) signed up (nobody else
/// in the shared app signs them up), and one that took place yesterday with two new people of 红星社区.
/// </remarks>
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

    [SkippableFact]
    public async Task OnAPhone_ConfirmingSaysWhoWasCredited_AndWhoWasNotAndWhy()
    {
        var activity = await CertificateData.PastActivityAsync(App.Services, $"确认考勤测试 {Random.Shared.Next(10000, 99999)}", daysAgo: 1);
        await PresentAsync(activity, (await CertificateData.PersonAsync(App.Services, "欧阳明月")).Id, minutes: 72); // 60 % of two hours
        await PresentAsync(activity, (await CertificateData.PersonAsync(App.Services, "司马长风")).Id, minutes: 71); // 59 %
        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, Demo.OrganizerHongxing);
        await GoAsync(phone, $"/activities/{activity}/attendance");

        var sixty = phone.Locator("[data-testid=attendance-row]", new() { HasText = "欧阳明月" });
        var fiftyNine = phone.Locator("[data-testid=attendance-row]", new() { HasText = "司马长风" });
        await Expect(sixty.Locator("[data-testid=attendance-share]")).ToHaveTextAsync(new Regex("72/120 分钟 · 60%"));
        await Expect(sixty.Locator("[data-testid=attendance-hours]")).ToContainTextAsync("将计入 1.2 小时");
        await Expect(fiftyNine.Locator("[data-testid=attendance-hours]")).ToContainTextAsync("不足 60%，不计时长");
        await Expect(phone.Locator("[data-testid=attendance-preview]")).ToHaveTextAsync("确认后：1 人计入共 1.2 小时，1 人不足 60% 未计入。");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the attendance page scrolls sideways before confirming");
        await ShotAsync(phone, "before-confirming");

        await phone.Locator("[data-testid=attendance-confirm]").ClickAsync();

        await Expect(phone.Locator("[data-testid=attendance-confirmed]")).ToHaveTextAsync("考勤已确认：1 人计入共 1.2 小时，1 人不足 60% 未计入。");
        await Expect(sixty.Locator("[data-testid=attendance-hours]")).ToContainTextAsync("已计入 1.2 小时");
        await Expect(fiftyNine.Locator("[data-testid=attendance-hours]")).ToContainTextAsync("未计入：在场 59%（需 60%）");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the attendance page scrolls sideways after confirming");
        await ShotAsync(phone, "confirmed");
        await fiftyNine.ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "confirmed-not-counted");
        AssertNoProblems();
    }

    /// <summary>A check-in at the activity's start and a check-out <paramref name="minutes"/> later, by the person's own scans.</summary>
    private async Task PresentAsync(int activityId, int userId, int minutes)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var start = await db.Activities.Where(a => a.Id == activityId).Select(a => a.StartUtc).SingleAsync();
        var record = AttendanceRecord.CheckIn(activityId, userId, CheckInMethod.Screen, start);
        record.CheckOut(CheckInMethod.Screen, start.AddMinutes(minutes));
        db.Attendance.Add(record);
        await db.SaveChangesAsync();
    }
}
