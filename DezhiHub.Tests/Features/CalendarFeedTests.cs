using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Components;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Calendar;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using IcalCalendar = Ical.Net.Calendar;

namespace DezhiHub.Tests.Features;

/// <summary>Feed tokens and the .ics documents built from the database, read back with Ical.Net.</summary>
public sealed class CalendarFeedTests : IAsyncLifetime
{
    private static readonly Uri BaseUri = new("http://dezhihub.test/");

    private FeatureHost _host = default!;
    private TestCity _city = default!;
    private ClaimsPrincipal _resident = default!;

    private DateTime Now => _host.Clock.GetUtcNow().UtcDateTime;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        _resident = _city.Resident.Principal;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Token_IsCreatedOnlyWhenAsked_256BitBase64Url_AndStable()
    {
        var feeds = Feeds();
        Assert.Null(await feeds.GetTokenAsync(_resident));

        var token = await feeds.GetOrCreateTokenAsync(_resident);

        Assert.Equal(CalendarFeedService.TokenLength, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(token, await feeds.GetOrCreateTokenAsync(_resident));
        Assert.Equal(token, await feeds.GetTokenAsync(_resident));
        Assert.Equal(_resident.RequiredUserId(), await feeds.FindOwnerAsync(token));
    }

    [Fact]
    public async Task FirstTokens_AskedForAtOnce_AreOneToken()
    {
        var tokens = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Feeds().GetOrCreateTokenAsync(_resident))));

        Assert.Single(tokens.Distinct());
    }

    [Fact]
    public async Task Regenerating_RetiresTheOldTokenAtOnce_AndIsAuditedWithoutTheSecret()
    {
        var feeds = Feeds();
        var old = await feeds.GetOrCreateTokenAsync(_resident);

        var fresh = await feeds.RegenerateAsync(_resident);

        Assert.NotEqual(old, fresh);
        Assert.Null(await feeds.FindOwnerAsync(old));
        Assert.Equal(_resident.RequiredUserId(), await feeds.FindOwnerAsync(fresh));
        await using var db = _host.NewDb();
        var entries = await db.AuditEntries.Where(e => e.Action.StartsWith("calendar-feed.")).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["calendar-feed.created", "calendar-feed.regenerated"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(_resident.RequiredUserId().ToString(), e.EntityId));
        Assert.All(entries, e => Assert.DoesNotContain(fresh, $"{e.Before}{e.After}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegeneratingAToken_MakesAStaleProfileSaveFail_InsteadOfRestoringTheOldToken()
    {
        var userManager = _host.Scoped<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var stale = await userManager.FindByIdAsync(_resident.RequiredUserId().ToString());
        var token = await Feeds().GetOrCreateTokenAsync(_resident);

        stale!.RealName = "赵磊磊";
        var result = await userManager.UpdateAsync(stale);

        Assert.False(result.Succeeded);
        Assert.Equal(_resident.RequiredUserId(), await Feeds().FindOwnerAsync(token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task UnknownOrMalformedTokens_BelongToNobody(string? token) =>
        Assert.Null(await Feeds().FindOwnerAsync(token));

    [Fact]
    public async Task Feed_HoldsTheOwnersActiveSignUps_FromAMonthAgoOn_WaitlistedMarked()
    {
        int confirmed, waitlisted, cancelledSignUp, cancelledActivity, monthAgo, tooOld, someoneElses;
        await using (var db = _host.NewDb())
        {

            // Created in the past (the clock is rewound) so that the old activities could be published then.
            _host.Clock.AdjustTime(FeatureHost.Start.AddDays(-40));
            tooOld = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(2), title: "太早的活动");
            monthAgo = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(12), title: "上个月的活动");
            _host.Clock.AdjustTime(FeatureHost.Start);
            confirmed = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(2), title: "红色家书诵读会, 第一期; 家风");
            waitlisted = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(3), title: "红色电影进校园");
            cancelledSignUp = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(4), title: "我取消了的活动");
            cancelledActivity = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(5), title: "被取消的活动");
            someoneElses = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(6), title: "别人的活动");
            foreach (var id in new[] { tooOld, monthAgo, confirmed, cancelledActivity })
            {
                await CalendarTestActivities.SignUpAsync(db, id, TestCity.ResidentPhone, RegistrationStatus.Confirmed, Now);
            }

            await CalendarTestActivities.SignUpAsync(db, waitlisted, TestCity.ResidentPhone, RegistrationStatus.Waitlisted, Now);
            await CalendarTestActivities.SignUpAsync(db, cancelledSignUp, TestCity.ResidentPhone, RegistrationStatus.Cancelled, Now);
            await CalendarTestActivities.SignUpAsync(db, someoneElses, TestCity.VolunteerPhone, RegistrationStatus.Confirmed, Now);
            await CalendarTestActivities.CancelAsync(db, cancelledActivity, "场地维修", Now);
        }

        var token = await Feeds().GetOrCreateTokenAsync(_resident);
        string ics;
        using (CultureScope.Use("zh-CN"))
        {
            ics = (await Export().FeedAsync(token, BaseUri))!;
        }

        var calendar = IcalCalendar.Load(ics)!;
        var byUid = calendar.Events.ToDictionary(e => e.Uid!);
        Assert.Equal("德治 Hub · 我的活动", calendar.Properties["X-WR-CALNAME"]!.Value);
        Assert.Equal(
            new[] { monthAgo, confirmed, waitlisted, cancelledActivity }.Select(CalendarExport.Uid).Order(),
            byUid.Keys.Order());
        Assert.Equal("红色家书诵读会, 第一期; 家风", byUid[CalendarExport.Uid(confirmed)].Summary);
        Assert.Equal("[候补] 红色电影进校园", byUid[CalendarExport.Uid(waitlisted)].Summary);
        var cancelled = byUid[CalendarExport.Uid(cancelledActivity)];
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.Contains("场地维修", cancelled.Description, StringComparison.Ordinal);
        Assert.Empty(cancelled.Alarms);
        var event1 = byUid[CalendarExport.Uid(confirmed)];
        Assert.Equal(Now.AddDays(2), event1.DtStart!.AsUtc);
        Assert.Equal(new Uri(BaseUri, $"activities/{confirmed}"), event1.Url);
        Assert.Equal(TimeSpan.FromHours(-1), Assert.Single(event1.Alarms).Trigger!.Duration!.Value.ToTimeSpanUnspecified());
    }

    [Fact]
    public async Task Feed_SpeaksEnglish_WhenTheCultureIsEnglish()
    {
        await using (var db = _host.NewDb())
        {
            var id = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(2), title: "红色电影进校园");
            await CalendarTestActivities.SignUpAsync(db, id, TestCity.ResidentPhone, RegistrationStatus.Waitlisted, Now);
        }

        var token = await Feeds().GetOrCreateTokenAsync(_resident);
        using var culture = CultureScope.Use("en-US");
        var calendar = IcalCalendar.Load((await Export().FeedAsync(token, BaseUri))!)!;

        Assert.Equal("DezhiHub · My activities", calendar.Properties["X-WR-CALNAME"]!.Value);
        Assert.Contains(calendar.Events, e => e.Summary == "[Waitlisted] 红色电影进校园");
    }

    [Fact]
    public async Task Feed_IsNullForAWrongToken()
    {
        await Feeds().GetOrCreateTokenAsync(_resident);

        Assert.Null(await Export().FeedAsync(CalendarFeedService.NewToken(), BaseUri));
    }

    [Fact]
    public async Task ActivityDocument_IsThereForPublicActivities_NotForDrafts()
    {
        int published, draft;
        await using (var db = _host.NewDb())
        {
            published = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(2), description: "第一行\n第二行, 含逗号");
            draft = await CalendarTestActivities.AddAsync(db, Now, Now.AddDays(2), publish: false);
        }

        var ics = await Export().ActivityAsync(published, BaseUri);

        var single = IcalCalendar.Load(ics!)!.Events.Single();
        Assert.Equal(CalendarExport.Uid(published), single.Uid);
        Assert.Equal("太行精神宣讲", single.Summary);
        Assert.Equal("红星社区党群服务中心", single.Location);
        Assert.StartsWith("第一行\n第二行, 含逗号", single.Description, StringComparison.Ordinal);
        Assert.Empty(single.Alarms);
        Assert.Null(await Export().ActivityAsync(draft, BaseUri));
        Assert.Null(await Export().ActivityAsync(int.MaxValue, BaseUri));
    }

    private CalendarFeedService Feeds() => ActivatorUtilities.CreateInstance<CalendarFeedService>(_host.Services);

    private CalendarExport Export() => ActivatorUtilities.CreateInstance<CalendarExport>(_host.Services, Feeds());
}
