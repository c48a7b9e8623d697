using System.Globalization;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Notifications;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Auditing;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Volunteering;

/// <summary>One person whose cached totals disagreed with their ledger entries.</summary>
public sealed record LedgerDrift(int UserId, int CachedBalance, int LedgerBalance, long CachedMinutes, long LedgerMinutes, int CachedEarned, int LedgerEarned);

/// <summary>
/// The nightly check of the caches against the ledgers: recomputes every balance, total and points-earned from the
/// entries. Any drift is set right from the ledger (the entries are the truth), written to the audit log and sent
/// to every Admin as an alert. With no drift it changes nothing.
/// </summary>
public sealed class LedgerReconciliation(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<LedgerDrift>> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var points = await db.PointsEntries.AsNoTracking().GroupBy(e => e.UserId)
            .Select(g => new
            {
                UserId = g.Key,
                Balance = g.Sum(e => e.Delta),
                Earned = g.Sum(e => e.Kind == PointsKind.Earned || e.Kind == PointsKind.Awarded || e.Kind == PointsKind.PledgeBonus || e.Kind == PointsKind.Reversed ? e.Delta : 0),
            })
            .ToDictionaryAsync(x => x.UserId, cancellationToken);
        var minutes = await db.HoursEntries.AsNoTracking().GroupBy(e => e.UserId)
            .Select(g => new { UserId = g.Key, Minutes = g.Sum(e => (long)e.Minutes) })
            .ToDictionaryAsync(x => x.UserId, x => x.Minutes, cancellationToken);
        var cached = await db.VolunteerProfiles.AsNoTracking()
            .Select(p => new { p.UserId, p.PointsBalance, p.TotalMinutes, p.PointsEarned }).ToListAsync(cancellationToken);

        var suspects = new List<int>();
        foreach (var profile in cached)
        {
            var ledger = points.GetValueOrDefault(profile.UserId);
            if (profile.PointsBalance != (ledger?.Balance ?? 0) || profile.TotalMinutes != minutes.GetValueOrDefault(profile.UserId)
                || profile.PointsEarned != (ledger?.Earned ?? 0))
            {
                suspects.Add(profile.UserId);
            }
        }

        if (suspects.Count == 0)
        {
            return [];
        }

        // The sums and the caches above were read at different moments, so a post committed in between looks like
        // drift. Each suspect is locked (the ledger lock every post takes) and read again; only what still differs is
        // drift (decision 0014, rule 19).
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var drifts = new List<LedgerDrift>();
        foreach (var userId in suspects)
        {
            await LockSql.LedgerAsync(db, userId, now, cancellationToken);
            var d = await DriftOfAsync(db, userId, cancellationToken);
            if (d is null)
            {
                continue;
            }

            drifts.Add(d);
            await db.VolunteerProfiles.Where(p => p.UserId == d.UserId).ExecuteUpdateAsync(
                s => s.SetProperty(p => p.PointsBalance, d.LedgerBalance).SetProperty(p => p.TotalMinutes, d.LedgerMinutes)
                    .SetProperty(p => p.PointsEarned, d.LedgerEarned).SetProperty(p => p.StarLevel, StarLevel.ForMinutes(d.LedgerMinutes)),
                cancellationToken);
            audit.Record(db, null, "ledger.drift-corrected", "VolunteerProfile", d.UserId.ToString(CultureInfo.InvariantCulture), null,
                new { Balance = d.CachedBalance, Minutes = d.CachedMinutes, Earned = d.CachedEarned },
                new { Balance = d.LedgerBalance, Minutes = d.LedgerMinutes, Earned = d.LedgerEarned });
        }

        if (drifts.Count == 0)
        {
            return drifts;
        }

        var admins = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name == Roles.Admin select ur.UserId).ToListAsync(cancellationToken);
        foreach (var admin in admins)
        {
            db.Notifications.Add(Notification.Create(admin, "Ledger.DriftAlert", [drifts.Count.ToString(CultureInfo.InvariantCulture)], "/admin/audit", now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return drifts;
    }

    /// <summary>One person's cache against their ledger, read now; null when they agree.</summary>
    private static async Task<LedgerDrift?> DriftOfAsync(AppDbContext db, int userId, CancellationToken cancellationToken)
    {
        var cache = await db.VolunteerProfiles.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => new { p.PointsBalance, p.TotalMinutes, p.PointsEarned }).SingleAsync(cancellationToken);
        var entries = db.PointsEntries.Where(e => e.UserId == userId);
        var balance = await entries.SumAsync(e => (int?)e.Delta, cancellationToken) ?? 0;
        var earned = await entries.SumAsync(
            e => e.Kind == PointsKind.Earned || e.Kind == PointsKind.Awarded || e.Kind == PointsKind.PledgeBonus || e.Kind == PointsKind.Reversed ? (int?)e.Delta : 0,
            cancellationToken) ?? 0;
        var minutes = await db.HoursEntries.Where(e => e.UserId == userId).SumAsync(e => (long?)e.Minutes, cancellationToken) ?? 0;
        return cache.PointsBalance == balance && cache.TotalMinutes == minutes && cache.PointsEarned == earned
            ? null
            : new LedgerDrift(userId, cache.PointsBalance, balance, cache.TotalMinutes, minutes, cache.PointsEarned, earned);
    }
}
