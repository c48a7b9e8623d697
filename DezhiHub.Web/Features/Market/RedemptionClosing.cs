using System.Globalization;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// Closing a pending redemption, shared by hand-over, cancellation and expiry. Each step is guarded so that whichever
/// comes first wins and the others change nothing: the status moves only from Pending, and the refund's source
/// ("refund:{id}") can post only once.
/// </summary>
internal static class RedemptionClosing
{
    /// <summary>
    /// Pending → the close's status, and the close raised (its audit entry and notice are written with the next save);
    /// false, and nothing raised, when the redemption was no longer pending.
    /// </summary>
    public static async Task<bool> CloseAsync(AppDbContext db, RedemptionClosed close, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var closed = await db.Redemptions.Where(r => r.Id == close.RedemptionId && r.Status == RedemptionStatus.Pending)
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, close.Status).SetProperty(r => r.ClosedAtUtc, nowUtc).SetProperty(r => r.ClosedByUserId, close.ActorUserId),
                cancellationToken) == 1;
        if (closed)
        {
            db.Raise(close);
        }

        return closed;
    }

    /// <summary>Puts the item back in stock and refunds the points, in the caller's transaction.</summary>
    public static async Task GiveBackAsync(
        AppDbContext db, Ledger ledger, int userId, int itemId, int redemptionId, int points, DateTime nowUtc, string? reason, int? actorUserId,
        CancellationToken cancellationToken)
    {
        await db.RewardItems.Where(i => i.Id == itemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Stock, i => i.Stock + 1), cancellationToken);
        await ledger.PostPointsAsync(db, userId, points, PointsKind.Refunded, LedgerSource.Refund(redemptionId), nowUtc,
            reason: reason, actorUserId: actorUserId, cancellationToken: cancellationToken);
    }

    /// <summary>Why a redemption that was expected to be pending is not.</summary>
    public static async Task<DomainException> NotPendingAsync(AppDbContext db, DisplayTime time, int redemptionId, CancellationToken cancellationToken)
    {
        var row = await db.Redemptions.AsNoTracking().Where(r => r.Id == redemptionId).Select(r => new { r.Status, r.ClosedAtUtc }).FirstOrDefaultAsync(cancellationToken);
        return row?.Status switch
        {
            RedemptionStatus.Fulfilled => new DomainException(ErrorCodes.Market.AlreadyHandedOver, At(time, row.ClosedAtUtc)),
            RedemptionStatus.Cancelled => new DomainException(ErrorCodes.Market.AlreadyCancelled, At(time, row.ClosedAtUtc)),
            RedemptionStatus.Expired => new DomainException(ErrorCodes.Market.VoucherExpired),
            _ => new DomainException(ErrorCodes.Market.RedemptionNotFound),
        };
    }

    /// <summary>"handed over at …" in a refusal, read at once in the reader's language.</summary>
    public static string At(DisplayTime time, DateTime? utc) => utc is { } value ? time.FormatDateTime(value) : "";
}
