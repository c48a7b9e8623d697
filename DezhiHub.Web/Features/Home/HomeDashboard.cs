using System.Security.Claims;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Home;

public sealed record ScopeSummary(string ScopeName, int People, int Communities, int GridCells, IReadOnlyList<AuditRow> RecentChanges);

public sealed record HomeSummary(string? OrgName, int UnreadNotifications, ScopeSummary? Managed, IReadOnlyList<Activities.MyActivity> Upcoming);

/// <summary>What the home page shows each person: their own place, and for Organizers/Admins the state of what they manage.</summary>
public sealed class HomeDashboard(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    OrgTreeService orgTree,
    NotificationService notifications,
    AuditLogQuery auditLog,
    Activities.SignUpService signUps,
    TimeProvider clock)
{
    public async Task<HomeSummary> LoadAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var userId = user.RequiredUserId();
        var orgNodeId = await db.Users.Where(u => u.Id == userId).Select(u => u.OrgNodeId).FirstOrDefaultAsync(cancellationToken);
        var orgName = orgNodeId is { } id ? (await orgTree.FindAsync(id, cancellationToken))?.FullName : null;
        var unread = await notifications.CountUnreadAsync(user, cancellationToken);

        var scope = await access.GetScopeAsync(user, cancellationToken);
        ScopeSummary? managed = null;
        if (!scope.IsNone)
        {
            var nodes = db.OrgNodes.AsNoTracking().Where(n => !n.IsRetired);
            var users = db.Users.AsNoTracking();
            string scopeName;
            if (scope.Everywhere)
            {
                scopeName = await nodes.Where(n => n.ParentId == null).Select(n => n.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
            }
            else
            {
                var root = scope.RootPath!;
                nodes = nodes.Where(n => n.Path.StartsWith(root));
                users = users.InSubtree(db, root);
                scopeName = (await orgTree.FindAsync(scope.RootNodeId!.Value, cancellationToken))?.FullName ?? "";
            }

            var levels = await nodes.GroupBy(n => n.Level).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            managed = new ScopeSummary(
                scopeName,
                await users.CountAsync(cancellationToken),
                levels.FirstOrDefault(l => l.Key == OrgLevel.Community)?.Count ?? 0,
                levels.FirstOrDefault(l => l.Key == OrgLevel.GridCell)?.Count ?? 0,
                (await auditLog.SearchAsync(user, new AuditFilter(PageSize: 5), cancellationToken)).Items);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var upcoming = (await signUps.MineAsync(user, cancellationToken))
            .Where(m => m.Activity.EndUtc > now && m.Activity.Status == DezhiHub.Domain.Activities.ActivityStatus.Published)
            .Take(3).ToList();
        return new HomeSummary(orgName, unread, managed, upcoming);
    }
}
