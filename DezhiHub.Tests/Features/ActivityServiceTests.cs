using System.Security.Claims;
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
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ActivityService Service => _host.Scoped<ActivityService>();

    [Fact]
    public async Task AnOrganizer_CreatesInTheirCommunity_ButNotInAnother()
    {
        var organizer = _city.Organizer.Principal;
        var ids = await Service.CreateAsync(organizer, await DetailsAsync(_city.Community.Id));

        var created = await Service.GetAsync(organizer, ids.Single());
        Assert.Equal((ActivityStatus.Draft, "测试市 / 测试区 / 测试街道 / 东湖社区"), (created!.Summary.Status, created.Summary.HostName));
        Assert.True(created.CanManage);

        var heping = await DetailsAsync(_city.OtherCommunity.Id);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateAsync(organizer, heping));
        var resident = _city.Resident.Principal;
        var hongxing = await DetailsAsync(_city.Community.Id);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateAsync(resident, hongxing));
        await using var db = _host.NewDb();
        Assert.False(await db.Activities.AnyAsync(a => a.OrgNodeId == heping.OrgNodeId && a.Title == heping.Title));
    }

    [Fact]
    public async Task Drafts_AreInvisibleToResidents_UntilPublished()
    {
        var organizer = _city.Organizer.Principal;
        var resident = _city.Resident.Principal;
        var id = (await Service.CreateAsync(organizer, await DetailsAsync(_city.Community.Id) with { Title = "独一无二的草稿" })).Single();

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
        var admin = _city.Admin.Principal;
        var id = (await Service.CreateAsync(admin, await DetailsAsync(_city.OtherCommunity.Id))).Single();
        var organizer = _city.Organizer.Principal;

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.PublishAsync(organizer, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CancelAsync(organizer, id, "不办了"));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.UpdateAsync(organizer, id, await DetailsAsync(_city.OtherCommunity.Id)));
        Assert.Null(await Service.GetAsync(organizer, id)); // a draft of someone else's
    }

    [Fact]
    public async Task AWeeklySeries_IsCreatedAtTheSameLocalTime_AndCanBeMovedFromOneOccurrenceOn()
    {
        var organizer = _city.Organizer.Principal;
        var details = await DetailsAsync(_city.Community.Id);
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
        var organizer = _city.Organizer.Principal;
        var details = await DetailsAsync(_city.Community.Id);
        var id = (await Service.CreateAsync(organizer, details)).Single();
        await Service.PublishAsync(organizer, id);
        var resident = _city.Resident.Principal;
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
        var organizer = _city.Organizer.Principal;
        var details = await DetailsAsync(_city.Community.Id);
        var id = (await Service.CreateAsync(organizer, details)).Single();
        await Service.PublishAsync(organizer, id);
        await _host.Scoped<SignUpService>().SignUpAsync(_city.Resident.Principal, id);

        await using (var seed = _host.NewDb())
        {
            seed.ActivityReminders.Add(ActivityReminder.Sent(id, await seed.Users.Where(u => u.PhoneNumber == _city.Resident.Phone).Select(u => u.Id).SingleAsync(), ReminderKind.DayBefore, FeatureHost.Start.UtcDateTime));
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
        var organizer = _city.Organizer.Principal;
        var details = await DetailsAsync(_city.Community.Id);
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
        int otherTheme;
        await using (var db = _host.NewDb())
        {
            var theme = DezhiHub.Domain.Activities.ActivityTheme.Create("家风家教");
            db.ActivityThemes.Add(theme);
            await db.SaveChangesAsync();
            otherTheme = theme.Id;
        }

        var organizer = _city.Organizer.Principal;
        async Task<int> PlanAsync(ActivityDetails details, ClaimsPrincipal? by = null, bool publish = true)
        {
            var id = (await Service.CreateAsync(by ?? organizer, details)).Single();
            if (publish)
            {
                await Service.PublishAsync(by ?? organizer, id);
            }

            return id;
        }

        var inGrid = await PlanAsync(await DetailsAsync(_city.Grid1.Id) with { Title = "网格家风课", Entry = EightEntry.Families, ThemeIds = [otherTheme] });
        var inCommunity = await PlanAsync(await DetailsAsync(_city.Community.Id) with { Title = "社区宣讲" });
        var elsewhere = await PlanAsync(await DetailsAsync(_city.OtherCommunity.Id) with { Title = "西湖宣讲" }, _city.OtherOrganizer.Principal);
        var draft = await PlanAsync(await DetailsAsync(_city.Community.Id) with { Title = "草稿" }, publish: false);
        var cancelled = await PlanAsync(await DetailsAsync(_city.Community.Id) with { Title = "停电取消" });
        await Service.CancelAsync(organizer, cancelled, "停电");
        var resident = _city.Resident.Principal;

        async Task<int[]> FindAsync(ActivityFilter filter) => [.. (await Service.SearchAsync(resident, filter with { PageSize = 100 })).Items.Select(a => a.Id).Order()];

        Assert.Equal([inGrid], await FindAsync(new ActivityFilter(Entry: EightEntry.Families)));
        Assert.Equal([inGrid], await FindAsync(new ActivityFilter(ThemeId: otherTheme)));
        Assert.Equal([inGrid, inCommunity, cancelled], await FindAsync(new ActivityFilter(OrgNodeId: _city.Community.Id))); // the subtree, not just the node
        Assert.Equal([inGrid, inCommunity, elsewhere], await FindAsync(new ActivityFilter(OpenForSignUpOnly: true)));
        Assert.DoesNotContain(draft, await FindAsync(new ActivityFilter()));
        Assert.Contains(draft, (await Service.SearchAsync(organizer, new ActivityFilter(Managed: true, PageSize: 100))).Items.Select(a => a.Id));
    }

    [Fact]
    public async Task ActivitiesMoveWithTheirHost_WhenTheOrgTreeIsReorganised()
    {
        var admin = _city.Admin.Principal;
        var hosted = (await Service.CreateAsync(_city.Organizer.Principal, await DetailsAsync(_city.Grid1.Id) with { Title = "太行精神宣讲进社区" })).Single();
        await Service.PublishAsync(_city.Organizer.Principal, hosted);
        var street = _city.Street.Id;
        var district = _city.OtherDistrict.Id;
        await _host.Scoped<DezhiHub.Web.Features.Organization.OrgTreeService>().MoveAsync(admin, street, district);

        await using var db = _host.NewDb();
        var gridPath = await db.OrgNodes.Where(n => n.Id == _city.Grid1.Id).Select(n => n.Path).SingleAsync();
        Assert.StartsWith($"/{_city.City.Id}/{district}/{street}/", gridPath, StringComparison.Ordinal);
        Assert.Equal(gridPath, (await db.Activities.SingleAsync(a => a.Id == hosted)).OrgPath);
        var inDistrict = await Service.SearchAsync(admin, new ActivityFilter(OrgNodeId: district, Text: "太行精神宣讲"));
        Assert.Equal([hosted], inDistrict.Items.Select(a => a.Id));
    }

    private Task<ActivityDetails> DetailsAsync(int host)
    {
        var start = FeatureHost.Start.UtcDateTime.AddDays(30);
        return Task.FromResult(new ActivityDetails
        {
            Title = "测试活动",
            Entry = EightEntry.Communities,
            ThemeIds = [_city.ThemeId],
            OrgNodeId = host,
            Place = "活动室",
            StartUtc = start,
            EndUtc = start.AddHours(2),
            Capacity = 5,
        });
    }
}
