using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
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
/// Wedding services end to end: a couple books a ceremony hall from a phone, the organizer of the hall's community
/// approves it at a desk, and the couple's voucher QR code holds the voucher's URL; and a couple books a hall, the
/// registration appointment and a counselling session in one plan.
/// </summary>
/// <remarks>
/// Each test makes its own couple (a new account of 红星社区) and its own services of 红星社区 with unique names, so no
/// other test's bookings can take its slots and the household limits of the demo accounts do not matter.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed class WeddingTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task ACoupleBooksAHallOnAPhone_TheOrganizerApproves_AndTheVoucherQrHoldsItsUrl()
    {
        var phone = await OpenAsync(phone: true);
        var couple = await CertificateData.PersonAsync(App.Services, "周新");
        var hallName = $"E2E 礼堂 {Random.Shared.Next(1000, 9999)}";
        var hall = await ResourceAsync(Hall(hallName));

        // The couple finds the hall on the wedding services page.
        await SignInAsync(phone, couple.Phone);
        await phone.GotoAsync("/weddings");
        var card = phone.Locator("[data-testid=hub-service]", new() { HasText = hallName });
        await Expect(card).ToHaveAttributeAsync("data-service-id", Id(hall));
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the hub fits the phone's width");
        await card.ClickAsync();

        // The calendar: the first days are too soon to book (3 days' notice); the first free slot is picked.
        await Expect(phone).ToHaveURLAsync(new Regex($"/weddings/services/{hall}$"));
        await Expect(phone.Locator("[data-testid=svc-name]")).ToHaveTextAsync(hallName);
        await Expect(phone.Locator("[data-testid=slot][data-reason='Booking.TooSoon']").First).ToBeVisibleAsync();
        var slot = phone.Locator("[data-testid=slot][data-state=Free]").First;
        var start = await slot.GetAttributeAsync("data-start") ?? "";
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the calendar fits the phone's width");
        await slot.ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "calendar-phone");
        await slot.ClickAsync();

        // The booking page: what, when, the rules; the couple confirms and is told the request awaits review.
        await Expect(phone).ToHaveURLAsync(new Regex($"/weddings/book/{hall}/{start}$"));
        await Expect(phone.Locator("[data-testid=book-service]")).ToHaveTextAsync(hallName);
        await phone.Locator("#partner").FillAsync("吴静");
        await phone.Locator("#note").FillAsync("简约仪式，约 40 人。");
        await ShotAsync(phone, "confirm-phone");
        await phone.Locator("[data-testid=book-confirm]").ClickAsync();
        var result = phone.Locator("[data-testid=book-result]");
        await Expect(result).ToHaveAttributeAsync("data-outcome", nameof(BookingStatus.Requested));
        await Expect(phone.Locator("[data-testid=book-message]")).ToHaveTextAsync("预约申请已提交");
        await Expect(phone.Locator("[data-testid=book-outcome]")).ToContainTextAsync("等待审核");
        var booking = int.Parse(await result.GetAttributeAsync("data-booking-id") ?? "", CultureInfo.InvariantCulture);
        await ShotAsync(phone, "requested-phone");

        // My bookings: awaiting review, no voucher yet.
        await GoAsync(phone, "/bookings");
        var mine = phone.Locator($"[data-testid=my-booking][data-booking-id='{booking}']");
        await Expect(mine.Locator("[data-testid=my-booking-status]")).ToHaveTextAsync("待审核");
        await Expect(mine.Locator("[data-testid=my-booking-qr]")).ToHaveCountAsync(0);

        // The organizer of 红星社区, at a desk, approves the request.
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, "/bookings/review");
        var row = desk.Locator("[data-testid=review-table] tr", new() { Has = desk.Locator($"[data-testid=review-item][data-booking='{booking}']") });
        await Expect(row).ToContainTextAsync(hallName);
        await Expect(row.Locator("[data-testid=review-applicant]")).ToHaveTextAsync("周新");
        await ShotAsync(desk, "review-desktop");
        await row.Locator("[data-testid=review-approve]").ClickAsync();
        await Expect(desk.Locator(".mud-snackbar", new() { HasText = "已通过该预约" })).ToBeVisibleAsync();
        await Expect(desk.Locator($"[data-testid=review-item][data-booking='{booking}']")).ToHaveCountAsync(0);
        await ShotAsync(desk, "approved-desktop");

        // The couple's voucher: a QR code a phone camera reads as the voucher's URL, and the same code in groups.
        await GoAsync(phone, "/bookings");
        mine = phone.Locator($"[data-testid=my-booking][data-booking-id='{booking}']");
        await Expect(mine).ToHaveAttributeAsync("data-status", nameof(BookingStatus.Approved));
        await Expect(mine.Locator("[data-testid=my-booking-status]")).ToHaveTextAsync("已通过");
        var qr = mine.Locator("[data-testid=my-booking-qr]");
        await qr.ScrollIntoViewIfNeededAsync();
        await Expect(qr).ToBeVisibleAsync();
        var box = (await qr.BoundingBoxAsync())!;
        Assert.True(box.Width >= 200 && box.X >= 0 && box.X + box.Width <= Phone.Width, $"the code is large and within the phone's width ({box.X} + {box.Width})");
        var url = await ReadCodeAsync(qr);
        Assert.StartsWith($"{App.BaseAddress}bookings/vouchers/", url);
        var token = url[$"{App.BaseAddress}bookings/vouchers/".Length..];
        Assert.True(App.Services.GetRequiredService<BookingVouchers>().TryVerify(token, out var named) && named == booking, $"the code names booking {booking}");
        await Expect(mine.Locator("[data-testid=my-booking-code]")).ToHaveTextAsync(Vouchers.Grouped(token));
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "my bookings fit the phone's width");
        await ShotAsync(phone, "voucher-phone");
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task ACouplePlansHallRegistrationAndCounsellingInOneGo_AndFindsThemInMyBookings()
    {
        var phone = await OpenAsync(phone: true);
        var couple = await CertificateData.PersonAsync(App.Services, "郑和平");
        var tag = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(App.Services.GetRequiredService<DisplayTime>().LocalNow);
        var sessionDay = today.AddDays(2);
        var registrationDay = Enumerable.Range(3, 10).Select(today.AddDays).First(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var weddingDay = Enumerable.Range(10, 7).Select(today.AddDays).First(d => d.DayOfWeek == DayOfWeek.Saturday);
        var hall = await ResourceAsync(Hall($"E2E 规划礼堂 {tag}"));
        var office = await ResourceAsync(Office($"E2E 登记处 {tag}"));
        var course = await ResourceAsync(Course($"E2E 婚前课 {tag}", sessionDay));

        await SignInAsync(phone, couple.Phone);
        await GoAsync(phone, "/weddings/plan");
        await ShotAsync(phone, "plan-start-phone");

        // 1: the wedding day and the hall's morning.
        await phone.Locator("[data-testid=plan-day]").FillAsync(Iso(weddingDay));
        var hallSlot = SlotOf(phone, "plan-step-hall", hall).First;
        await hallSlot.ClickAsync();
        await Expect(hallSlot).ToHaveAttributeAsync("aria-pressed", "true");

        // 3: registration, the first time of the day; 4: the counselling class before it.
        await phone.Locator("[data-testid=plan-registration-day]").FillAsync(Iso(registrationDay));
        var officeSlot = SlotOf(phone, "plan-step-registration", office).First;
        await officeSlot.ClickAsync();
        await Expect(officeSlot).ToHaveAttributeAsync("aria-pressed", "true");
        var courseSlot = SlotOf(phone, "plan-step-counseling", course).First;
        await courseSlot.ClickAsync();
        await Expect(courseSlot).ToHaveAttributeAsync("aria-pressed", "true");

        // 5: the partner, the summary, and one button.
        await FillFieldAsync(phone.Locator("input[data-testid=plan-partner]"), "钱小慧");
        var submit = phone.Locator("[data-testid=plan-submit]");
        await Expect(submit).ToContainTextAsync("一次预约这 3 项");
        foreach (var kind in new[] { WeddingServiceKind.CeremonyHall, WeddingServiceKind.RegistrationAppointment, WeddingServiceKind.CounselingSession })
        {
            await Expect(phone.Locator($"[data-testid=plan-pick][data-kind={kind}]")).ToHaveAttributeAsync("data-chosen", "true");
        }

        await Expect(phone.Locator("[data-testid=plan-pick][data-kind=FolkSteward]")).ToHaveAttributeAsync("data-chosen", "false");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the plan fits the phone's width");
        await phone.Locator("[data-testid=plan-step-hall]").ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "plan-hall-phone");
        await phone.Locator("[data-testid=plan-step-counseling]").ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "plan-counselling-phone");
        await submit.ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "plan-summary-phone");
        await submit.ClickAsync();

        await Expect(phone.Locator("[data-testid=plan-success-title]")).ToHaveTextAsync("全部 3 项已预约");
        var booked = phone.Locator("[data-testid=plan-booked]");
        await Expect(booked).ToHaveCountAsync(3);
        await Expect(booked.Nth(0)).ToHaveAttributeAsync("data-status", nameof(BookingStatus.Requested));
        await Expect(booked.Nth(1)).ToHaveAttributeAsync("data-status", nameof(BookingStatus.Approved));
        await Expect(booked.Nth(2)).ToHaveAttributeAsync("data-status", nameof(BookingStatus.Approved));
        await ShotAsync(phone, "plan-booked-phone");

        // My bookings: the three parts, each marked as part of the plan, with the partner's name.
        await phone.Locator("[data-testid=plan-my-bookings]").ClickAsync();
        await Expect(phone).ToHaveURLAsync(new Regex("/bookings$"));
        foreach (var name in new[] { $"E2E 规划礼堂 {tag}", $"E2E 登记处 {tag}", $"E2E 婚前课 {tag}" })
        {
            var mine = phone.Locator("[data-testid=my-booking]", new() { Has = phone.Locator("[data-testid=my-booking-service]", new() { HasTextString = name }) });
            await Expect(mine).ToContainTextAsync("婚礼一站式规划中的一项");
            await Expect(mine).ToContainTextAsync("钱小慧");
        }

        await ShotAsync(phone, "my-bookings-phone");

        // The page on a desktop, for review: the steps beside a summary that stays in view.
        var desk = await OpenAsync();
        await SignInAsync(desk, couple.Phone);
        await GoAsync(desk, "/weddings/plan");
        await desk.Locator("[data-testid=plan-day]").FillAsync(Iso(weddingDay.AddDays(7)));
        await SlotOf(desk, "plan-step-hall", hall).First.ClickAsync();
        await Expect(desk.Locator("[data-testid=plan-pick][data-kind=CeremonyHall]")).ToHaveAttributeAsync("data-chosen", "true");
        await desk.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ShotAsync(desk, "plan-top-desktop");

        // And in English on a phone (the culture cookie the language switch sets).
        var english = await OpenAsync(phone: true);
        await english.Context.AddCookiesAsync([new Cookie { Name = CookieRequestCultureProvider.DefaultCookieName, Value = "c=en-US|uic=en-US", Url = App.BaseAddress.ToString() }]);
        await SignInAsync(english, couple.Phone);
        await GoAsync(english, "/weddings/plan");
        await Expect(english.Locator("h1")).ToHaveTextAsync("Plan your wedding in one go");
        await english.Locator("[data-testid=plan-day]").FillAsync(Iso(weddingDay.AddDays(7)));
        await Expect(SlotOf(english, "plan-step-hall", hall).First).ToContainTextAsync("Free");
        Assert.True(await ScrollWidthAsync(english) <= Phone.Width, "the English plan fits the phone's width");
        await ShotAsync(english, "plan-english-phone");
        await english.Locator("[data-testid=plan-step-counseling]").ScrollIntoViewIfNeededAsync();
        await ShotAsync(english, "plan-english-counselling-phone");
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task APlanWhoseHallWasTakenMeanwhile_SaysSo_AndTheOfferedSlotBooksIt()
    {
        var phone = await OpenAsync(phone: true);
        var couple = await CertificateData.PersonAsync(App.Services, "冯晓");
        var rival = await CertificateData.PersonAsync(App.Services, "蒋涛");
        var tag = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(App.Services.GetRequiredService<DisplayTime>().LocalNow);
        var weddingDay = Enumerable.Range(10, 7).Select(today.AddDays).First(d => d.DayOfWeek == DayOfWeek.Sunday);
        var hallName = $"E2E 抢约礼堂 {tag}";
        var hall = await ResourceAsync(Hall(hallName));
        var course = await ResourceAsync(Course($"E2E 辅导课 {tag}", today.AddDays(3)));

        await SignInAsync(phone, couple.Phone);
        await GoAsync(phone, "/weddings/plan");
        await phone.Locator("[data-testid=plan-day]").FillAsync(Iso(weddingDay));
        var morning = SlotOf(phone, "plan-step-hall", hall).First;
        var start = await morning.GetAttributeAsync("data-start") ?? "";
        await morning.ClickAsync();
        await SlotOf(phone, "plan-step-counseling", course).First.ClickAsync();
        await Expect(phone.Locator("[data-testid=plan-submit]")).ToContainTextAsync("一次预约这 2 项");
        await phone.Locator("[data-testid=plan-summary]").ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "plan-phone");

        // Another couple books that morning first.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            Assert.True(BookingPageText.TryParseSlotKey(start, out var startUtc));
            await scope.ServiceProvider.GetRequiredService<BookingService>()
                .BookAsync(await PrincipalAsync(scope.ServiceProvider, rival.Phone), hall, startUtc, null, null);
        }

        await phone.Locator("[data-testid=plan-submit]").ClickAsync();
        var failure = phone.Locator("[data-testid=plan-failure]");
        await Expect(failure).ToHaveAttributeAsync("data-part", nameof(WeddingServiceKind.CeremonyHall));
        await Expect(failure.Locator("[data-testid=plan-failure-reason]")).ToHaveTextAsync("该时段已被预约，请选择其他时段。");
        await Expect(failure.Locator("[data-testid=plan-nothing-held]")).ToBeVisibleAsync();
        await Expect(SlotOf(phone, "plan-step-hall", hall, start)).ToHaveAttributeAsync("data-state", nameof(SlotState.Taken));
        await failure.ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "plan-failed-phone");

        // One tap replaces the hall with the afternoon; one more books the plan.
        var alternative = failure.Locator($"[data-testid=plan-alternative][data-resource-id='{hall}']").First;
        var offered = await alternative.GetAttributeAsync("data-start") ?? "";
        Assert.NotEqual(start, offered);
        await alternative.ClickAsync();
        await Expect(failure).ToHaveCountAsync(0);
        await Expect(phone.Locator("[data-testid=plan-pick][data-kind=CeremonyHall]")).ToHaveAttributeAsync("data-start", offered);
        await Expect(phone.Locator("[data-testid=plan-notice]")).ToContainTextAsync(hallName);
        await phone.Locator("[data-testid=plan-submit]").ClickAsync();
        await Expect(phone.Locator("[data-testid=plan-success-title]")).ToHaveTextAsync("全部 2 项已预约");
        await ShotAsync(phone, "plan-booked-again-phone");
        AssertNoProblems();
    }

    private static ILocator SlotOf(IPage page, string step, int resourceId, string? start = null) => page.Locator(
        $"[data-testid={step}] [data-testid=plan-service][data-resource-id='{resourceId}'] "
        + (start is null ? "[data-testid=plan-slot][data-state=Free]" : $"[data-testid=plan-slot][data-start='{start}']"));

    private static WeddingResourceDetails Hall(string name) => new()
    {
        Kind = WeddingServiceKind.CeremonyHall,
        Name = name,
        Description = "端到端测试用的礼堂。",
        Location = "红星社区党群服务中心三楼",
        Seats = 40,
        Hours = WeeklyHours.Uniform(new(9, 0), new(18, 0), Enum.GetValues<DayOfWeek>()).ToString(),
        SlotMinutes = 240,
        BufferMinutes = 30,
        Rules = BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall),
    };

    private static WeddingResourceDetails Office(string name) => new()
    {
        Kind = WeddingServiceKind.RegistrationAppointment,
        Name = name,
        Location = "红星社区便民服务大厅",
        Hours = WeeklyHours.Uniform(new(9, 0), new(12, 0), DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday).ToString(),
        SlotMinutes = 30,
        Capacity = 2,
        Rules = BookingRules.DefaultFor(WeddingServiceKind.RegistrationAppointment),
    };

    private static WeddingResourceDetails Course(string name, DateOnly day) => new()
    {
        Kind = WeddingServiceKind.CounselingSession,
        Name = name,
        Location = "红星社区党群服务中心二楼",
        Counsellor = "李秀英",
        Hours = WeeklyHours.Closed.ToString(),
        SlotMinutes = 150,
        Capacity = 10,
        Sessions = string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd} 09:00-11:30"),
        Rules = BookingRules.DefaultFor(WeddingServiceKind.CounselingSession),
    };

    /// <summary>A service of 红星社区 added by the Admin through the catalogue.</summary>
    private async Task<int> ResourceAsync(WeddingResourceDetails details)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Id).SingleAsync();
        return await services.GetRequiredService<WeddingCatalog>().CreateAsync(await PrincipalAsync(services, Demo.Admin), details with { OrgNodeId = hongxing });
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>What a phone camera would read: the voucher's QR image as the browser draws it, decoded by ZXing.</summary>
    private static Task<string> ReadCodeAsync(ILocator image) => ReadQrAsync(image, "the voucher");
}
