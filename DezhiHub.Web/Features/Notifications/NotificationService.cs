using System.Security.Claims;
using DezhiHub.Domain.Notifications;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Notifications;

public sealed record NotificationView(long Id, string MessageKey, IReadOnlyList<string> Args, string? Link, DateTime CreatedAtUtc, bool IsRead);

/// <summary>The signed-in user's in-app notifications. Every query is filtered by the caller's own id.</summary>
public sealed class NotificationService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Adds a notification to <paramref name="db"/>; it is saved with the caller's change.</summary>
    public void Add(AppDbContext db, int userId, string messageKey, IReadOnlyList<string> args, string? link = null) =>
        db.Notifications.Add(Notification.Create(userId, messageKey, args, link, clock.GetUtcNow().UtcDateTime));

    public async Task<int> CountUnreadAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (user.UserId() is not { } userId)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAtUtc == null, cancellationToken);
    }

    public async Task<Paged<NotificationView>> ListAsync(ClaimsPrincipal user, int skip, int take, bool unreadOnly = false, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAtUtc == null);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(n => n.CreatedAtUtc).ThenByDescending(n => n.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 100))
            .Select(n => new NotificationView(n.Id, n.MessageKey, n.Args, n.Link, n.CreatedAtUtc, n.ReadAtUtc != null))
            .ToListAsync(cancellationToken);
        return new Paged<NotificationView>(items, total);
    }

    public async Task MarkReadAsync(ClaimsPrincipal user, long notificationId, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == notificationId && n.UserId == userId, cancellationToken);
        if (notification is null || notification.IsRead)
        {
            return;
        }

        notification.MarkRead(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task MarkAllReadAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unread = await db.Notifications.Where(n => n.UserId == userId && n.ReadAtUtc == null).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var notification in unread)
        {
            notification.MarkRead(now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
