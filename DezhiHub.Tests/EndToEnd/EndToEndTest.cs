using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Playwright;
using StbImageSharp;
using ZXing;
using ZXing.Common;
using Xunit.Abstractions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// Base of the browser tests: the shared app (<see cref="AppFactory"/>) driven by Chromium. Each test opens its
/// own browser contexts (fresh cookies), and every page it visits is photographed into
/// <c>TestResults/screenshots</c> under the test output folder for review. A test fails when a page throws a
/// script error or the server answers 5xx, whatever the test itself checks.
/// </summary>
public abstract partial class EndToEndTest(AppFactory app, Browser browser, ITestOutputHelper output) : IAsyncLifetime
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>Where README screenshots go when DEZHIHUB_SCREENSHOTS names a folder; null otherwise.</summary>
    private static readonly string? ReadmeFolder = Environment.GetEnvironmentVariable("DEZHIHUB_SCREENSHOTS") is { Length: > 0 } folder ? folder : null;

    private static readonly string ReviewFolder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<string> _problems = [];
    private int _shot;
    private int? _logStart;
    private string _test = "";

    protected AppFactory App => app;

    static EndToEndTest() => Assertions.SetDefaultExpectTimeout(10_000);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A new browser context (own cookies) with one page; desktop unless a phone is asked for.</summary>
    protected async Task<IPage> OpenAsync(bool phone = false, string? locale = null, [CallerMemberName] string test = "")
    {
        _test = test;
        _logStart ??= app.Logs.Mark;
        var chromium = browser.Require();
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = phone ? Phone : Desktop,
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = 1,
            Locale = locale ?? "zh-CN",
        });
        context.SetDefaultTimeout(15_000);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        var label = $"{(phone ? "phone" : "desktop")}#{_contexts.Count}";
        page.PageError += (_, error) => Problem($"{label} script error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 500)
            {
                Problem($"{label} server error {response.Status} for {response.Url}");
            }
            else if (response.Status >= 400)
            {
                Log($"{label} {response.Status} for {response.Url}");
            }
        };
        page.Console += (_, message) =>
        {
            // The app runs with its Content-Security-Policy on: anything it blocks is a broken page.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                Problem($"{label} CSP violation: {message.Text}");
            }
            else if (message.Type == "error")
            {
                Log($"{label} console error: {message.Text}");
            }
        };
        return page;
    }

    /// <summary>Opens a path and waits until the Blazor circuit is up (a prerendered button ignores clicks).</summary>
    protected static async Task GoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await InteractiveAsync(page);
    }

    protected static Task InteractiveAsync(IPage page) =>
        page.Locator("#dz-render[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Fills and submits the real sign-in form, as a person would; the post must not be refused.</summary>
    protected static async Task SubmitSignInFormAsync(IPage page, string phone, string password)
    {
        await page.Locator("#phone").FillAsync(phone);
        await page.Locator("#password").FillAsync(password);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.Locator("[data-testid=login-submit]").ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/account/login");
        if (response.Status >= 400)
        {
            Assert.Fail($"The sign-in form post was refused with {response.Status}: {await response.TextAsync()}");
        }
    }

    /// <summary>
    /// Signs the context in with the request the sign-in form makes (same cookie jar as the pages), for tests
    /// about something else; <see cref="SignInTests"/> drives the form itself. It sends each hidden field once, so
    /// it cannot notice a form that renders a field twice: the form-driving tests and <see cref="AppClient"/> can.
    /// </summary>
    internal static async Task SignInAsync(IPage page, string phone)
    {
        var request = page.Context.APIRequest;
        var login = await request.GetAsync("/account/login");
        var form = request.CreateFormData();
        foreach (Match hidden in HiddenInput().Matches(await login.TextAsync()))
        {
            form.Set(WebUtility.HtmlDecode(hidden.Groups["name"].Value), WebUtility.HtmlDecode(hidden.Groups["value"].Value));
        }

        form.Set("Input.Phone", phone);
        form.Set("Input.Password", Demo.Password);
        var response = await request.PostAsync("/account/login", new() { Form = form, MaxRedirects = 0 });
        Assert.True(response.Status == (int)HttpStatusCode.Redirect, $"sign-in as {phone} answered {response.Status}");
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "dezhihub.auth");
    }

    /// <summary>
    /// Saves what the page shows now into TestResults/screenshots (always), and into the README folder too when
    /// <paramref name="readmeName"/> is given and DEZHIHUB_SCREENSHOTS is set.
    /// </summary>
    protected async Task ShotAsync(IPage page, string name, string? readmeName = null)
    {
        Directory.CreateDirectory(ReviewFolder);
        var file = Path.Combine(ReviewFolder, $"{GetType().Name}.{_test}-{++_shot:D2}-{name}.png");
        // Transitions (dialogs, popovers, snackbars fading in) are finished first, so a picture shows the settled page.
        await page.ScreenshotAsync(new() { Path = file, Animations = ScreenshotAnimations.Disabled });
        if (readmeName is not null && ReadmeFolder is not null)
        {
            // Fonts loaded and no transition (drawer, ripple) half-way through.
            await page.EvaluateAsync("() => document.fonts.ready");
            await page.WaitForTimeoutAsync(400);
            Directory.CreateDirectory(ReadmeFolder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(ReadmeFolder, readmeName + ".png"), Animations = ScreenshotAnimations.Disabled });
        }
    }

    /// <summary>
    /// Types a value into a MudBlazor field and leaves it (Tab), as a person would, then makes sure the value is
    /// still there once the server has caught up. On a starved CI machine a render the server sent before it saw the
    /// typing can put the field's old text back (Blazor Server patches the field to the server's last value); a
    /// person would see that and type again, and so does this, at most three times. What was saved is checked by
    /// the test on the page that shows it afterwards.
    /// </summary>
    protected static async Task FillFieldAsync(ILocator field, string value)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await field.FillAsync(value);
            await field.PressAsync("Tab");
            await field.Page.WaitForTimeoutAsync(300);
            if (await field.InputValueAsync() == value)
            {
                break;
            }
        }

        await Assertions.Expect(field).ToHaveValueAsync(value);
    }

    /// <summary>
    /// What a phone camera would read: a QR image as the browser draws it, photographed and decoded by ZXing (an
    /// independent decoder). An image is first waited for until the browser has decoded it, or the photograph can
    /// catch an empty box (the codes are data URIs). Like a camera, it takes another photograph when one shows no code:
    /// the interactive page can replace the image (same code, new element) just after the static one was decoded, and a
    /// snackbar ("已补发新卡") can lie over the code on a phone for its few seconds: photographs for up to 6 s.
    /// </summary>
    protected static async Task<string> ReadQrAsync(ILocator image, string where)
    {
        for (var attempt = 1; ; attempt++)
        {
            await image.EvaluateAsync("e => e instanceof HTMLImageElement ? e.decode() : null");
            var png = await image.ScreenshotAsync();
            var decoded = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
            var source = new RGBLuminanceSource(decoded.Data, decoded.Width, decoded.Height, RGBLuminanceSource.BitmapFormat.RGB24);
            var result = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object>
            {
                [DecodeHintType.POSSIBLE_FORMATS] = new[] { BarcodeFormat.QR_CODE },
                [DecodeHintType.TRY_HARDER] = true,
            });
            if (result?.Text is { } text)
            {
                return text;
            }

            if (attempt == 12)
            {
                // The last photograph and the whole page, for whoever reads the failure.
                Directory.CreateDirectory(ReviewFolder);
                var name = $"qr-unread-{DateTime.UtcNow:HHmmssfff}";
                await File.WriteAllBytesAsync(Path.Combine(ReviewFolder, name + "-code.png"), png);
                await image.Page.ScreenshotAsync(new() { Path = Path.Combine(ReviewFolder, name + "-page.png"), FullPage = true });
                throw new InvalidOperationException($"ZXing found no QR code on {where} in {attempt} photographs (saved as {name}-*.png in {ReviewFolder}).");
            }

            await image.Page.WaitForTimeoutAsync(500);
        }
    }

    /// <summary>The page's width as the browser lays it out: more than the viewport means sideways scrolling.</summary>
    protected static Task<int> ScrollWidthAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");

    /// <summary>No script error, no 5xx and no server-side error (or missing MudBlazor provider) so far in this test.</summary>
    protected void AssertNoProblems()
    {
        foreach (var entry in app.Logs.Since(_logStart ?? app.Logs.Mark))
        {
            if (entry.Level >= Microsoft.Extensions.Logging.LogLevel.Error || entry.Message.Contains("MudPopoverProvider", StringComparison.Ordinal))
            {
                Problem($"server logged {entry.Level} {entry.Category}: {entry.Message}");
            }
        }

        lock (_problems)
        {
            Assert.True(_problems.Count == 0, string.Join(Environment.NewLine, _problems));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            foreach (var page in context.Pages)
            {
                try
                {
                    // The state at the end (or at the failure) of the test, for review.
                    await ShotAsync(page, "final");
                }
                catch (PlaywrightException)
                {
                    // The page is gone; nothing to keep.
                }
            }

            await context.CloseAsync();
        }
    }

    private void Problem(string text)
    {
        lock (_problems)
        {
            _problems.Add(text);
        }

        Log(text);
    }

    private void Log(string text)
    {
        try
        {
            output.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // An event after the test ended (e.g. the circuit dropping as the context closes).
        }
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
