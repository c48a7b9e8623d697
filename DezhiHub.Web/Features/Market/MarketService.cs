using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// The points market (积分超市) as residents use it; the items are kept by <see cref="RewardCatalog"/>. Every resident sees
/// the items of their own area (their community, street, district and city) and redeems them. A redemption takes one from
/// the stock and the points from the balance in one transaction, and gives both back when it is cancelled or expires.
/// Points move only through the <see cref="Ledger"/>.
/// </summary>
public sealed class MarketService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    Ledger ledger,
    Vouchers vouchers,
    DisplayTime time,
    TimeProvider clock,
    IOptions<MarketOptions> options)
{
    public const string RedemptionEntity = "Redemption";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;


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
    /// Returns the redemption's id. The same request sent again (<paramref name="requestId"/>: a double tap, a retry after
    /// a dropped connection) is answered with the first redemption's id instead of making a second.
    /// </summary>
    public async Task<int> RedeemAsync(ClaimsPrincipal user, int itemId, Guid? requestId = null, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        if (requestId is { } id && await RedemptionOfRequestAsync(me, id, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        try
        {
            return await TakeAsync(user, itemId, requestId, cancellationToken);
        }
        catch (Exception ex) when (requestId is { } sent && ex is DomainException or DbUpdateException)
        {
            // Its twin may have been made meanwhile (the stock, the limit or the balance then look spent, the request
            // id used): the twin is this request's answer.
            if (await RedemptionOfRequestAsync(me, sent, CancellationToken.None) is { } twin)
            {
                return twin;
            }

            throw;
        }
    }

    private async Task<int?> RedemptionOfRequestAsync(int userId, Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Redemptions.AsNoTracking().Where(r => r.UserId == userId && r.RequestId == requestId)
            .Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<int> TakeAsync(ClaimsPrincipal user, int itemId, Guid? requestId, CancellationToken cancellationToken)
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

        if (requestId is { } id && await db.Redemptions.AnyAsync(r => r.UserId == me && r.RequestId == id, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Request.Repeated); // answered by the caller with its twin
        }

        if (item.PerPersonLimit is { } limit
            && await db.Redemptions.CountAsync(
                r => r.ItemId == itemId && r.UserId == me && (r.Status == RedemptionStatus.Pending || r.Status == RedemptionStatus.Fulfilled),
                cancellationToken) >= limit)
        {
            throw new DomainException(ErrorCodes.Market.LimitReached, limit);
        }

        var redemption = Redemption.Create(itemId, me, item.PointsCost, now, options.Value.VoucherValidFor, requestId);
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
        if (!await RedemptionClosing.CloseAsync(db, new RedemptionClosed(redemptionId, RedemptionStatus.Cancelled, row.UserId, row.ItemId, row.Points, me, trimmed), now, cancellationToken))
        {
            throw await RedemptionClosing.NotPendingAsync(db, time, redemptionId, cancellationToken);
        }

        await RedemptionClosing.GiveBackAsync(db, ledger, row.UserId, row.ItemId, redemptionId, row.Points, now, trimmed, own ? null : me, cancellationToken);
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

    /// </summary>
    private static string? Reason(string? text)
    {
        var trimmed = PersonText.CheckedMultiline(text);
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length <= PointsEntry.ReasonMaxLength ? trimmed : trimmed[..PointsEntry.ReasonMaxLength];
    }
}
