using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// The points market (积分超市). Admins and Organizers keep the reward items of their subtree; every resident sees the
/// items of their own area (their community, street, district and city) and redeems them. A redemption takes one from
/// the stock and the points from the balance in one transaction, and gives both back when it is cancelled or expires.
/// Points move only through the <see cref="Ledger"/>.
/// </summary>
public sealed class MarketService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    AuditTrail audit,
    NotificationService notifications,
    Ledger ledger,
    Vouchers vouchers,
    DisplayTime time,
    TimeProvider clock,
    IOptions<MarketOptions> options)
{
    public const string ItemEntity = "RewardItem";
    public const string RedemptionEntity = "Redemption";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // ----- Managers: the items of their subtree -----

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

    // ----- Residents: browse, redeem, their redemptions -----

    /// <summary>What is on offer in the person's area (items of their node and its ancestors), with their balance.</summary>
    public async Task<MarketOffer> OfferAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var balance = await BalanceAsync(db, me, cancellationToken);
        var area = await AreaAsync(db, me, cancellationToken);
        if (area is null)
        {
            return new MarketOffer(balance, null, []);
        }

        var paths = AncestorPaths(area.Value.Path);
        var items = await db.RewardItems.AsNoTracking().Where(RewardItem.OnOfferAt(now)).Where(i => paths.Contains(i.OrgPath))
            .OrderBy(i => i.Stock == 0).ThenBy(i => i.PointsCost).ThenBy(i => i.Id)
            .Select(i => new OfferItem(
                i.Id, i.Name, i.Description, i.PictureFile != null, i.PointsCost, i.Stock, i.PerPersonLimit,
                db.Redemptions.Count(r => r.ItemId == i.Id && r.UserId == me && (r.Status == RedemptionStatus.Pending || r.Status == RedemptionStatus.Fulfilled)),
                (i.PartnerUserId == null
                    ? db.OrgNodes.Where(n => n.Id == i.OrgNodeId).Select(n => n.Name).FirstOrDefault()
                    : db.Users.Where(u => u.Id == i.PartnerUserId).Select(u => u.RealName).FirstOrDefault()) ?? "",
                i.PartnerUserId != null, i.ValidUntilUtc))
            .ToListAsync(cancellationToken);
        return new MarketOffer(balance, area.Value.Name, items);
    }

    /// <summary>
    /// Redeems one of an item in one transaction: the stock by a guarded decrement (never below zero), the per-person
    /// limit, the redemption, and the points through the ledger (never below zero). Any refusal changes nothing.
    /// Returns the redemption's id.
    /// </summary>
    public async Task<int> RedeemAsync(ClaimsPrincipal user, int itemId, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var area = await AreaAsync(db, me, cancellationToken) ?? throw new DomainException(ErrorCodes.Market.NoArea);
        var paths = AncestorPaths(area.Path);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The guarded decrement comes first: it holds the database's write lock from here on, so the limit and the
        // balance read below cannot change under this redemption.
        var taken = await db.RewardItems.Where(RewardItem.OnOfferAt(now))
            .Where(i => i.Id == itemId && i.Stock > 0 && paths.Contains(i.OrgPath))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Stock, i => i.Stock - 1), cancellationToken);
        var item = await db.RewardItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken);
        if (taken == 0 || item is null)
        {
            throw Refusal(item, paths, now);
        }

        if (item.PerPersonLimit is { } limit
            && await db.Redemptions.CountAsync(
                r => r.ItemId == itemId && r.UserId == me && (r.Status == RedemptionStatus.Pending || r.Status == RedemptionStatus.Fulfilled),
                cancellationToken) >= limit)
        {
            throw new DomainException(ErrorCodes.Market.LimitReached, limit);
        }

        var redemption = Redemption.Create(itemId, me, item.PointsCost, now, options.Value.VoucherValidFor);
        db.Redemptions.Add(redemption);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await ledger.PostPointsAsync(db, me, -item.PointsCost, PointsKind.Redeemed, LedgerSource.Redemption(redemption.Id), now,
                reason: item.Name, cancellationToken: cancellationToken);
        }
        catch (DomainException ex) when (ex.Code == ErrorCodes.Points.InsufficientBalance)
        {
            throw new DomainException(ErrorCodes.Market.NotEnoughPoints, item.PointsCost, await BalanceAsync(db, me, cancellationToken));
        }

        audit.Record(db, user, "market.redeemed", RedemptionEntity, Id(redemption.Id), item.OrgNodeId, null,
            new { Item = item.Name, Points = item.PointsCost, redemption.ExpiresAtUtc });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return redemption.Id;
    }

    /// <summary>The person's redemptions, live vouchers first, each with its signed code.</summary>
    public async Task<IReadOnlyList<MyRedemption>> MineAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from r in db.Redemptions.AsNoTracking()
            join i in db.RewardItems on r.ItemId equals i.Id
            where r.UserId == me
            orderby r.Status == RedemptionStatus.Pending descending, r.Id descending
            select new
            {
                r.Id,
                r.ItemId,
                i.Name,
                Provider = (i.PartnerUserId == null
                    ? db.OrgNodes.Where(n => n.Id == i.OrgNodeId).Select(n => n.Name).FirstOrDefault()
                    : db.Users.Where(u => u.Id == i.PartnerUserId).Select(u => u.RealName).FirstOrDefault()) ?? "",
                HasPicture = i.PictureFile != null,
                r.Points,
                r.Status,
                r.CreatedAtUtc,
                r.ExpiresAtUtc,
                r.ClosedAtUtc,
            }).Take(200).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new MyRedemption(r.Id, r.ItemId, r.Name, r.Provider, r.HasPicture, r.Points, r.Status, r.CreatedAtUtc, r.ExpiresAtUtc,
            r.ClosedAtUtc, vouchers.Issue(r.Id)))];
    }

    /// <summary>
    /// Cancels a pending redemption: by its holder, or by its provider (the item's Partner, or a manager of the item's
    /// node) with a reason, which the holder is told. The stock comes back and the points are refunded, once.
    /// </summary>
    public async Task CancelAsync(ClaimsPrincipal user, int redemptionId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (
            from r in db.Redemptions.AsNoTracking()
            join i in db.RewardItems on r.ItemId equals i.Id
            where r.Id == redemptionId
            select new { r.UserId, r.ItemId, r.Points, i.Name, i.OrgPath, i.OrgNodeId, i.PartnerUserId })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.Market.RedemptionNotFound);
        var own = row.UserId == me;
        if (!own && !await IsProviderAsync(user, row.PartnerUserId, row.OrgPath, cancellationToken))
        {
            throw new AccessDeniedException();
        }

        var trimmed = Reason(reason);
        if (!own && trimmed is null)
        {
            throw new DomainException(ErrorCodes.Market.ReasonRequired);
        }

        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await RedemptionClosing.CloseAsync(db, redemptionId, RedemptionStatus.Cancelled, me, now, cancellationToken))
        {
            throw await RedemptionClosing.NotPendingAsync(db, time, redemptionId, cancellationToken);
        }

        await RedemptionClosing.GiveBackAsync(db, ledger, row.UserId, row.ItemId, redemptionId, row.Points, now, trimmed, own ? null : me, cancellationToken);
        if (!own)
        {
            notifications.Add(db, row.UserId, "Market.CancelledNotice", [row.Name, trimmed!], "/market/mine");
        }

        audit.Record(db, user, "market.cancelled", RedemptionEntity, Id(redemptionId), row.OrgNodeId,
            new { Status = nameof(RedemptionStatus.Pending) },
            new { Status = nameof(RedemptionStatus.Cancelled), Item = row.Name, row.Points, Reason = trimmed, row.UserId });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>An item's redemptions, for its provider.</summary>
    public async Task<ItemRedemptions> ItemRedemptionsAsync(ClaimsPrincipal user, int itemId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.RewardItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Reward.NotFound);
        if (!await IsProviderAsync(user, item.PartnerUserId, item.OrgPath, cancellationToken))
        {
            throw new AccessDeniedException();
        }

        var rows = await (
            from r in db.Redemptions.AsNoTracking()
            join u in db.Users on r.UserId equals u.Id
            where r.ItemId == itemId
            orderby r.Status == RedemptionStatus.Pending descending, r.Id descending
            select new
            {
                r.Id,
                u.RealName,
                u.PhoneNumber,
                r.Points,
                r.Status,
                r.CreatedAtUtc,
                r.ExpiresAtUtc,
                r.ClosedAtUtc,
                ClosedBy = db.Users.Where(c => c.Id == r.ClosedByUserId).Select(c => c.RealName).FirstOrDefault(),
            }).Take(500).ToListAsync(cancellationToken);
        return new ItemRedemptions(item.Id, item.Name, item.Stock, [.. rows.Select(r => new RedemptionRow(
            r.Id, r.RealName, MainlandMobile.Mask(r.PhoneNumber ?? ""), r.Points, r.Status, r.CreatedAtUtc, r.ExpiresAtUtc, r.ClosedAtUtc, r.ClosedBy))]);
    }

    /// <summary>
    /// The provider of an item: its Partner (while they hold the Partner role), or an Admin or an Organizer whose subtree
    /// holds the item's node.
    /// </summary>
    internal async Task<bool> IsProviderAsync(ClaimsPrincipal user, int? partnerUserId, string orgPath, CancellationToken cancellationToken) =>
        (partnerUserId is { } partner && user.UserId() == partner && user.IsInRole(Roles.Partner))
        || (await access.GetScopeAsync(user, cancellationToken)).Contains(orgPath);

    /// <summary>"/1/4/17/" → "/1/", "/1/4/", "/1/4/17/": the paths whose items a person of that node sees.</summary>
    internal static string[] AncestorPaths(string path)
    {
        var paths = new List<string>();
        for (var i = path.IndexOf('/', 1); i > 0; i = path.IndexOf('/', i + 1))
        {
            paths.Add(path[..(i + 1)]);
        }

        return [.. paths];
    }

    /// <summary>Why an item could not be taken, most specific first.</summary>
    private static DomainException Refusal(RewardItem? item, string[] paths, DateTime now) =>
        item is null || !paths.Contains(item.OrgPath) ? new DomainException(ErrorCodes.Market.ItemNotFound)
        : item.IsRetired ? new DomainException(ErrorCodes.Market.NotOnOffer)
        : item.ValidFromUtc > now ? new DomainException(ErrorCodes.Market.NotYetOnOffer)
        : item.ValidUntilUtc <= now ? new DomainException(ErrorCodes.Market.OfferEnded)
        : new DomainException(ErrorCodes.Market.OutOfStock);

    private static async Task<int> BalanceAsync(AppDbContext db, int userId, CancellationToken cancellationToken) =>
        await db.VolunteerProfiles.AsNoTracking().Where(p => p.UserId == userId).Select(p => (int?)p.PointsBalance).FirstOrDefaultAsync(cancellationToken) ?? 0;

    /// <summary>The person's node path, and the name of their area as people say it: the community of a grid cell.</summary>
    private static async Task<(string Name, string Path)?> AreaAsync(AppDbContext db, int userId, CancellationToken cancellationToken)
    {
        var node = await (
            from u in db.Users.AsNoTracking()
            join n in db.OrgNodes on u.OrgNodeId equals n.Id
            where u.Id == userId
            select new
            {
                n.Name,
                n.Path,
                Community = n.Level == OrgLevel.GridCell ? db.OrgNodes.Where(p => p.Id == n.ParentId).Select(p => p.Name).FirstOrDefault() : null,
            }).FirstOrDefaultAsync(cancellationToken);
        return node is null ? null : (node.Community ?? node.Name, node.Path);
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
    /// </summary>
    private static string? Reason(string? text)
    {
        var trimmed = PersonText.CheckedMultiline(text);
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length <= PointsEntry.ReasonMaxLength ? trimmed : trimmed[..PointsEntry.ReasonMaxLength];
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed record ItemSnapshot(string Name, int PointsCost, int Stock, int? PerPersonLimit, int? PartnerUserId, int OrgNodeId, DateTime? ValidFromUtc, DateTime? ValidUntilUtc);
}
