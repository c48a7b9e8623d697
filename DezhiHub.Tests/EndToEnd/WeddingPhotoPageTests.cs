using System.Text.RegularExpressions;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Weddings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using QRCoder;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// An organizer adds a photo to a hall from its edit page at a desk; a couple then sees it on the hub card and in the
/// service page's photo strip on a phone, which still fits the phone's width. A text file posing as a picture is refused.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class WeddingPhotoPageTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task AnOrganizerAddsAHallPhoto_AndACoupleSeesItOnAPhone()
    {
        var hallName = $"E2E 照片礼堂 {Random.Shared.Next(1000, 9999)}";
        var hall = await HallAsync(hallName);
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, $"/weddings/manage/{hall}");
        await InteractiveAsync(desk);
        // The prerendered section is replaced once the page is live; files go to the live one.
        var section = desk.Locator("[data-testid=wedding-photos][data-ready=true]");
        await Expect(section.Locator("[data-testid=photos-none]")).ToBeVisibleAsync();

        // Blazor's file input listens once its script has set it up (after the live render), as it has by the time a person clicks.
        await desk.WaitForFunctionAsync("() => document.querySelector('[data-testid=wedding-photos][data-ready=true] [data-testid=photo-input]')?._blazorInputFileNextFileId !== undefined");

        // Not a picture, whatever its name says: refused, in words.
        await desk.Locator("[data-testid=photo-input]").SetInputFilesAsync(new FilePayload { Name = "hall.png", MimeType = "image/png", Buffer = "hello"u8.ToArray() });
        await Expect(section.Locator("[data-testid=photo-error]")).ToContainTextAsync("照片只支持 JPEG、PNG 或 WebP 图片。");

        // Too large a file, and a few bytes that declare 100000 × 100000 pixels: refused on this page, in words.
        var big = new byte[3 * 1024 * 1024];
        Picture(hallName).CopyTo(big, 0);
        await desk.Locator("[data-testid=photo-input]").SetInputFilesAsync(new FilePayload { Name = "big.png", MimeType = "image/png", Buffer = big });
        await Expect(section.Locator("[data-testid=photo-error]")).ToContainTextAsync("照片不能超过 2 MB。");
        await desk.Locator("[data-testid=photo-input]").SetInputFilesAsync(new FilePayload { Name = "bomb.png", MimeType = "image/png", Buffer = TestImages.PngDeclaring(100_000, 100_000) });
        await Expect(section.Locator("[data-testid=photo-error]")).ToContainTextAsync("照片尺寸过大：每边不能超过 8000 像素");
        await section.ScrollIntoViewIfNeededAsync();
        await ShotAsync(desk, "edit-page-photo-refused");
        Assert.EndsWith($"/weddings/manage/{hall}", desk.Url, StringComparison.Ordinal);

        await desk.Locator("[data-testid=photo-input]").SetInputFilesAsync(new FilePayload { Name = "hall.png", MimeType = "image/png", Buffer = Picture(hallName) });
        await Expect(section.Locator("[data-testid=photo-tile]")).ToHaveCountAsync(1);
        await Expect(section.Locator("[data-testid=photo-error]")).ToHaveCountAsync(0);
        await section.ScrollIntoViewIfNeededAsync();
        // The browser really decodes it as a picture (lazy images load once they are in view).
        await desk.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=photo-tile] img'); return i && i.complete && i.naturalWidth > 100; }");
        await ShotAsync(desk, "edit-page-with-photo");

        var phone = await OpenAsync(phone: true);
        await phone.GotoAsync("/weddings");
        var card = phone.Locator("[data-testid=hub-service]", new() { HasText = hallName });
        await Expect(card.Locator("[data-testid=hub-photo]")).ToHaveAttributeAsync("alt", $"{hallName}的照片 1");
        await card.ScrollIntoViewIfNeededAsync();
        await phone.WaitForFunctionAsync("id => { const i = document.querySelector(`[data-service-id='${id}'] [data-testid=hub-photo]`); return i && i.complete && i.naturalWidth > 100; }", hall.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the hub fits the phone's width");
        await ShotAsync(phone, "hub-card-phone");
        // The card shows the thumbnail, stored without the upload's metadata.
        Assert.Contains("/thumb?v=", await card.Locator("[data-testid=hub-photo]").GetAttributeAsync("src"), StringComparison.Ordinal);
        await card.ClickAsync();
        await Expect(phone).ToHaveURLAsync(new Regex($"/weddings/services/{hall}$"));
        await Expect(phone.Locator("[data-testid=svc-photo]")).ToHaveCountAsync(1);
        await phone.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=svc-photo]'); return i && i.complete && i.naturalWidth > 100; }");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the service page fits the phone's width");
        await ShotAsync(phone, "service-page-phone");
        AssertNoProblems();
    }

    /// <summary>A real PNG of a few hundred pixels square: a QR code, so the picture is something a reader recognises as an image.</summary>
    private static byte[] Picture(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(10);
    }

    private async Task<int> HallAsync(string name)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Id).SingleAsync();
        return await services.GetRequiredService<WeddingCatalog>().CreateAsync(await CertificateData.PrincipalAsync(App.Services, Demo.Admin), new WeddingResourceDetails
        {
            Kind = WeddingServiceKind.CeremonyHall,
            Name = name,
            Description = "端到端测试用的礼堂。",
            Location = "红星社区党群服务中心三楼",
            Seats = 40,
            OrgNodeId = hongxing,
            Hours = WeeklyHours.Uniform(new(9, 0), new(18, 0), Enum.GetValues<DayOfWeek>()).ToString(),
            SlotMinutes = 240,
            BufferMinutes = 30,
            Rules = BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall),
        });
    }
}
