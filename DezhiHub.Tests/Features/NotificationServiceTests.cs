using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Live;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

public sealed class NotificationServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AddedNotifications_AreCountedAndListedNewestFirst_AndSignalled()
    {
        var service = _host.Scoped<NotificationService>();
        var resident = _city.Resident.Principal;
        var residentId = int.Parse(resident.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        var signalled = new System.Collections.Concurrent.ConcurrentQueue<Change>();
        _host.Get<LiveChanges>().Changed += signalled.Enqueue;

        _host.Clock.Advance(TimeSpan.FromMinutes(5));
        await using (var db = _host.NewDb())
        {
            service.Add(db, residentId, "Notify.OrgChanged", ["太行市 / 城区"], "/account/profile");
            await db.SaveChangesAsync();
        }

        // On SQLite right after the save; on PostgreSQL from the trigger, through the listener, within moments.
        await Eventually.TrueAsync(() => signalled.Contains(new Change(ChangeKind.Notifications, residentId)));
        Assert.DoesNotContain(signalled, c => c.Kind == ChangeKind.Notifications && c.Id != residentId);
        Assert.Equal(1, await service.CountUnreadAsync(resident));
        var list = await service.ListAsync(resident, 0, 10);
        Assert.Equal("Notify.OrgChanged", list.Items[0].MessageKey);
        Assert.Equal(["太行市 / 城区"], list.Items[0].Args);
    }

    [Fact]
    public async Task AUserCannotReadOrMarkSomeoneElsesNotifications()
    {
        var service = _host.Scoped<NotificationService>();
        var resident = _city.Resident.Principal;
        var volunteer = _city.Volunteer.Principal;
        await NoticeAsync(_city.Resident.Id);
        var residentsNotification = (await service.ListAsync(resident, 0, 1)).Items.Single();

        await service.MarkReadAsync(volunteer, residentsNotification.Id);

        Assert.Equal(1, await service.CountUnreadAsync(resident));
        Assert.DoesNotContain((await service.ListAsync(volunteer, 0, 50)).Items, n => n.Id == residentsNotification.Id);
    }

    [Fact]
    public async Task MarkAllRead_ClearsTheUnreadCount_AndKeepsTheHistory()
    {
        var service = _host.Scoped<NotificationService>();
        var resident = _city.Resident.Principal;
        await NoticeAsync(_city.Resident.Id);
        await NoticeAsync(_city.Resident.Id);
        await service.MarkAllReadAsync(resident);

        Assert.Equal(0, await service.CountUnreadAsync(resident));
        Assert.Empty((await service.ListAsync(resident, 0, 10, unreadOnly: true)).Items);
        Assert.Equal(2, (await service.ListAsync(resident, 0, 10)).Items.Count);
        await using var db = _host.NewDb();
        Assert.Equal(FeatureHost.Start.UtcDateTime, (await db.Notifications.FirstAsync(n => n.ReadAtUtc != null)).ReadAtUtc);
    }

    private async Task NoticeAsync(int userId)
    {
        await using var db = _host.NewDb();
        _host.Get<NotificationService>().Add(db, userId, "Notify.Welcome", ["居民"], "/account/profile");
        await db.SaveChangesAsync();
    }
}
