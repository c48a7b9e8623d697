using System.Net;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Features;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using IcalCalendar = Ical.Net.Calendar;

namespace DezhiHub.Tests.Web;

/// <summary>The .ics endpoints over a real port: public activities for anyone, a personal feed only with its current token.</summary>
[Collection(WebCollection.Name)]
public sealed class CalendarEndpointTests(AppFactory app)
{
    [Fact]
    public async Task ActivityIcs_IsServedForAPublishedActivity_AsAnAttachmentWithPrivateCaching()
    {
        var id = await AddActivityAsync("红色家书诵读会, 第一期; 家风");
        using var client = app.NewClient();

        using var response = await client.GetAsync($"/activities/{id}.ics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        AssertPrivateFiveMinutes(response);
        Assert.Equal($"activity-{id}.ics", response.Content.Headers.ContentDisposition!.FileName);
        var calendar = IcalCalendar.Load(await response.Content.ReadAsStringAsync())!;
        var single = Assert.Single(calendar.Events);
        Assert.Equal(CalendarExport.Uid(id), single.Uid);
        Assert.Equal("红色家书诵读会, 第一期; 家风", single.Summary);
        Assert.Equal(new Uri(app.BaseAddress, $"activities/{id}"), single.Url);
    }

    [Fact]
    public async Task ActivityIcs_Is404ForADraftOrAMissingActivity()
    {
        var draft = await AddActivityAsync("筹备中的活动", publish: false);
        using var client = app.NewClient();

        using var draftResponse = await client.GetAsync($"/activities/{draft}.ics");
        using var missing = await client.GetAsync("/activities/987654321.ics");

        Assert.Equal(HttpStatusCode.NotFound, draftResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Feed_WithTheCurrentToken_ListsTheOwnersSignUps_AnyOtherTokenIs404()
    {
        var id = await AddActivityAsync("红色电影进校园", signUp: Demo.Volunteer);
        var token = await FeedsAsync(Demo.Volunteer, f => f.GetOrCreateTokenAsync);
        using var client = app.NewClient();

        using var response = await client.GetAsync($"/calendar/feed/{token}.ics");
        using var wrong = await client.GetAsync($"/calendar/feed/{CalendarFeedService.NewToken()}.ics");
        using var malformed = await client.GetAsync("/calendar/feed/not-a-token.ics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        AssertPrivateFiveMinutes(response);
        var calendar = IcalCalendar.Load(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(calendar.Events, e => e.Uid == CalendarExport.Uid(id) && e.Summary == "红色电影进校园");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        // A wrong token answers like any missing page (the app's not-found page): nothing tells whether it ever existed.
        using var noSuchPage = await client.GetAsync("/no-such-page");
        Assert.Equal(noSuchPage.StatusCode, wrong.StatusCode);
        Assert.Equal(noSuchPage.Content.Headers.ContentType, wrong.Content.Headers.ContentType);
    }

    [Fact]
    public async Task RegeneratingTheToken_StopsTheOldUrlAtOnce()
    {
        var old = await FeedsAsync(Demo.Partner, f => f.GetOrCreateTokenAsync);
        using var client = app.NewClient();
        using (var before = await client.GetAsync($"/calendar/feed/{old}.ics"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var fresh = await FeedsAsync(Demo.Partner, f => f.RegenerateAsync);

        using var oldUrl = await client.GetAsync($"/calendar/feed/{old}.ics");
        using var newUrl = await client.GetAsync($"/calendar/feed/{fresh}.ics");
        Assert.Equal(HttpStatusCode.NotFound, oldUrl.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newUrl.StatusCode);
    }

    [Fact]
    public async Task Feed_SpeaksTheLanguageInItsUrl()
    {
        await AddActivityAsync("红色徒步", signUp: Demo.Admin, waitlisted: true);
        var token = await FeedsAsync(Demo.Admin, f => f.GetOrCreateTokenAsync);
        using var client = app.NewClient();

        var english = IcalCalendar.Load(await client.GetStringAsync($"/calendar/feed/{token}.ics?lang=en-US"))!;
        var chinese = IcalCalendar.Load(await client.GetStringAsync($"/calendar/feed/{token}.ics"))!;

        Assert.Equal("DezhiHub · My activities", english.Properties["X-WR-CALNAME"]!.Value);
        Assert.Contains(english.Events, e => e.Summary == "[Waitlisted] 红色徒步");
        Assert.Contains(chinese.Events, e => e.Summary == "[候补] 红色徒步");
    }

    private static void AssertPrivateFiveMinutes(HttpResponseMessage response)
    {
        var cache = response.Headers.CacheControl!;
        Assert.True(cache.Private);
        Assert.False(cache.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), cache.MaxAge);
    }

    private async Task<int> AddActivityAsync(string title, bool publish = true, string? signUp = null, bool waitlisted = false)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var now = DateTime.UtcNow;
        var id = await CalendarTestActivities.AddAsync(db, now, now.AddDays(3), title, publish: publish);
        if (signUp is not null)
        {
            await CalendarTestActivities.SignUpAsync(db, id, signUp, waitlisted ? RegistrationStatus.Waitlisted : RegistrationStatus.Confirmed, now);
        }

        return id;
    }

    private async Task<string> FeedsAsync(string phone, Func<CalendarFeedService, Func<System.Security.Claims.ClaimsPrincipal, CancellationToken, Task<string>>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.PhoneNumber == phone);
        return await action(scope.ServiceProvider.GetRequiredService<CalendarFeedService>())(Principals.For(user.Id, user.RealName), CancellationToken.None);
    }
}

/// <summary>The .ics endpoints have their own per-address limit (a fresh app, so no other test shares its window).</summary>
public sealed class CalendarRateLimitTests : IClassFixture<AppFactory>
{
    private readonly AppFactory _app;

    public CalendarRateLimitTests(AppFactory app) => _app = app;

    [Fact]
    public async Task IcsRequests_BeyondSixtyAMinute_Get429()
    {
        using var client = _app.NewClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 62; i++)
        {
            using var response = await client.GetAsync($"/calendar/feed/{CalendarFeedService.NewToken()}.ics");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(60, statuses.Count(s => s == HttpStatusCode.NotFound));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        // Only the calendar is limited: pages still answer.
        using var page = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
