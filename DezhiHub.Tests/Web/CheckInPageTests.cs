using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DezhiHub.Tests.Web;

/// <summary>
/// The page a phone opens from the check-in screen's code (/checkin/{token}), over real HTTP: every outcome is a
/// clear message, refusals change nothing, and a repeat answers with the first record.
/// </summary>
/// <remarks>Adds activities of 红星社区 starting ten minutes from now; 陈静 (13800000005) checks in to them.</remarks>
[Collection(WebCollection.Name)]
public sealed partial class CheckInPageTests(AppFactory app)
{
    private const string Person = Demo.Partner;

    [Fact]
    public async Task Anonymous_IsSentToSignIn_AndComesBackToTheCode()
    {
        var (id, _) = await CheckInData.ActivityAsync(app.Services);
        var path = $"/checkin/{CheckInData.Token(app.Services, id)}";
        using var client = app.NewClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
        var returnUrl = QueryValue(response.Headers.Location!, "returnUrl");
        Assert.Equal(path, returnUrl);

        using var signIn = await client.SubmitFormAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl!)}", new Dictionary<string, string>
        {
            ["Input.Phone"] = Person,
            ["Input.Password"] = Demo.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(path, new Uri(app.BaseAddress, signIn.Headers.Location!).PathAndQuery);
        Assert.Contains("data-testid=\"checkin-confirm\"", await client.GetStringAsync(path));
    }

    [Theory]
    [InlineData("not-a-code")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%E4%BA%8C%E7%BB%B4%E7%A0%81")]
    [InlineData("forged")]
    [InlineData("future")]
    public async Task AForgedOrMalformedCode_IsInvalid_AndRecordsNothing(string kind)
    {
        var (id, _) = await CheckInData.ActivityAsync(app.Services);
        var token = kind switch
        {
            "forged" => Forge(CheckInData.Token(app.Services, id)),
            "future" => CheckInData.Token(app.Services, id, stepsAgo: -2),
            _ => kind,
        };
        using var client = await SignedInAsync();

        var html = await PageAsync(client, $"/checkin/{token}");
        // Posting a confirmation to it anyway (antiforgery fields from a genuine page) records nothing either.
        var genuine = $"/checkin/{CheckInData.Token(app.Services, id)}";
        using var posted = await PostWithFieldsOfAsync(client, genuine, $"/checkin/{token}");

        Assert.Contains("data-testid=\"checkin-invalid\"", html);
        Assert.Contains("二维码无效", html);
        Assert.DoesNotContain("checkin-confirm", html);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("二维码无效", Decode(await posted.Content.ReadAsStringAsync()));
        Assert.Equal(0, await CheckInData.AttendanceCountAsync(app.Services, id));
    }

    [Fact]
    public async Task AnExpiredCode_AsksForTheLiveOne_WhileThePreviousStepStillWorks()
    {
        var (id, title) = await CheckInData.ActivityAsync(app.Services);
        using var client = await SignedInAsync();

        var expired = await PageAsync(client, $"/checkin/{CheckInData.Token(app.Services, id, stepsAgo: 3)}");
        var previous = await PageAsync(client, $"/checkin/{CheckInData.Token(app.Services, id, stepsAgo: 1)}");

        Assert.Contains("data-testid=\"checkin-expired\"", expired);
        Assert.Contains("二维码已过期，请扫描现场大屏上的最新二维码", expired);
        Assert.DoesNotContain("checkin-confirm", expired);
        Assert.Contains("data-testid=\"checkin-confirm\"", previous);
        Assert.Contains(title, previous);
    }

    [Fact]
    public async Task ACodeThatExpiresWhileThePageIsOpen_RecordsNothing()
    {
        var (id, _) = await CheckInData.ActivityAsync(app.Services);
        using var client = await SignedInAsync();

        using var posted = await PostWithFieldsOfAsync(client, $"/checkin/{CheckInData.Token(app.Services, id)}", $"/checkin/{CheckInData.Token(app.Services, id, stepsAgo: 2)}");

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("二维码已过期", Decode(await posted.Content.ReadAsStringAsync()));
        Assert.Equal(0, await CheckInData.AttendanceCountAsync(app.Services, id));
    }

    [Fact]
    public async Task AValidCode_ShowsTheActivity_ConfirmRecordsOnce_AndARetryAnswersWithTheFirstTime()
    {
        var (id, title) = await CheckInData.ActivityAsync(app.Services);
        var path = $"/checkin/{CheckInData.Token(app.Services, id)}";
        using var client = await SignedInAsync();

        var confirm = await PageAsync(client, path);
        Assert.Contains(title, confirm);
        Assert.Contains("确认签到", confirm);
        Assert.Contains("红星社区党群服务中心", confirm);
        Assert.Contains("name=\"__RequestVerificationToken\"", confirm);

        using var first = await client.SubmitFormAsync(path, new Dictionary<string, string>());
        var firstHtml = Decode(await first.Content.ReadAsStringAsync());
        var at = await CheckedInAtAsync(id);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains($"签到成功 {at}", firstHtml);
        Assert.Contains("data-outcome=\"CheckedIn\"", firstHtml);

        using var again = await client.SubmitFormAsync(path, new Dictionary<string, string>());
        var againHtml = Decode(await again.Content.ReadAsStringAsync());
        Assert.Contains($"您已于 {at} 签到", againHtml);
        Assert.Equal(1, await CheckInData.AttendanceCountAsync(app.Services, id));
    }

    [Fact]
    public async Task TwentyParallelConfirms_OfOnePerson_MakeOneRecord_AndNoServerError()
    {
        var (id, _) = await CheckInData.ActivityAsync(app.Services);
        var path = $"/checkin/{CheckInData.Token(app.Services, id)}";
        using var client = await SignedInAsync();
        var fields = HiddenFields(await PageAsync(client, path));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
            using var response = await client.Http.SendAsync(request);
            return (response.StatusCode, Html: Decode(await response.Content.ReadAsStringAsync()));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var at = await CheckedInAtAsync(id);
        Assert.All(responses, r => Assert.Matches($"签到成功 {at}|您已于 {at} 签到", r.Html));
        Assert.Equal(1, await CheckInData.AttendanceCountAsync(app.Services, id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TenParallelConfirms_AreAnsweredRight_AndLogNoErrorOrStackTrace(bool signedUp)
    {
        // A double tap is an expected refusal, not a failure: an operator's log must not fill with database stack traces.
        var (id, _) = signedUp
            ? await CheckInData.ActivityAsync(app.Services, signUpRequired: true, signedUp: Person)
            : await CheckInData.ActivityAsync(app.Services, walkIns: true);
        var path = $"/checkin/{CheckInData.Token(app.Services, id)}";
        using var client = await SignedInAsync();
        var fields = HiddenFields(await PageAsync(client, path));
        var mark = app.Logs.Mark;

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
            using var response = await client.Http.SendAsync(request);
            return Decode(await response.Content.ReadAsStringAsync());
        }));

        var at = await CheckedInAtAsync(id);
        Assert.Single(responses, r => r.Contains($"签到成功 {at}", StringComparison.Ordinal));
        Assert.Equal(9, responses.Count(r => r.Contains($"您已于 {at} 签到", StringComparison.Ordinal)));
        Assert.Equal(1, await CheckInData.AttendanceCountAsync(app.Services, id));
        var logged = app.Logs.Since(mark);
        Assert.DoesNotContain(logged, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(logged, e => e.Exception is not null);
    }

    [Fact]
    public async Task WithoutASignUp_WhereWalkInsAreNotAllowed_TheRefusalIsShown_AndNothingRecorded()
    {
        var (id, _) = await CheckInData.ActivityAsync(app.Services, signUpRequired: true, walkIns: false);
        var path = $"/checkin/{CheckInData.Token(app.Services, id)}";
        using var client = await SignedInAsync();

        using var response = await client.SubmitFormAsync(path, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"checkin-refused\"", html);
        Assert.Contains("您没有报名该活动，本活动不接受未报名者现场签到。", html);
        Assert.Equal(0, await CheckInData.AttendanceCountAsync(app.Services, id));
    }

    [Fact]
    public async Task ACancelledActivity_SaysSo_WithoutAConfirmButton()
    {
        var (id, _) = await CheckInData.ActivityAsync(app.Services, cancelled: true);
        var path = $"/checkin/{CheckInData.Token(app.Services, id)}";
        using var client = await SignedInAsync();

        var html = await PageAsync(client, path);
        using var posted = await PostWithFieldsOfAsync(client, $"/checkin/{CheckInData.Token(app.Services, (await CheckInData.ActivityAsync(app.Services)).Id)}", path);

        Assert.Contains("该活动已取消，无法签到。", html);
        Assert.DoesNotContain("checkin-confirm", html);
        Assert.Contains("该活动已取消，无法签到。", Decode(await posted.Content.ReadAsStringAsync()));
        Assert.Equal(0, await CheckInData.AttendanceCountAsync(app.Services, id));
    }

    [Fact]
    public async Task CheckOut_NeedsACheckIn_ThenIsRecordedOnce_InEnglishToo()
    {
        var (id, _) = await CheckInData.ActivityAsync(app.Services);
        var checkOut = $"/checkin/{CheckInData.Token(app.Services, id, CheckInPurpose.CheckOut)}";
        using var client = await SignedInAsync("en-US");

        var page = await PageAsync(client, checkOut);
        using var tooEarly = await client.SubmitFormAsync(checkOut, new Dictionary<string, string>());
        using var checkedIn = await client.SubmitFormAsync($"/checkin/{CheckInData.Token(app.Services, id)}", new Dictionary<string, string>());
        using var checkedOut = await client.SubmitFormAsync(checkOut, new Dictionary<string, string>());
        using var again = await client.SubmitFormAsync(checkOut, new Dictionary<string, string>());

        Assert.Contains("Confirm check-out", page);
        Assert.Contains("You have not checked in, so you cannot check out.", Decode(await tooEarly.Content.ReadAsStringAsync()));
        Assert.Contains($"Checked in at {await CheckedInAtAsync(id)}", Decode(await checkedIn.Content.ReadAsStringAsync()));
        var outAt = await CheckedOutAtAsync(id);
        Assert.Contains($"Checked out at {outAt}", Decode(await checkedOut.Content.ReadAsStringAsync()));
        Assert.Contains($"You already checked out at {outAt}", Decode(await again.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task TheScreen_IsForManagersOfTheHost_AndShowsTheCodeAsAnImage()
    {
        var (id, title) = await CheckInData.ActivityAsync(app.Services);
        var path = $"/activities/{id}/checkin-screen";
        using var anonymous = app.NewClient();
        using var resident = app.NewClient();
        using var otherCommunity = app.NewClient();
        using var host = app.NewClient();
        Assert.True(await resident.SignInAsync(Demo.Resident));
        Assert.True(await otherCommunity.SignInAsync(Demo.OrganizerHeping));
        Assert.True(await host.SignInAsync(Demo.OrganizerHongxing));

        using var anonymousResponse = await anonymous.GetAsync(path);
        using var residentResponse = await resident.GetAsync(path);
        var otherHtml = await PageAsync(otherCommunity, path);
        var hostHtml = await PageAsync(host, path);

        Assert.StartsWith("/account/login", anonymousResponse.Headers.Location!.PathAndQuery);
        Assert.StartsWith("/account/access-denied", residentResponse.Headers.Location!.PathAndQuery);
        Assert.Contains("data-testid=\"access-denied\"", otherHtml);
        Assert.DoesNotContain("checkin-qr", otherHtml);
        Assert.DoesNotContain(title, otherHtml);
        Assert.Contains(title, hostHtml);
        var qr = QrImage().Match(hostHtml);
        Assert.True(qr.Success, "the code is an <img> with an SVG data URI");
        Assert.StartsWith("<svg", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(qr.Groups["data"].Value)).TrimStart());
        Assert.Contains("每 30 秒更新", hostHtml);
        Assert.Matches("data-testid=\"checked-in-count\"[^>]*>0<", hostHtml);
    }

    private async Task<AppClient> SignedInAsync(string? culture = null)
    {
        var client = app.NewClient(culture);
        Assert.True(await client.SignInAsync(Person));
        return client;
    }

    private static async Task<string> PageAsync(AppClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Decode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Takes the form fields (antiforgery, handler) from one page and posts them to another address.</summary>
    private static async Task<HttpResponseMessage> PostWithFieldsOfAsync(AppClient client, string source, string target)
    {
        var fields = HiddenFields(await PageAsync(client, source));
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(fields) };
        return await client.Http.SendAsync(request);
    }

    private static List<KeyValuePair<string, string>> HiddenFields(string html) =>
        [.. HiddenInput().Matches(html).Select(m => KeyValuePair.Create(m.Groups["name"].Value, m.Groups["value"].Value))];

    private async Task<string> CheckedInAtAsync(int activityId) => await LocalTimeAsync(activityId, checkOut: false);

    private async Task<string> CheckedOutAtAsync(int activityId) => await LocalTimeAsync(activityId, checkOut: true);

    private async Task<string> LocalTimeAsync(int activityId, bool checkOut)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var record = await db.Attendance.AsNoTracking().SingleAsync(a => a.ActivityId == activityId);
        var utc = checkOut ? record.CheckedOutAtUtc!.Value : record.CheckedInAtUtc;
        return app.Services.GetRequiredService<DisplayTime>().ToLocal(utc).ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>The same token with one character changed: still well-formed base64url, no longer signed.</summary>
    private static string Forge(string token)
    {
        var chars = token.ToCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string? QueryValue(Uri uri, string name) =>
        uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2))
            .Where(p => string.Equals(p[0], name, StringComparison.OrdinalIgnoreCase))
            .Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();

    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<img[^>]*src=\"data:image/svg\\+xml;base64,(?<data>[A-Za-z0-9+/=]+)\"[^>]*data-testid=\"checkin-qr\"")]
    private static partial Regex QrImage();
}
