using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Home;

public sealed record ScopeSummary(string ScopeName, int People, int Communities, int GridCells, IReadOnlyList<AuditRow> RecentChanges)
{
    /// <summary>The org nodes of the scope: an audited change at one of them is news for the page.</summary>
    public IReadOnlySet<int> NodeIds { get; init; } = new HashSet<int>();
}

/// <summary>
/// A Partner's work waiting for them, for what they themselves provide: vouchers of their rewards still to hand over,
/// requests for their wedding services still to review, and this month's settlement so far.
/// </summary>
public sealed record PartnerDesk(int VouchersToHandOver, int BookingsToReview, int HandedOverThisMonth, int PointsThisMonth);

public sealed record HomeSummary(string? OrgName, int UnreadNotifications, ScopeSummary? Managed, IReadOnlyList<Activities.MyActivity> Upcoming, PartnerDesk? Partner = null);

/// <summary>
/// What the home page shows each person: their own place, for Organizers/Admins the state of what they manage, and for
/// Partners what waits for them.
/// </summary>
public sealed class HomeDashboard(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    OrgTreeService orgTree,
    NotificationService notifications,
    AuditLogQuery auditLog,
    Activities.SignUpService signUps,
    PartnerService partners,
    DisplayTime time,
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
                (await auditLog.SearchAsync(user, new AuditFilter(PageSize: 5), cancellationToken)).Items)
            {
                NodeIds = (await nodes.Select(n => n.Id).ToListAsync(cancellationToken)).ToHashSet(),
            };
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var upcoming = (await signUps.MineAsync(user, cancellationToken))
            .Where(m => m.Activity.EndUtc > now && m.Activity.Status == DezhiHub.Domain.Activities.ActivityStatus.Published)
            .Take(3).ToList();
        var partner = user.IsInRole(Roles.Partner) ? await PartnerDeskAsync(db, user, userId, now, cancellationToken) : null;
        return new HomeSummary(orgName, unread, managed, upcoming, partner);
    }

    /// <summary>
    /// Counted for what the partner provides only — their own reward items and wedding services — whatever else their
    /// account may manage (that is the "managed" card's). A voucher past its validity is no longer handed over, so it
    /// does not count.
    /// </summary>
    private async Task<PartnerDesk> PartnerDeskAsync(AppDbContext db, ClaimsPrincipal user, int userId, DateTime now, CancellationToken cancellationToken)
    {
        var vouchers = await db.Redemptions.AsNoTracking().CountAsync(
            r => r.Status == RedemptionStatus.Pending && r.ExpiresAtUtc > now && db.RewardItems.Any(i => i.Id == r.ItemId && i.PartnerUserId == userId),
            cancellationToken);
        var requests = await db.Bookings.AsNoTracking().CountAsync(
            b => b.Status == BookingStatus.Requested && db.WeddingResources.Any(w => w.Id == b.ResourceId && w.ProviderUserId == userId),
            cancellationToken);
        var today = time.ToLocal(now);
        var settlement = await partners.SettlementAsync(user, today.Year, today.Month, cancellationToken);
        return new PartnerDesk(vouchers, requests, settlement.Count, settlement.TotalPoints);
    }
}
