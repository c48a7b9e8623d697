using DezhiHub.Domain.Market;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Volunteering;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// Expires vouchers that were not handed over in time: Pending → Expired, the stock back and the points refunded, each
/// redemption in its own transaction. Idempotent: the status moves only from Pending and the refund posts once, so a
/// second sweep, a concurrent one or a cancellation at the same moment changes nothing more.
/// </summary>
public sealed class MarketSweeps(
    IDbContextFactory<AppDbContext> dbFactory,
    Ledger ledger,
    ILogger<MarketSweeps> logger)
{
    public const int BatchSize = 200;

    /// <summary>Expires every pending redemption due by <paramref name="nowUtc"/>; returns how many this run expired.</summary>
    public async Task<int> ExpireDueAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        var expired = 0;
        var seen = new HashSet<int>();
        while (true)
        {
            List<Due> batch;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                batch = await (
                    from r in db.Redemptions.AsNoTracking()
                    join i in db.RewardItems on r.ItemId equals i.Id
                    where r.Status == RedemptionStatus.Pending && r.ExpiresAtUtc <= nowUtc
                    orderby r.ExpiresAtUtc, r.Id
                    select new Due(r.Id, r.UserId, r.ItemId, r.Points, i.Name, i.OrgNodeId))
                    .Take(BatchSize).ToListAsync(cancellationToken);
            }

            // What a batch handles drops out of the next; one that brings nothing new ends the run.
            var fresh = batch.Where(d => seen.Add(d.Id)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var due in fresh)
            {
                expired += await ExpireAsync(due, nowUtc, cancellationToken) ? 1 : 0;
            }
        }

        if (expired > 0)
        {
            logger.LogInformation("Market sweep at {Now:O}: {Expired} vouchers expired and refunded", nowUtc, expired);
        }

        return expired;
    }

    private async Task<bool> ExpireAsync(Due due, DateTime nowUtc, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await RedemptionClosing.CloseAsync(db, new RedemptionClosed(due.Id, RedemptionStatus.Expired, due.UserId, due.ItemId, due.Points, null), nowUtc, cancellationToken))
        {
            return false; // handed over, cancelled or expired by someone else meanwhile
        }

        await RedemptionClosing.GiveBackAsync(db, ledger, due.UserId, due.ItemId, due.Id, due.Points, nowUtc, null, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed record Due(int Id, int UserId, int ItemId, int Points, string ItemName, int OrgNodeId);
}
