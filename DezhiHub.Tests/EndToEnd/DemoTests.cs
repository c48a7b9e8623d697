using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// What a newcomer finds in the demo without running an activity first: 刘洋 is a volunteer with a star, hours and a
/// certificate that prints on one A4 sheet with room for the seal and signature in both languages; the partner 陈静's
/// home page says what waits for her.
/// </summary>
/// <remarks>Reads the demo data only (other tests add to the partner's vouchers, so her counts are read as "some").</remarks>
[Collection(WebCollection.Name)]
public sealed partial class DemoTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    /// <summary>42 mm at the 96 CSS pixels per inch a browser lays print out in.</summary>
    private const double SealPixels = 42 / 25.4 * 96;

    [SkippableFact]
    public async Task TheDemoVolunteer_SeesHisStarAndHours_AndHisCertificatePrintsOnOneA4Sheet_WithRoomForTheSealAndSignature()
    {
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.Volunteer);
        await GoAsync(desk, "/volunteer");
        await Expect(desk.Locator("[data-testid=volunteer-summary]")).ToBeVisibleAsync();
        await Expect(desk.Locator("[data-testid=volunteer-form]")).ToHaveCountAsync(0);
        await Expect(desk.Locator("[data-testid=star-text]")).ToHaveTextAsync("1★");
        var hours = double.Parse(await desk.Locator("[data-testid=total-hours]").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
        Assert.InRange(hours, 100, 130);
        await Expect(desk.Locator("[data-testid=star-next]")).ToContainTextAsync("升至 2★");
        await Expect(desk.Locator("[data-testid=points-history]")).ToContainTextAsync("红色家风故事进家庭");
        await ShotAsync(desk, "volunteer-desktop");

        // His community's board ranks its volunteers, him first.
        await GoAsync(desk, "/leaderboards?metric=hours&period=all");
        var rows = desk.Locator("[data-testid=leaderboard-row]");
        await Expect(rows.First).ToContainTextAsync("刘洋");
        Assert.True(await rows.CountAsync() >= 2, "a ranking, not one name");
        await ShotAsync(desk, "leaderboard-desktop");

        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, Demo.Volunteer);
        await GoAsync(phone, "/volunteer");
        await Expect(phone.Locator("[data-testid=star-text]")).ToHaveTextAsync("1★");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the volunteer page fits the phone's width");
        await ShotAsync(phone, "volunteer-phone");

        // His certificate, issued when the demo was made: six months of service on one sheet.
        await GoAsync(desk, "/volunteer/certificates");
        await desk.Locator("[data-testid=certificate-open]").Last.ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex(@"/certificates/\d+$"));
        await InteractiveAsync(desk);
        var sheet = desk.Locator("[data-testid=certificate-sheet]");
        await Expect(sheet.Locator("[data-testid=certificate-name]")).ToHaveTextAsync("刘洋");
        Assert.True(await sheet.Locator("[data-testid=certificate-line]").CountAsync() >= 10, "months of activities on the certificate");
        await Expect(sheet.Locator("[data-testid=certificate-signoff]")).ToContainTextAsync("开具单位（盖章）");
        await Expect(sheet.Locator("[data-testid=certificate-signature]")).ToContainTextAsync("负责人（签字）");
        await Expect(sheet.Locator("[data-testid=certificate-signed-on]")).ToContainTextAsync("年");
        var url = await ReadQrAsync(sheet.Locator("[data-testid=certificate-qr]"), "the demo certificate");
        await ShotAsync(desk, "certificate-desktop");

        await PrintsOnOneSheetAsync(desk, "zh");
        await desk.Locator("[data-testid=culture-switch]").ClickAsync();
        await Expect(sheet.Locator("h1")).ToHaveTextAsync("Volunteer Service Record Certificate");
        await Expect(sheet.Locator("[data-testid=certificate-signature]")).ToContainTextAsync("Person in charge (signature)");
        await InteractiveAsync(desk);
        await PrintsOnOneSheetAsync(desk, "en");

        // The phone shows the same sheet within its width, the seal's circle included.
        await GoAsync(phone, new Uri(desk.Url).AbsolutePath);
        await Expect(phone.Locator("[data-testid=certificate-seal]")).ToBeVisibleAsync();
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the certificate fits the phone's width");
        await phone.Locator("[data-testid=certificate-seal]").ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "certificate-phone-signoff");

        // Its code verifies.
        var camera = await OpenAsync(phone: true);
        await camera.GotoAsync(url);
        await Expect(camera.Locator("[data-testid=verify-status]")).ToHaveTextAsync("真实有效");
        await Expect(camera.Locator("[data-testid=verify-name]")).ToHaveTextAsync("刘洋");
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task ThePartner_SeesVouchersToHandOver_RequestsToReview_AndThisMonthsSettlement_OnTheHomePage()
    {
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.Partner);
        await GoAsync(desk, "/");
        var card = desk.Locator("[data-testid=home-partner]");
        await Expect(card).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("合作伙伴待办");
        Assert.True(int.Parse(await card.Locator("[data-testid=home-partner-vouchers]").GetAttributeAsync("data-count") ?? "0", CultureInfo.InvariantCulture) >= 1);
        Assert.True(int.Parse(await card.Locator("[data-testid=home-partner-bookings]").GetAttributeAsync("data-count") ?? "0", CultureInfo.InvariantCulture) >= 1);
        Assert.True(int.Parse(await card.Locator("[data-testid=home-partner-settled]").GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture) >= 300);
        await ShotAsync(desk, "partner-home-desktop");

        await card.Locator("[data-testid=home-partner-bookings]").ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("/bookings/review$"));
        await Expect(desk.Locator("body")).ToContainTextAsync("喜乐婚庆·婚纱摄影套餐");
        await GoAsync(desk, "/");
        await desk.Locator("[data-testid=home-partner-vouchers]").ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("/partner$"));
        await Expect(desk.Locator("[data-testid=partner-items]")).ToContainTextAsync("婚纱照优惠券");

        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, Demo.Partner);
        await GoAsync(phone, "/");
        await Expect(phone.Locator("[data-testid=home-partner]")).ToBeVisibleAsync();
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the home page fits the phone's width");
        await phone.Locator("[data-testid=home-partner]").ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "partner-home-phone");
        await phone.Locator("[data-testid=culture-switch]").ClickAsync();
        await Expect(phone.Locator("[data-testid=home-partner]")).ToContainTextAsync("vouchers to hand over");
        await ShotAsync(phone, "partner-home-phone-english");

        // Nobody else gets the card.
        var volunteer = await OpenAsync();
        await SignInAsync(volunteer, Demo.Volunteer);
        await GoAsync(volunteer, "/");
        await Expect(volunteer.Locator("[data-testid=home-me]")).ToBeVisibleAsync();
        await Expect(volunteer.Locator("[data-testid=home-partner]")).ToHaveCountAsync(0);
        AssertNoProblems();
    }

    /// <summary>The certificate on paper: one A4 page, with the seal's 42 mm circle and the signature lines on it.</summary>
    private async Task PrintsOnOneSheetAsync(IPage page, string language)
    {
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var seal = page.Locator("[data-testid=certificate-seal]");
        await Expect(seal).ToBeVisibleAsync();
        var box = await seal.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.InRange(box.Width, SealPixels - 2, SealPixels + 2);
        Assert.InRange(box.Height, SealPixels - 2, SealPixels + 2);
        await Expect(page.Locator("[data-testid=certificate-signature]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=certificate-signed-on]")).ToBeVisibleAsync();
        await ShotAsync(page, $"certificate-print-{language}");
        var pdf = await page.PdfAsync(new() { PreferCSSPageSize = true, PrintBackground = true });
        var pages = PdfPage().Count(Encoding.Latin1.GetString(pdf));
        Assert.True(pages == 1, $"the demo certificate ({language}) prints on one page, not {pages}");
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", $"DemoTests.certificate-{language}.pdf"), pdf);
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
    }

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PdfPage();
}
