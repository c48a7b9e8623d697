using DezhiHub.Domain.Market;
using DezhiHub.Domain.Notifications;
using DezhiHub.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Data;

/// <summary>
/// The context's side of domain events (decision 0017): what one use of a pooled context raised never reaches the next
/// use, and a synchronous save refuses a change that raised events instead of dropping them.
/// </summary>
public sealed class DomainEventTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync(demoData: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnEventRaisedButNeverSaved_DiesWithItsContext_AndIsNotHandledByTheNextUseOfThePooledContext()
    {
        // A close of a redemption that does not exist: were it ever handled, its handler would fail to find the item.
        var stray = new RedemptionClosed(RedemptionId: 999_999, RedemptionStatus.Cancelled, HolderUserId: 1, ItemId: 999_999, Points: 10, ActorUserId: null);
        object first;
        await using (var db = _host.NewDb())
        {
            first = db;
            db.Raise(stray);
        }

        await using var next = _host.NewDb();
        Assert.Same(first, next); // the pool handed the same context back: the test would prove nothing otherwise
        next.Notifications.Add(Notification.Create(await AnyUserAsync(next), "Test.Notice", [], null, DateTime.UtcNow));
        await next.SaveChangesAsync();

        Assert.Equal(0, await next.AuditEntries.CountAsync(a => a.EntityId == "999999"));
    }

    [Fact]
    public async Task ASynchronousSave_OfAChangeThatRaisedEvents_IsRefused_NotSavedWithoutThem()
    {
        await using var db = _host.NewDb();
        db.Raise(new RedemptionClosed(1, RedemptionStatus.Expired, 1, 1, 1, null));

        var refused = Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
        Assert.Contains("SaveChangesAsync", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<int> AnyUserAsync(DezhiHub.Web.Data.AppDbContext db)
    {
        if (await db.Users.Select(u => (int?)u.Id).FirstOrDefaultAsync() is { } id)
        {
            return id;
        }

        db.Users.Add(new DezhiHub.Web.Platform.Identity.AppUser { UserName = "13700000099", NormalizedUserName = "13700000099", RealName = "测试", SecurityStamp = "x", CreatedAtUtc = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return await db.Users.Select(u => u.Id).FirstAsync();
    }
}
