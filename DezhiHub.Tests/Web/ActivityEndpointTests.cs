using System.Net.Http.Headers;
using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Localization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>
/// The roster exports and the cover image over real HTTP: who may download what, and that an upload is judged by
/// its bytes and its size, not by its name.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class ActivityEndpointTests(AppFactory app) : IAsyncLifetime
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static (AppFactory App, int Id)? _shared;

    private int _activityId;

    /// <summary>
    /// The roster tests share one published activity of 红星社区 with 赵磊 signed up (created once: his sign-ups
    /// must not overlap); each cover test gets a fresh activity of its own.
    /// </summary>
    public async Task InitializeAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            if (_shared is not { } shared || shared.App != app)
            {
                _shared = (app, await CreateActivityAsync(signUpResident: true));
            }

            _activityId = _shared.Value.Id;
        }
        finally
        {
            SharedLock.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> CreateActivityAsync(bool signUpResident)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var organizer = await PrincipalAsync(services, Demo.OrganizerHongxing);
        var time = services.GetRequiredService<DisplayTime>();
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Id).SingleAsync();
        var theme = await db.ActivityThemes.Where(t => !t.IsRetired).Select(t => t.Id).FirstAsync();
        // Far ahead, late in the evening: no other test's sign-up for 赵磊 is near it.
        var start = time.ToUtc(time.LocalNow.Date.AddDays(70).AddHours(21));
        var activities = services.GetRequiredService<ActivityService>();
        var id = (await activities.CreateAsync(organizer, new ActivityDetails
        {
            Title = "导出测试：红色歌曲教唱",
            Entry = EightEntry.Communities,
            ThemeIds = [theme],
            OrgNodeId = hongxing,
            Place = "红星社区活动室",
            StartUtc = start,
            EndUtc = start.AddHours(1),
            Capacity = 20,
        }))[0];
        await activities.PublishAsync(organizer, id);
        if (signUpResident)
        {
            await services.GetRequiredService<SignUpService>().SignUpAsync(await PrincipalAsync(services, Demo.Resident), id);
        }

        return id;
    }

    [Theory]
    [InlineData("roster.csv")]
    [InlineData("roster.xlsx")]
    public async Task Anonymous_IsSentToSignIn(string file)
    {
        using var client = app.NewClient();

        using var response = await client.GetAsync($"/activities/{_activityId}/{file}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("roster.csv")]
    [InlineData("roster.xlsx")]
    public async Task AnOrganizerOfAnotherCommunity_Gets403_AndNoNames(string file)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHeping));

        using var response = await client.GetAsync($"/activities/{_activityId}/{file}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("赵磊", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheHostsOrganizer_GetsTheCsv_WithTheResident()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        using var response = await client.GetAsync($"/activities/{_activityId}/roster.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("\uFEFF\"姓名\",\"手机号\"", csv);
        Assert.Contains("\"赵磊\",\"138****0006\"", csv);
        Assert.Contains("已报名", csv);
    }

    [Fact]
    public async Task TheHostsOrganizer_GetsAnExcelFile_WithTheResident()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        using var response = await client.GetAsync($"/activities/{_activityId}/roster.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DezhiHub.Web.Platform.Files.Xlsx.ContentType, response.Content.Headers.ContentType!.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        Assert.Equal("报名名单", workbook.Workbook.Descendants<Sheet>().Single().Name!.Value);
        var rows = workbook.WorksheetParts.Single().Worksheet.Descendants<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(["姓名", "手机号", "所属组织", "状态", "候补顺序", "报名时间"], rows[0]);
        var resident = Assert.Single(rows, r => r[0] == "赵磊");
        Assert.Equal("138****0006", resident[1]);
        Assert.Contains("红星社区", resident[2]);
        Assert.Equal("已报名", resident[3]);
    }

    [Fact]
    public async Task ACoverUpload_ThatIsNotAnImage_IsRefused_WhateverItsName()
    {
        _activityId = await CreateActivityAsync(signUpResident: false);
        using var client = await OrganizerAsync();

        using var response = await UploadAsync(client, "<svg onload=alert(1)>"u8.ToArray(), "cover.png", "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("封面只支持 JPEG、PNG 或 WebP 图片。", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/activities/{_activityId}/cover")).StatusCode);
    }

    [Fact]
    public async Task ACoverUpload_OverTwoMegabytes_IsRefused()
    {
        _activityId = await CreateActivityAsync(signUpResident: false);
        using var client = await OrganizerAsync();
        var big = new byte[CoverImageStore.MaxBytes + 1];
        Png.CopyTo(big, 0);

        using var response = await UploadAsync(client, big, "big.png", "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("封面图片不能超过 2 MB。", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ACoverUpload_OverTheServersBodyLimit_GetsTheTooLargeText_NotARedirect()
    {
        // Over Kestrel's 30 MB request limit: the form cannot even be read for its antiforgery token. Sent the way curl
        // sends a large file (Expect: 100-continue), so the answer comes before the body.
        _activityId = await CreateActivityAsync(signUpResident: false);
        using var client = await OrganizerAsync();
        var huge = new byte[40 * 1024 * 1024];
        Png.CopyTo(huge, 0);

        using var response = await UploadAsync(client, huge, "huge.png", "image/png", expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("封面图片不能超过 2 MB。", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/activities/{_activityId}/cover")).StatusCode);
    }

    [Fact]
    public async Task ACoverDeclaringTooManyPixels_IsRefused_InWords()
    {
        _activityId = await CreateActivityAsync(signUpResident: false);
        using var client = await OrganizerAsync();

        using var response = await UploadAsync(client, TestImages.PngDeclaring(100_000, 100_000), "cover.png", "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("封面图片尺寸过大：每边不能超过 8000 像素，总计不能超过 4000 万像素。", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/activities/{_activityId}/cover")).StatusCode);
    }

    [Fact]
    public async Task ACoverWithGps_IsServedToAnyone_WithoutIt_AndWithAThumbnail()
    {
        _activityId = await CreateActivityAsync(signUpResident: false);
        using var client = await OrganizerAsync();

        using var upload = await UploadAsync(client, TestImages.JpegWithExif(1200, 900, orientation: 1), "封面.jpg", "image/jpeg");

        Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        using var anonymous = app.NewClient();
        foreach (var (path, width) in new[] { ($"/activities/{_activityId}/cover", 1200), ($"/activities/{_activityId}/cover/thumb", 480) })
        {
            using var cover = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, cover.StatusCode);
            Assert.Equal("image/jpeg", cover.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", cover.Headers.GetValues("X-Content-Type-Options").Single());
            var bytes = await cover.Content.ReadAsByteArrayAsync();
            Assert.DoesNotContain((byte)0xE1, TestImages.JpegHeaderMarkers(bytes));
            Assert.False(TestImages.ContainsAscii(bytes, TestImages.Description));
            Assert.Equal(width, TestImages.Inspect(bytes).Width);
        }

        Assert.Single(Directory.GetFiles(Path.Combine(app.DataPath, "covers"), $"{_activityId}-*.thumb.jpg"));
    }

    [Fact]
    public async Task ACoverUpload_ByAnOrganizerOfAnotherCommunity_Gets403()
    {
        _activityId = await CreateActivityAsync(signUpResident: false);
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHeping));

        using var response = await UploadAsync(client, Png, "cover.png", "image/png");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<AppClient> OrganizerAsync()
    {
        var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));
        return client;
    }

    /// <summary>Posts a file as a browser form would, with the antiforgery token a page of the app rendered for this user.</summary>
    private async Task<HttpResponseMessage> UploadAsync(AppClient client, byte[] bytes, string fileName, string contentType, bool expectContinue = false)
    {
        var page = await client.GetStringAsync("/account/profile");
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, "the profile page renders an antiforgery token");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(WebUtility.HtmlDecode(token.Groups["value"].Value)), "__RequestVerificationToken");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/activities/{_activityId}/cover") { Content = form };
        request.Headers.ExpectContinue = expectContinue;
        return await client.Http.SendAsync(request);
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        var users = services.GetRequiredService<UserManager<DezhiHub.Web.Platform.Identity.AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex AntiforgeryField();
}
