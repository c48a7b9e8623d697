using System.Security.Claims;
using DezhiHub.Domain.Market;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// The provider's side of a voucher: reading a scanned or typed code, and handing the item over. Only the holder and
/// the provider (the item's Partner, or a manager of the item's node) learn what a voucher is for; anyone else learns
/// only that it is a genuine voucher. A hand-over moves the redemption from Pending to Fulfilled once, whoever taps
/// first; the second is told when it happened.
/// </summary>
public sealed class VoucherDesk(
    IDbContextFactory<AppDbContext> dbFactory,
    MarketService market,
    Vouchers vouchers,
    DisplayTime time,
    TimeProvider clock)
{
    public async Task<VoucherLookup> ReadAsync(ClaimsPrincipal user, string? code, CancellationToken cancellationToken = default)
    {
        if (!vouchers.TryVerify(code, out var redemptionId))
        {
            return VoucherLookup.Invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await RowAsync(db, redemptionId, cancellationToken);
        if (row is null)
        {
            return VoucherLookup.Invalid;
        }

        // The holder sees their own voucher as its holder, also when they manage the item: nobody hands over to themselves.
        var viewer = user.UserId() == row.UserId ? VoucherViewer.Holder
            : await market.IsProviderAsync(user, row.PartnerUserId, row.OrgPath, cancellationToken) ? VoucherViewer.Provider
            : VoucherViewer.Stranger;
        return new VoucherLookup(true, viewer, viewer == VoucherViewer.Stranger ? null : Info(row));
    }

    /// <summary>Hands the item over against the voucher (Pending → Fulfilled, once); the holder is told.</summary>
    public async Task<HandOverResult> HandOverAsync(ClaimsPrincipal user, string? code, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        if (!vouchers.TryVerify(code, out var redemptionId))
        {
            throw new DomainException(ErrorCodes.Voucher.Invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await RowAsync(db, redemptionId, cancellationToken) ?? throw new DomainException(ErrorCodes.Voucher.Invalid);
        if (!await market.IsProviderAsync(user, row.PartnerUserId, row.OrgPath, cancellationToken))
        {
            throw new AccessDeniedException();
        }

        if (row.UserId == me)
        {
            throw new DomainException(ErrorCodes.Voucher.OwnVoucher);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var handed = await db.Redemptions.Where(r => r.Id == redemptionId && r.Status == RedemptionStatus.Pending && r.ExpiresAtUtc > now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, RedemptionStatus.Fulfilled).SetProperty(r => r.ClosedAtUtc, now).SetProperty(r => r.ClosedByUserId, me),
                cancellationToken);
        if (handed == 0)
        {
            var current = (await RowAsync(db, redemptionId, cancellationToken))!;
            return current switch
            {
                { Status: RedemptionStatus.Fulfilled, ClosedAtUtc: { } at } => new HandOverResult(true, at, Info(current)),
                { Status: RedemptionStatus.Pending } => throw new DomainException(ErrorCodes.Voucher.Lapsed),
                _ => throw await RedemptionClosing.NotPendingAsync(db, time, redemptionId, cancellationToken),
            };
        }

        db.Raise(new RedemptionClosed(redemptionId, RedemptionStatus.Fulfilled, row.UserId, row.ItemId, row.Points, me));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new HandOverResult(false, now, Info(row with { Status = RedemptionStatus.Fulfilled, ClosedAtUtc = now }));
    }

    private VoucherInfo Info(VoucherRow row) => new(
        row.Id, row.ItemId, row.ItemName, row.Provider, row.VolunteerName, row.Points, row.Status, row.CreatedAtUtc, row.ExpiresAtUtc, row.ClosedAtUtc,
        row.Status == RedemptionStatus.Pending && row.ExpiresAtUtc <= clock.GetUtcNow().UtcDateTime);

    private static Task<VoucherRow?> RowAsync(AppDbContext db, int redemptionId, CancellationToken cancellationToken) => (
        from r in db.Redemptions.AsNoTracking()
        join i in db.RewardItems on r.ItemId equals i.Id
        join u in db.Users on r.UserId equals u.Id
        where r.Id == redemptionId
        select new VoucherRow(
            r.Id, r.UserId, r.ItemId, i.Name, i.OrgPath, i.OrgNodeId, i.PartnerUserId,
            (i.PartnerUserId == null
                ? db.OrgNodes.Where(n => n.Id == i.OrgNodeId).Select(n => n.Name).FirstOrDefault()
                : db.Users.Where(p => p.Id == i.PartnerUserId).Select(p => p.RealName).FirstOrDefault()) ?? "",
            u.RealName, r.Points, r.Status, r.CreatedAtUtc, r.ExpiresAtUtc, r.ClosedAtUtc))
        .FirstOrDefaultAsync(cancellationToken);

    private sealed record VoucherRow(
        int Id, int UserId, int ItemId, string ItemName, string OrgPath, int OrgNodeId, int? PartnerUserId, string Provider, string VolunteerName,
        int Points, RedemptionStatus Status, DateTime CreatedAtUtc, DateTime ExpiresAtUtc, DateTime? ClosedAtUtc);
}
