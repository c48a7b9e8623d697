using System.Text;
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
/// A volunteer issues a service record certificate, prints it on one A4 sheet, and a stranger's phone scans its code and
/// sees that it is genuine.
/// </summary>
/// <remarks>Makes its own volunteer of 红星社区/第一网格 with three activities of the last days.</remarks>
[Collection(WebCollection.Name)]
public sealed partial class CertificateTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task AVolunteer_IssuesACertificate_PrintsItOnOneA4Page_AndAPhoneVerifiesItsCode()
    {
        var desk = await OpenAsync();
        var person = await CertificateData.PersonAsync(App.Services, $"证明人{Random.Shared.Next(100, 999)}");
        string[] titles = ["太行精神宣讲进社区（证明测试）", "红色家书诵读会（证明测试）", "社区义诊志愿服务（证明测试）"];
        int[] minutes = [120, 90, 50];
        for (var i = 0; i < titles.Length; i++)
        {
            var activity = await CertificateData.PastActivityAsync(App.Services, titles[i], 9 - (3 * i));
            await CertificateData.CreditAsync(App.Services, person.Id, activity, minutes[i]);
        }

        await SignInAsync(desk, person.Phone);
        await GoAsync(desk, "/volunteer/certificates");
        await Expect(desk.Locator("h1")).ToHaveTextAsync("服务证明");
        await Expect(desk.Locator("[data-testid=certificate-empty]")).ToBeVisibleAsync();
        // Activities of the last days may fall in last year in early January: the last three years hold them all.
        await desk.Locator("[data-testid=certificate-issue] button", new() { HasTextString = "近三年" }).ClickAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Asia/Shanghai"));
        await Expect(desk.Locator("[data-testid=certificate-from] input, input[data-testid=certificate-from]")).ToHaveValueAsync(today.AddYears(-3).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await ShotAsync(desk, "issue");
        await desk.Locator("[data-testid=certificate-issue-submit]").ClickAsync();

        await Expect(desk).ToHaveURLAsync(new Regex(@"/certificates/\d+$"));
        await InteractiveAsync(desk);
        var sheet = desk.Locator("[data-testid=certificate-sheet]");
        await Expect(sheet.Locator("h1")).ToHaveTextAsync("志愿服务记录证明");
        await Expect(sheet.Locator("[data-testid=certificate-name]")).ToHaveTextAsync(person.Name);
        await Expect(sheet.Locator("[data-testid=certificate-community]")).ToHaveTextAsync("红星社区");
        await Expect(sheet.Locator("[data-testid=certificate-line]")).ToHaveCountAsync(3);
        await Expect(sheet.Locator("[data-testid=certificate-line]").First).ToContainTextAsync(titles[0]);
        await Expect(sheet.Locator("[data-testid=certificate-total-cell]")).ToHaveTextAsync("4.3"); // 260 minutes
        await Expect(sheet.Locator("[data-testid=certificate-totals]")).ToContainTextAsync("合计参加志愿服务活动 3 项，累计志愿服务时长 4.3 小时");
        await Expect(sheet.Locator("[data-testid=certificate-issued-by]")).ToHaveTextAsync("红星社区");
        var url = await ReadCodeAsync(desk);
        Assert.StartsWith($"{App.BaseAddress}verify/", url);
        await ShotAsync(desk, "certificate-desktop");

        // On paper: the certificate alone, black on white, one A4 page.
        await desk.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(desk.Locator(".mud-appbar")).ToBeHiddenAsync();
        await Expect(desk.Locator(".mud-drawer")).ToBeHiddenAsync();
        await Expect(desk.Locator("[data-testid=certificate-print]")).ToBeHiddenAsync();
        await Expect(desk.Locator("[data-testid=certificate-revoke]")).ToBeHiddenAsync();
        Assert.Equal("rgb(0, 0, 0)", await sheet.Locator("h1").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.Equal(url, await ReadCodeAsync(desk));
        await ShotAsync(desk, "certificate-print");
        var pdf = await desk.PdfAsync(new() { PreferCSSPageSize = true, PrintBackground = true });
        var pdfText = Encoding.Latin1.GetString(pdf);
        var pages = PdfPage().Count(pdfText);
        Assert.True(pages == 1, $"the certificate prints on one page, not {pages}");
        var box = MediaBox().Match(pdfText);
        Assert.True(box.Success, "the PDF names its page size");
        Assert.InRange(double.Parse(box.Groups["w"].Value, System.Globalization.CultureInfo.InvariantCulture), 594, 597); // A4: 210 mm = 595.3 pt
        Assert.InRange(double.Parse(box.Groups["h"].Value, System.Globalization.CultureInfo.InvariantCulture), 841, 844); // 297 mm = 841.9 pt
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "CertificateTests.certificate.pdf"), pdf);
        await desk.EmulateMediaAsync(new() { Media = Media.Screen });

        // The list now holds it.
        await GoAsync(desk, "/volunteer/certificates");
        await Expect(desk.Locator("[data-testid=certificate-open]")).ToHaveCountAsync(1);
        await ShotAsync(desk, "list");

        // The owner's phone: the same sheet, narrower, within the screen.
        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, person.Phone);
        await GoAsync(phone, "/volunteer/certificates");
        await phone.Locator("[data-testid=certificate-open]").ClickAsync();
        await Expect(phone.Locator("[data-testid=certificate-sheet] [data-testid=certificate-name]")).ToHaveTextAsync(person.Name);
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the certificate fits the phone's width");
        await ShotAsync(phone, "certificate-phone");
        await phone.Locator("[data-testid=culture-switch]").ClickAsync();
        await Expect(phone.Locator("[data-testid=certificate-sheet] h1")).ToHaveTextAsync("Volunteer Service Record Certificate");
        await InteractiveAsync(phone);
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the English certificate fits the phone's width");
        await ShotAsync(phone, "certificate-phone-english");

        // A stranger's phone camera opens the code: genuine, name and totals, nothing more.
        var camera = await OpenAsync(phone: true);
        await camera.GotoAsync(url);
        await Expect(camera.Locator("[data-testid=verify-status]")).ToHaveTextAsync("真实有效");
        await Expect(camera.Locator("[data-testid=verify-name]")).ToHaveTextAsync(person.Name);
        await Expect(camera.Locator("[data-testid=verify-hours]")).ToHaveTextAsync("4.3 小时");
        await Expect(camera.Locator("[data-testid=verify-activities]")).ToHaveTextAsync("3 项");
        await Expect(camera.Locator("[data-testid=verify-issued-by]")).ToHaveTextAsync("红星社区");
        await Expect(camera.Locator("body")).Not.ToContainTextAsync(titles[0]);
        await Expect(camera.Locator("body")).Not.ToContainTextAsync(person.Phone[^4..]);
        Assert.True(await ScrollWidthAsync(camera) <= Phone.Width, "the verification page fits the phone's width");
        await ShotAsync(camera, "verify-phone");
        await camera.Locator("[data-testid=culture-switch]").ClickAsync();
        await Expect(camera.Locator("[data-testid=verify-status]")).ToHaveTextAsync("Genuine");
        await Expect(camera.Locator("[data-testid=verify-hours]")).ToHaveTextAsync("4.3 hours");
        Assert.True(await ScrollWidthAsync(camera) <= Phone.Width, "the English verification page fits the phone's width");
        await ShotAsync(camera, "verify-phone-english");

        // A code changed by one character proves nothing.
        var token = url[(url.LastIndexOf('/') + 1)..];
        await camera.GotoAsync($"/verify/{token[..5]}{(token[5] == 'x' ? 'y' : 'x')}{token[6..]}");
        await Expect(camera.Locator("[data-testid=verify-status]")).ToHaveTextAsync("Cannot be verified");
        await Expect(camera.Locator("[data-testid=verify-details]")).ToHaveCountAsync(0);
        await ShotAsync(camera, "verify-tampered");

        // The volunteer revokes it (after a confirmation): the sheet says so, and so does the code from then on.
        await desk.Locator("[data-testid=certificate-open]").ClickAsync();
        await InteractiveAsync(desk);
        await desk.Locator("[data-testid=certificate-revoke]").ClickAsync();
        var dialog = desk.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("已打印的证明也随之失效");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认作废" }).ClickAsync();
        await Expect(desk.Locator(".mud-snackbar")).ToContainTextAsync("证明已作废");
        await Expect(desk.Locator("[data-testid=certificate-void]")).ToContainTextAsync("本证明已于");
        await Expect(desk.Locator("[data-testid=certificate-revoke]")).ToHaveCountAsync(0);
        await ShotAsync(desk, "revoked");
        await camera.GotoAsync(url);
        await Expect(camera.Locator("[data-testid=verify-status]")).ToHaveTextAsync("This certificate has been revoked");
        await ShotAsync(camera, "verify-revoked");
        AssertNoProblems();
    }

    /// <summary>What a phone camera would read: the certificate's QR image as the browser draws it, decoded by ZXing.</summary>
    private static Task<string> ReadCodeAsync(IPage page) => ReadQrAsync(page.Locator("[data-testid=certificate-qr]"), "the certificate");

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PdfPage();

    [GeneratedRegex(@"/MediaBox\s*\[\s*0\s+0\s+(?<w>[\d.]+)\s+(?<h>[\d.]+)\s*\]")]
    private static partial Regex MediaBox();
}
