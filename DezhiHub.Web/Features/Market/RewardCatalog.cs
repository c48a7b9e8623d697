using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Market;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// The points market's shelves: Admins and Organizers keep the reward items of their subtree (create, edit, retire,
/// name a Partner as provider). What residents see and redeem is <see cref="MarketService"/>.
/// </summary>
public sealed class RewardCatalog(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, AuditTrail audit, TimeProvider clock)
{
    public const string ItemEntity = "RewardItem";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<ManagedItem>> ManagedItemsAsync(ClaimsPrincipal user, bool includeRetired = false, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = db.RewardItems.AsNoTracking();
        if (!scope.Everywhere)
        {
            var root = scope.RootPath!;
            items = items.Where(i => i.OrgPath.StartsWith(root));
        }

        if (!includeRetired)
        {
            items = items.Where(i => !i.IsRetired);
        }

        return await items.OrderBy(i => i.IsRetired).ThenByDescending(i => i.Id)
            .Select(i => new ManagedItem(
                i.Id, i.Name, i.PictureFile != null, i.PointsCost, i.Stock, i.PerPersonLimit, i.OrgNodeId,
                db.OrgNodes.Where(n => n.Id == i.OrgNodeId).Select(n => n.Name).FirstOrDefault() ?? "",
                i.PartnerUserId, db.Users.Where(u => u.Id == i.PartnerUserId).Select(u => u.RealName).FirstOrDefault(),
                i.ValidFromUtc, i.ValidUntilUtc, i.IsRetired,
                db.Redemptions.Count(r => r.ItemId == i.Id && r.Status == RedemptionStatus.Pending),
                db.Redemptions.Count(r => r.ItemId == i.Id && r.Status == RedemptionStatus.Fulfilled)))
            .ToListAsync(cancellationToken);
    }

    public async Task<RewardItemEdit> GetForEditAsync(ClaimsPrincipal user, int itemId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await LoadManagedAsync(db, user, itemId, tracked: false, cancellationToken);
        return new RewardItemEdit(item.Id, new RewardItemDetails
        {
            Name = item.Name,
            Description = item.Description,
            PointsCost = item.PointsCost,
            Stock = item.Stock,
            PerPersonLimit = item.PerPersonLimit,
            PartnerUserId = item.PartnerUserId,
            OrgNodeId = item.OrgNodeId,
            ValidFromUtc = item.ValidFromUtc,
            ValidUntilUtc = item.ValidUntilUtc,
        }, item.PictureFile is not null, item.IsRetired);
    }

    /// <summary>Adds an item offered at a node of the manager's subtree; returns its id.</summary>
    public async Task<int> CreateItemAsync(ClaimsPrincipal user, RewardItemDetails details, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var path = await ManagedNodePathAsync(db, user, details.OrgNodeId, cancellationToken);
        await EnsurePartnerAsync(db, details.PartnerUserId, cancellationToken);
        var item = RewardItem.Create(details, path, Now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.RewardItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, user, "market.item-created", ItemEntity, Id(item.Id), item.OrgNodeId, null, Snapshot(item));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return item.Id;
    }

    /// <summary>
    /// Changes an item. The stock is a counter that redemptions change meanwhile, so it is written only when it still is
    /// <paramref name="stockShown"/>, what the form showed; otherwise ErrorCodes.Reward.StockChanged and nothing changes.
    /// </summary>
    public async Task UpdateItemAsync(ClaimsPrincipal user, int itemId, RewardItemDetails details, int stockShown, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await LoadManagedAsync(db, user, itemId, tracked: true, cancellationToken);
        var path = await ManagedNodePathAsync(db, user, details.OrgNodeId, cancellationToken);
        await EnsurePartnerAsync(db, details.PartnerUserId, cancellationToken);
        var before = Snapshot(item);
        item.Update(details, path);
        db.Entry(item).Property(i => i.Stock).IsModified = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (details.Stock != stockShown
            && await db.RewardItems.Where(i => i.Id == itemId && i.Stock == stockShown)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Stock, details.Stock), cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.Reward.StockChanged);
        }

        audit.Record(db, user, "market.item-updated", ItemEntity, Id(itemId), item.OrgNodeId, before, Snapshot(item) with { Stock = details.Stock });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Takes an item off the market. Vouchers already issued stay valid until handed over, cancelled or expired.</summary>
    public async Task RetireItemAsync(ClaimsPrincipal user, int itemId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await LoadManagedAsync(db, user, itemId, tracked: false, cancellationToken);
        if (await db.RewardItems.Where(i => i.Id == itemId && !i.IsRetired).ExecuteUpdateAsync(s => s.SetProperty(i => i.IsRetired, true), cancellationToken) == 0)
        {
            return;
        }

        audit.Record(db, user, "market.item-retired", ItemEntity, Id(itemId), item.OrgNodeId, new { item.Name, IsRetired = false }, new { IsRetired = true });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The Partner accounts a manager may name as an item's provider.</summary>
    public async Task<IReadOnlyList<PartnerOption>> PartnersAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (
            from u in db.Users.AsNoTracking()
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where r.Name == Roles.Partner
            orderby u.RealName
            select new PartnerOption(u.Id, u.RealName, db.OrgNodes.Where(n => n.Id == u.OrgNodeId).Select(n => n.Name).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }

    private async Task<OrgScope> RequireScopeAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        return scope.IsNone ? throw new AccessDeniedException() : scope;
    }

    private async Task<RewardItem> LoadManagedAsync(AppDbContext db, ClaimsPrincipal user, int itemId, bool tracked, CancellationToken cancellationToken)
    {
        var items = tracked ? db.RewardItems : db.RewardItems.AsNoTracking();
        var item = await items.FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken) ?? throw new DomainException(ErrorCodes.Reward.NotFound);
        return (await access.GetScopeAsync(user, cancellationToken)).Contains(item.OrgPath) ? item : throw new AccessDeniedException();
    }

    /// <summary>The path of an active node the manager may act on.</summary>
    private async Task<string> ManagedNodePathAsync(AppDbContext db, ClaimsPrincipal user, int orgNodeId, CancellationToken cancellationToken)
    {
        var path = await db.OrgNodes.AsNoTracking().Where(n => n.Id == orgNodeId && !n.IsRetired).Select(n => n.Path).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(ErrorCodes.Reward.OrgRequired);
        return (await access.GetScopeAsync(user, cancellationToken)).Contains(path) ? path : throw new AccessDeniedException();
    }

    private static async Task EnsurePartnerAsync(AppDbContext db, int? partnerUserId, CancellationToken cancellationToken)
    {
        if (partnerUserId is not { } id)
        {
            return;
        }

        var isPartner = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            where ur.UserId == id && r.Name == Roles.Partner
            select ur).AnyAsync(cancellationToken);
        if (!isPartner)
        {
            throw new DomainException(ErrorCodes.Reward.PartnerInvalid);
        }
    }

    private static ItemSnapshot Snapshot(RewardItem item) =>
        new(item.Name, item.PointsCost, item.Stock, item.PerPersonLimit, item.PartnerUserId, item.OrgNodeId, item.ValidFromUtc, item.ValidUntilUtc);

    /// <summary>
    /// A reason as the ledger keeps it: cleaned (<see cref="PersonText"/>), at most <see cref="PointsEntry.ReasonMaxLength"/>
    /// characters, null when blank.

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed record ItemSnapshot(string Name, int PointsCost, int Stock, int? PerPersonLimit, int? PartnerUserId, int OrgNodeId, DateTime? ValidFromUtc, DateTime? ValidUntilUtc);
}
