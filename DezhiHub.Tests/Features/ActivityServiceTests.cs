using DezhiHub.Domain.Activities;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

public sealed class ActivityServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ActivityService Service => _host.Scoped<ActivityService>();

    [Fact]
    public async Task AnOrganizer_CreatesInTheirCommunity_ButNotInAnother()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var ids = await Service.CreateAsync(organizer, await DetailsAsync("红星社区"));

        var created = await Service.GetAsync(organizer, ids.Single());
        Assert.Equal((ActivityStatus.Draft, "太行市 / 城区 / 东街街道 / 红星社区"), (created!.Summary.Status, created.Summary.HostName));
        Assert.True(created.CanManage);

        var heping = await DetailsAsync("和平社区");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateAsync(organizer, heping));
        var resident = await _host.SignInAsAsync(Demo.Resident);
        var hongxing = await DetailsAsync("红星社区");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateAsync(resident, hongxing));
        await using var db = _host.NewDb();
        Assert.False(await db.Activities.AnyAsync(a => a.OrgNodeId == heping.OrgNodeId && a.Title == heping.Title));
    }

    [Fact]
    public async Task Drafts_AreInvisibleToResidents_UntilPublished()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var resident = await _host.SignInAsAsync(Demo.Resident);
        var id = (await Service.CreateAsync(organizer, await DetailsAsync("红星社区") with { Title = "独一无二的草稿" })).Single();

        Assert.Null(await Service.GetAsync(resident, id));
        Assert.Empty((await Service.SearchAsync(resident, new ActivityFilter(Text: "独一无二的草稿"))).Items);
        Assert.Single((await Service.SearchAsync(organizer, new ActivityFilter(Text: "独一无二的草稿", Managed: true))).Items);

        await Service.PublishAsync(organizer, id);
        Assert.NotNull(await Service.GetAsync(resident, id));
        Assert.Single((await Service.SearchAsync(resident, new ActivityFilter(Text: "独一无二的草稿"))).Items);
    }

    [Fact]
    public async Task AnOrganizer_CannotTouchAnotherCommunitysActivity()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var id = (await Service.CreateAsync(admin, await DetailsAsync("和平社区"))).Single();
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.PublishAsync(organizer, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CancelAsync(organizer, id, "不办了"));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.UpdateAsync(organizer, id, await DetailsAsync("和平社区")));
        Assert.Null(await Service.GetAsync(organizer, id)); // a draft of someone else's
    }

    [Fact]
    public async Task AWeeklySeries_IsCreatedAtTheSameLocalTime_AndCanBeMovedFromOneOccurrenceOn()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var details = await DetailsAsync("红星社区");
        var ids = await Service.CreateAsync(organizer, details, new RecurrenceRule(RecurrenceFrequency.Weekly, Count: 4));
        Assert.Equal(4, ids.Count);

        var second = (await Service.GetAsync(organizer, ids[1]))!.Summary;
        Assert.Equal(details.StartUtc.AddDays(7), second.StartUtc);
        await Service.UpdateAsync(organizer, ids[1], details with { StartUtc = second.StartUtc.AddHours(1), EndUtc = second.StartUtc.AddHours(4), Title = "改时间的读书会" }, SeriesScope.ThisAndFollowing);

        var all = await Task.WhenAll(ids.Select(id => Service.GetAsync(organizer, id)));
        Assert.Equal(details.StartUtc, all[0]!.Summary.StartUtc); // the earlier one keeps its time
        Assert.Equal(details.Title, all[0]!.Summary.Title);
        Assert.All(all.Skip(1), a => Assert.Equal(("改时间的读书会", TimeSpan.FromHours(3)), (a!.Summary.Title, a.Summary.EndUtc - a.Summary.StartUtc)));
        Assert.Equal(details.StartUtc.AddDays(21).AddHours(1), all[3]!.Summary.StartUtc);
    }

    [Fact]
    public async Task CancellingAPublishedActivity_TellsEveryoneSignedUp()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var details = await DetailsAsync("红星社区");
        var id = (await Service.CreateAsync(organizer, details)).Single();
        await Service.PublishAsync(organizer, id);
        var resident = await _host.SignInAsAsync(Demo.Resident);
        await _host.Scoped<SignUpService>().SignUpAsync(resident, id);

        await Service.CancelAsync(organizer, id, "场地维修");

        await using var db = _host.NewDb();
        // The notice names the occurrence's start (Asia/Shanghai), so the cancelled dates of a series can be told apart.
        var notice = await db.Notifications.SingleAsync(n => n.MessageKey == "Notify.ActivityCancelledOn" && n.Link == $"/activities/{id}");
        Assert.Equal(["测试活动", NotificationText.Time(details.StartUtc), "场地维修"], notice.Args);
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "activity.cancelled" && a.EntityId == id.ToString());
        Assert.Contains("Published", entry.Before); // the state before the cancellation, not after it
        Assert.Equal("SignUp.Cancelled", (await Assert.ThrowsAsync<DomainException>(() => _host.Scoped<SignUpService>().SignUpAsync(organizer, id))).Code);
    }

    [Fact]
    public async Task MovingAPublishedActivitysTime_TellsRegistrantsAndResetsReminders_ButEditingTheTextDoesNot()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var details = await DetailsAsync("红星社区");
        var id = (await Service.CreateAsync(organizer, details)).Single();
        await Service.PublishAsync(organizer, id);
        await _host.Scoped<SignUpService>().SignUpAsync(await _host.SignInAsAsync(Demo.Resident), id);

        await using (var seed = _host.NewDb())
        {
            seed.ActivityReminders.Add(ActivityReminder.Sent(id, await seed.Users.Where(u => u.PhoneNumber == Demo.Resident).Select(u => u.Id).SingleAsync(), ReminderKind.DayBefore, FeatureHost.Start.UtcDateTime));
            await seed.SaveChangesAsync();
        }

        await Service.UpdateAsync(organizer, id, details with { Description = "补充说明" });
        await using (var unchanged = _host.NewDb())
        {
            Assert.True(await unchanged.ActivityReminders.AnyAsync(r => r.ActivityId == id));
        }

        await Service.UpdateAsync(organizer, id, details with { StartUtc = details.StartUtc.AddHours(2), EndUtc = details.EndUtc.AddHours(2) });

        await using var db = _host.NewDb();
        var moved = await db.Notifications.SingleAsync(n => n.MessageKey == "Notify.ActivityTimeChangedTo");
        Assert.Equal(NotificationText.Time(details.StartUtc.AddHours(2)), moved.Args[1]); // the new start
        Assert.False(await db.ActivityReminders.AnyAsync(r => r.ActivityId == id)); // the new time gets its own reminders
    }

    [Fact]
    public async Task SavingTheFormUnchanged_WritesNothing()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var details = await DetailsAsync("红星社区");
        var id = (await Service.CreateAsync(organizer, details)).Single();
        _host.Clock.Advance(TimeSpan.FromMinutes(5));

        await Service.UpdateAsync(organizer, id, details);

        await using var db = _host.NewDb();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "activity.updated"));
        Assert.Equal(FeatureHost.Start.UtcDateTime, (await db.Activities.SingleAsync(a => a.Id == id)).UpdatedAtUtc);
    }

    [Fact]
    public async Task Search_FiltersByEntryThemeSubtreeAndOpenForSignUp()
    {
        var resident = await _host.SignInAsAsync(Demo.Resident);
        await using var db = _host.NewDb();
        var redCulture = await db.ActivityThemes.Where(t => t.Name == "太行精神").Select(t => t.Id).SingleAsync();
        var hongxing = await _host.OrgIdAsync("红星社区");

        var families = await Service.SearchAsync(resident, new ActivityFilter(Entry: EightEntry.Families));
        var theme = await Service.SearchAsync(resident, new ActivityFilter(ThemeId: redCulture));
        var inHongxing = await Service.SearchAsync(resident, new ActivityFilter(OrgNodeId: hongxing, PageSize: 100));
        var open = await Service.SearchAsync(resident, new ActivityFilter(OpenForSignUpOnly: true, PageSize: 100));

        Assert.All(families.Items, a => Assert.Equal(EightEntry.Families, a.Entry));
        Assert.NotEmpty(families.Items);
        Assert.All(theme.Items, a => Assert.Contains("太行精神", a.Themes));
        Assert.All(inHongxing.Items, a => Assert.Contains("红星社区", a.HostName));
        Assert.Contains(inHongxing.Items, a => a.HostName.EndsWith("第一网格", StringComparison.Ordinal)); // the subtree, not just the node
        Assert.All(open.Items, a => Assert.Equal(ActivityStatus.Published, a.Status));
        Assert.DoesNotContain(open.Items, a => a.Title.Contains("取消", StringComparison.Ordinal));
        Assert.DoesNotContain((await Service.SearchAsync(resident, new ActivityFilter(PageSize: 100))).Items, a => a.Status == ActivityStatus.Draft);
    }

    [Fact]
    public async Task ActivitiesMoveWithTheirHost_WhenTheOrgTreeIsReorganised()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var street = await _host.OrgIdAsync("东街街道");
        var district = await _host.OrgIdAsync("高新区");
        await _host.Scoped<DezhiHub.Web.Features.Organization.OrgTreeService>().MoveAsync(admin, street, district);

        await using var db = _host.NewDb();
        var hongxingPath = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Path).SingleAsync();
        var hosted = await db.Activities.Where(a => a.Title == "太行精神宣讲进社区").SingleAsync();
        Assert.Equal(hongxingPath, hosted.OrgPath);
        var inDistrict = await Service.SearchAsync(admin, new ActivityFilter(OrgNodeId: district, Text: "太行精神宣讲"));
        Assert.Single(inDistrict.Items);
    }

    private async Task<ActivityDetails> DetailsAsync(string host)
    {
        await using var db = _host.NewDb();
        var theme = await db.ActivityThemes.Select(t => t.Id).FirstAsync();
        var start = FeatureHost.Start.UtcDateTime.AddDays(30);
        return new ActivityDetails
        {
            Title = "测试活动",
            Entry = EightEntry.Communities,
            ThemeIds = [theme],
            OrgNodeId = await _host.OrgIdAsync(host),
            Place = "活动室",
            StartUtc = start,
            EndUtc = start.AddHours(2),
            Capacity = 5,
        };
    }
}
