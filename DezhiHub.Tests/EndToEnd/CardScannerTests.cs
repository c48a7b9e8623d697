using System.Security.Claims;
using System.Text.RegularExpressions;
using System.Text;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Signing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StbImageSharp;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// The organizer's card scanner at the door: a real camera path (Chromium's fake camera playing a picture of a
/// volunteer card, decoded in the page by the vendored ZXing WebAssembly or the native detector) and the typed-code
/// path for when no camera can read the card.
/// </summary>
/// <remarks>
/// Adds two activities of 红星社区: one whose door opens four hours before its start, so that 刘洋 (13800000004)
/// can be signed up to it without clashing with the ten-minutes-from-now activities of the other check-in tests,
/// and one open to all (no sign-up) for the typed codes.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed class CardScannerTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    private readonly List<string> _cameraProblems = [];
    private readonly ITestOutputHelper _output = output;

    [SkippableFact]
    public async Task TheOrganizersPhoneCamera_ReadsAVolunteerCard_AndChecksThemInByCard()
    {
        var desk = await OpenAsync(); // the shared browser, for the attendance page
        var (id, title) = await SignedUpActivityAsync(Demo.Volunteer);
        var card = await CardAsync(Demo.Volunteer);
        var video = await CardVideoAsync($"{App.BaseAddress}card/{card.Token}");
        await using var camera = await FakeCameraBrowserAsync(video);

        var phone = await OpenWithCameraAsync(camera, Phone);
        var wasmServed = false;
        phone.Response += (_, response) => wasmServed |= response.Url.Contains("/lib/barcode-detector/zxing_reader", StringComparison.Ordinal) && response.Status == 200;
        await SignInAsync(phone, Demo.OrganizerHongxing);
        await GoAsync(phone, $"/activities/{id}/scan");
        await Expect(phone.Locator("[data-testid=scanner-activity]")).ToHaveTextAsync(title);
        await Expect(phone.Locator("[data-testid=camera-status]")).ToHaveAttributeAsync("data-state", "On");
        var engine = await phone.Locator("[data-testid=camera-status]").GetAttributeAsync("data-engine");
        _output.WriteLine($"QR engine in this Chromium: {engine}");
        Assert.Contains(engine, new[] { "zxing-wasm", "native" });

        // The fake camera shows the card: one scan, recorded as 刘洋's check-in.
        var banner = phone.Locator("[data-testid=scan-banner]");
        await Expect(banner).ToHaveAttributeAsync("data-kind", "Recorded", new() { Timeout = 20_000 });
        await Expect(phone.Locator("[data-testid=scan-banner-name]")).ToHaveTextAsync("刘洋");
        await Expect(phone.Locator("[data-testid=scan-banner-text]")).ToHaveTextAsync(new Regex(@"^签到成功 \d\d:\d\d$"));
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the scanner fits the phone's width");
        await ShotAsync(phone, "phone-recorded");
        if (engine == "zxing-wasm")
        {
            Assert.True(wasmServed, "the ZXing .wasm came from the app itself");
        }

        // The card stays in front of the camera: it is not sent again and again.
        await phone.WaitForTimeoutAsync(4_500);
        await Expect(phone.Locator("[data-testid=scan-result]")).ToHaveCountAsync(1);

        // Leaving the page (within the app, same document) turns the camera off.
        var stream = await phone.EvaluateHandleAsync("() => document.querySelector('[data-testid=scanner-video]').srcObject");
        Assert.True(await phone.EvaluateAsync<bool>("s => s.getVideoTracks().some(t => t.readyState === 'live')", stream));
        await phone.Locator("[data-testid=scanner-attendance]").ClickAsync();
        await Expect(phone).ToHaveURLAsync(new Regex($"/activities/{id}/attendance$"));
        await phone.WaitForFunctionAsync("s => s.getTracks().every(t => t.readyState === 'ended')", stream);

        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var record = await db.Attendance.AsNoTracking().SingleAsync(a => a.ActivityId == id);
            var organizerId = await db.Users.Where(u => u.PhoneNumber == Demo.OrganizerHongxing).Select(u => u.Id).SingleAsync();
            Assert.Equal((card.UserId, CheckInMethod.Card, organizerId), (record.UserId, record.CheckInMethod, record.RecordedByUserId));
        }

        // The attendance page shows them in, by card.
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, $"/activities/{id}/attendance");
        var row = desk.Locator("[data-testid=attendance-row][data-status=CheckedIn]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("刘洋");
        await Expect(row).ToContainTextAsync("志愿者卡");

        // A tablet at the exit, set to check-out, reads the same card.
        var tablet = await OpenWithCameraAsync(camera, Desktop);
        await SignInAsync(tablet, Demo.OrganizerHongxing);
        await GoAsync(tablet, $"/activities/{id}/scan");
        await tablet.Locator("[data-testid=scanner-purpose]").GetByText("签退", new() { Exact = true }).ClickAsync();
        await Expect(tablet.Locator("[data-testid=camera-status]")).ToHaveAttributeAsync("data-state", "On");
        await Expect(tablet.Locator("[data-testid=scan-banner]")).ToHaveAttributeAsync("data-kind", "Recorded", new() { Timeout = 20_000 });
        await Expect(tablet.Locator("[data-testid=scan-banner-text]")).ToHaveTextAsync(new Regex(@"^签退成功 \d\d:\d\d$"));
        Assert.True(await ScrollWidthAsync(tablet) <= Desktop.Width, "the scanner fits 1280 wide");
        await ShotAsync(tablet, "desktop-checked-out");

        Assert.Empty(_cameraProblems);
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task WithoutACamera_TheOrganizerTypesTheCardCode()
    {
        var (id, _) = await CheckInData.ActivityAsync(App.Services);
        var card = await CardAsync(Demo.Volunteer);
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, $"/activities/{id}");
        await Expect(desk.Locator("[data-testid=scanner-link]")).ToHaveTextAsync("扫志愿者卡");
        await desk.Locator("[data-testid=scanner-link]").ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex($"/activities/{id}/scan$"));
        await InteractiveAsync(desk);

        // This browser has no camera to give: the page says why, and the typed code still works.
        var status = desk.Locator("[data-testid=camera-status]");
        await Expect(status).Not.ToHaveAttributeAsync("data-state", new Regex("^(Starting|On)$"));
        await Expect(status.Locator(".mud-alert")).ToContainTextAsync("输入卡号");
        await Expect(desk.Locator("[data-testid=scan-banner]")).ToHaveAttributeAsync("data-kind", "None");
        await ShotAsync(desk, "no-camera");

        var field = desk.Locator("input[data-testid=card-code], [data-testid=card-code] input");
        await FillFieldAsync(field, card.Token);
        await desk.Locator("[data-testid=card-code-submit]").ClickAsync();
        await Expect(desk.Locator("[data-testid=scan-banner]")).ToHaveAttributeAsync("data-kind", "Recorded");
        await Expect(desk.Locator("[data-testid=scan-banner-name]")).ToHaveTextAsync("刘洋");
        await Expect(field).ToHaveValueAsync("");

        // The card's whole link, pasted, names the same card: already in.
        await FillFieldAsync(field, $"{App.BaseAddress}card/{card.Token}");
        await field.PressAsync("Enter");
        await Expect(desk.Locator("[data-testid=scan-banner]")).ToHaveAttributeAsync("data-kind", "Already");
        await Expect(desk.Locator("[data-testid=scan-banner-text]")).ToHaveTextAsync(new Regex(@"^已于 \d\d:\d\d 签到过$"));

        await FillFieldAsync(field, "not-a-card");
        await desk.Locator("[data-testid=card-code-submit]").ClickAsync();
        await Expect(desk.Locator("[data-testid=scan-banner]")).ToHaveAttributeAsync("data-kind", "Refused");
        await Expect(desk.Locator("[data-testid=scan-banner-text]")).ToHaveTextAsync("这不是有效的志愿者卡。");
        await Expect(desk.Locator("[data-testid=scan-result]")).ToHaveCountAsync(3);
        await ShotAsync(desk, "typed-codes");
        Assert.Equal(1, await CheckInData.AttendanceCountAsync(App.Services, id));

        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, Demo.OrganizerHongxing);
        await GoAsync(phone, $"/activities/{id}/scan");
        await FillFieldAsync(phone.Locator("input[data-testid=card-code], [data-testid=card-code] input"), card.Token);
        await phone.Locator("[data-testid=card-code-submit]").ClickAsync();
        await Expect(phone.Locator("[data-testid=scan-banner]")).ToHaveAttributeAsync("data-kind", "Already");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the scanner fits the phone's width");
        await ShotAsync(phone, "phone-typed-already");

        await phone.Locator("[data-testid=culture-switch]").ClickAsync();
        await Expect(phone.Locator("h1")).ToHaveTextAsync("Scan volunteer cards");
        await Expect(phone.Locator("[data-testid=camera-status] .mud-alert")).ToContainTextAsync("type the card code");
        await ShotAsync(phone, "phone-english");
        AssertNoProblems();
    }

    /// <summary>
    /// A Y4M video (the format Chromium's fake camera plays): white 640×480 frames with the card's QR code in the middle,
    /// as luma; chroma 128 is grey. The code is drawn from the PNG the app itself would print.
    /// </summary>
    private static async Task<string> CardVideoAsync(string url)
    {
        const int width = 640, height = 480, frames = 10;
        var qr = ImageResult.FromMemory(QrImages.Png(url, pixelsPerModule: 1), ColorComponents.Grey);
        var scale = Math.Max(1, 400 / qr.Width); // whole pixels per module: crisp edges, as a held card would give
        var size = qr.Width * scale;
        var (left, top) = ((width - size) / 2, (height - size) / 2);
        var luma = new byte[width * height];
        Array.Fill(luma, (byte)255);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                luma[((top + y) * width) + left + x] = qr.Data[((y / scale) * qr.Width) + (x / scale)] < 128 ? (byte)16 : (byte)235;
            }
        }

        var chroma = new byte[width / 2 * (height / 2)];
        Array.Fill(chroma, (byte)128);
        var file = Path.Combine(TempFolder.Create("fake-camera"), "card.y4m");
        await using var stream = File.Create(file);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n"));
        for (var i = 0; i < frames; i++)
        {
            await stream.WriteAsync("FRAME\n"u8.ToArray());
            await stream.WriteAsync(luma);
            await stream.WriteAsync(chroma);
            await stream.WriteAsync(chroma);
        }

        return file;
    }

    /// <summary>A Chromium of its own whose camera plays <paramref name="video"/> (the shared browser has no camera).</summary>
    private static async Task<CameraBrowser> FakeCameraBrowserAsync(string video)
    {
        var executable = Environment.GetEnvironmentVariable("DEZHIHUB_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : Browser.Candidates.First(File.Exists);
        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={video}",
            ],
        });
        return new CameraBrowser(playwright, chromium, video);
    }

    /// <summary>A page in the camera browser: camera allowed, the app's origin only (the scanner must work offline).</summary>
    private async Task<IPage> OpenWithCameraAsync(CameraBrowser camera, ViewportSize viewport)
    {
        var phone = viewport == Phone;
        var context = await camera.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = viewport,
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = 1,
            Locale = "zh-CN",
            Permissions = ["camera"],
        });
        context.SetDefaultTimeout(15_000);
        var origin = App.BaseAddress.GetLeftPart(UriPartial.Authority);
        await context.RouteAsync(url => !url.StartsWith(origin, StringComparison.Ordinal), async route =>
        {
            lock (_cameraProblems)
            {
                _cameraProblems.Add($"request outside the app: {route.Request.Url}");
            }

            await route.AbortAsync();
        });
        var page = await context.NewPageAsync();
        page.PageError += (_, error) =>
        {
            lock (_cameraProblems)
            {
                _cameraProblems.Add($"script error: {error}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 500)
            {
                lock (_cameraProblems)
                {
                    _cameraProblems.Add($"server error {response.Status} for {response.Url}");
                }
            }
        };
        page.Console += (_, message) => _output.WriteLine($"camera browser console {message.Type}: {message.Text}");
        return page;
    }

    /// <summary>
    /// A published activity of 红星社区 whose door is open now but which starts in about four hours: the person
    /// can sign up without overlapping the other tests' activities (which start ten minutes from their own now).
    /// </summary>
    private async Task<(int Id, string Title)> SignedUpActivityAsync(string phone)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var organizer = await PrincipalAsync(services, Demo.OrganizerHongxing);
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Id).SingleAsync();
        var theme = await db.ActivityThemes.Where(t => !t.IsRetired).Select(t => t.Id).FirstAsync();
        var start = DateTime.UtcNow.AddMinutes(ActivityDetails.MaxCheckInOpensMinutesBefore - 5);
        var title = $"扫卡测试 {Random.Shared.Next(10000, 99999)}";
        var activities = services.GetRequiredService<ActivityService>();
        var id = (await activities.CreateAsync(organizer, new ActivityDetails
        {
            Title = title,
            Entry = EightEntry.Communities,
            ThemeIds = [theme],
            OrgNodeId = hongxing,
            Place = "红星社区党群服务中心",
            StartUtc = start,
            EndUtc = start.AddHours(1),
            SignUpRequired = true,
            CheckInOpensMinutesBefore = ActivityDetails.MaxCheckInOpensMinutesBefore,
        }))[0];
        await activities.PublishAsync(organizer, id);
        await services.GetRequiredService<SignUpService>().SignUpAsync(await PrincipalAsync(services, phone), id);
        return (id, title);
    }

    private async Task<VolunteerCard> CardAsync(string phone)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VolunteerCards>().MineAsync(await PrincipalAsync(scope.ServiceProvider, phone));
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }

    private sealed class CameraBrowser(IPlaywright playwright, IBrowser browser, string video) : IAsyncDisposable
    {
        public IBrowser Browser => browser;

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            TempFolder.Delete(Path.GetDirectoryName(video)!);
        }
    }
}
