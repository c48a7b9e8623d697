using System.Globalization;
using DezhiHub.Domain.Market;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Events;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// What a redemption's steps leave behind, in the same transaction: the audit entry of its making and of its close, and
/// the holder's notice when someone else closed it (handed over, cancelled by the provider, expired).
/// </summary>
public sealed class RedemptionRecords(AuditTrail audit, NotificationService notifications, TimeProvider clock) : IDomainEventHandler<RedemptionMade>, IDomainEventHandler<RedemptionClosed>
{
    public async Task HandleAsync(AppDbContext db, RedemptionMade made, CancellationToken cancellationToken)
    {
        var redemption = made.Redemption;
        var facts = await FactsAsync(db, redemption.ItemId, redemption.UserId, cancellationToken);
        audit.RecordAs(db, redemption.UserId, facts.Actor, RedemptionClosed.Redeemed, MarketService.RedemptionEntity, Id(redemption.Id), facts.OrgNodeId, null,
            new { Item = facts.Name, redemption.Points, redemption.ExpiresAtUtc });
    }

    public async Task HandleAsync(AppDbContext db, RedemptionClosed closed, CancellationToken cancellationToken)
    {
        var facts = await FactsAsync(db, closed.ItemId, closed.ActorUserId, cancellationToken);
        object after = closed.Status == RedemptionStatus.Cancelled
            ? new { closed.Status, Item = facts.Name, closed.Points, closed.Reason, UserId = closed.HolderUserId }
            : new { closed.Status, Item = facts.Name, closed.Points, UserId = closed.HolderUserId };
        audit.RecordAs(db, closed.ActorUserId, facts.Actor, closed.Action, MarketService.RedemptionEntity,
            Id(closed.RedemptionId), facts.OrgNodeId, new { Status = RedemptionStatus.Pending }, after);

        (string Key, string[] Args)? notice = closed.Status switch
        {
            RedemptionStatus.Fulfilled => ("Market.HandedOverNotice", [facts.Name, NotificationText.Time(clock.GetUtcNow().UtcDateTime)]),
            RedemptionStatus.Cancelled when closed.ActorUserId != closed.HolderUserId => ("Market.CancelledNotice", [facts.Name, closed.Reason ?? ""]),
            RedemptionStatus.Expired => ("Market.ExpiredNotice", [facts.Name, closed.Points.ToString(CultureInfo.InvariantCulture)]),
            _ => null,
        };
        if (notice is { } n)
        {
            notifications.Add(db, closed.HolderUserId, n.Key, n.Args, "/market/mine");
        }
    }

    /// <summary>One small query: the item's name and node, and the name of who acted.</summary>
    private static async Task<(string Name, int OrgNodeId, string? Actor)> FactsAsync(AppDbContext db, int itemId, int? actorUserId, CancellationToken cancellationToken)
    {
        var row = await db.RewardItems.AsNoTracking().Where(i => i.Id == itemId)
            .Select(i => new { i.Name, i.OrgNodeId, Actor = db.Users.Where(u => u.Id == actorUserId).Select(u => u.RealName).FirstOrDefault() })
            .SingleAsync(cancellationToken);
        return (row.Name, row.OrgNodeId, row.Actor);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
