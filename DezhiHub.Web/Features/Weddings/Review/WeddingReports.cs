using System.Security.Claims;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// Reports on the wedding services for the Admins and Organizers of an area. Utilisation: for every ceremony hall of
/// the caller's subtree and every month of a year, the slots the hall offered (its opening hours cut into slots, less
/// blackout dates) against the slots booked. The bookings of the year are read in one grouped query; the slots
/// offered are computed from each hall's calendar, which is what residents were shown.
/// </summary>
public sealed class WeddingReports(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, DisplayTime time)
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;

    public async Task<UtilisationReport> UtilisationAsync(ClaimsPrincipal user, int year, CancellationToken cancellationToken = default)
    {
        if (year is < MinYear or > MaxYear)
        {
            throw new DomainException(ErrorCodes.Utilisation.YearInvalid, MinYear, MaxYear);
        }

        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var halls = db.WeddingResources.AsNoTracking().Where(r => r.Kind == WeddingServiceKind.CeremonyHall);
        if (!scope.Everywhere)
        {
            var root = scope.RootPath!;
            halls = halls.Where(r => r.OrgPath.StartsWith(root));
        }

        var startUtc = time.ToUtc(new DateTime(year, 1, 1));
        var endUtc = time.ToUtc(new DateTime(year + 1, 1, 1));

        // One query for the year's bookings of those halls, grouped by slot and status (a capacity-one hall has at most
        // a handful of rows per slot: the live booking and any declined or cancelled ones, which are left out here).
        var booked = await (
            from b in db.Bookings.AsNoTracking()
            join r in halls on b.ResourceId equals r.Id
            where b.SlotStartUtc >= startUtc && b.SlotStartUtc < endUtc
                && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved
                    || b.Status == BookingStatus.Completed || b.Status == BookingStatus.NoShow)
            group b by new { b.ResourceId, b.SlotStartUtc, b.Status } into g
            select new { g.Key.ResourceId, g.Key.SlotStartUtc, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var bookedByHall = booked.ToLookup(b => b.ResourceId);
        // A retired hall still shows when it had bookings that year; otherwise only the halls still offered.
        var hallList = (await halls.OrderBy(r => r.OrgPath).ThenBy(r => r.Name).ToListAsync(cancellationToken))
            .Where(h => !h.IsRetired || bookedByHall.Contains(h.Id))
            .ToList();
        var nodeIds = hallList.Select(h => h.OrgNodeId).Distinct().ToList();
        var nodes = await db.OrgNodes.AsNoTracking().Where(n => nodeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Name, cancellationToken);

        var rows = new List<UtilisationRow>(hallList.Count);
        foreach (var hall in hallList)
        {
            var offered = new int[12];
            for (var date = new DateOnly(year, 1, 1); date.Year == year; date = date.AddDays(1))
            {
                offered[date.Month - 1] += hall.SlotsOn(date).Count;
            }

            var counts = new (int Booked, int Completed, int NoShows)[12];
            foreach (var group in bookedByHall[hall.Id])
            {
                var month = time.ToLocal(group.SlotStartUtc).Month - 1;
                counts[month].Booked += group.Count;
                if (group.Status == BookingStatus.Completed)
                {
                    counts[month].Completed += group.Count;
                }
                else if (group.Status == BookingStatus.NoShow)
                {
                    counts[month].NoShows += group.Count;
                }
            }

            var months = Enumerable.Range(0, 12).Select(m => new UtilisationCell(offered[m], counts[m].Booked, counts[m].Completed, counts[m].NoShows)).ToList();
            rows.Add(new UtilisationRow(hall.Id, hall.Name, nodes.GetValueOrDefault(hall.OrgNodeId) ?? "", hall.IsRetired, months, UtilisationCell.Sum(months)));
        }

        var monthTotals = Enumerable.Range(0, 12).Select(m => UtilisationCell.Sum(rows.Select(r => r.Months[m]))).ToList();
        return new UtilisationReport(year, rows, monthTotals, UtilisationCell.Sum(monthTotals));
    }
}

/// <summary>One hall (or all of them) in one month (or the year).</summary>
public sealed record UtilisationCell(int Offered, int Booked, int Completed, int NoShows)
{
    public static readonly UtilisationCell Empty = new(0, 0, 0, 0);

    /// <summary>Booked as a share of offered, in per cent to one decimal; null when nothing was offered.</summary>
    public double? Rate => Offered == 0 ? null : Math.Round(100.0 * Booked / Offered, 1, MidpointRounding.AwayFromZero);

    public static UtilisationCell Sum(IEnumerable<UtilisationCell> cells) =>
        cells.Aggregate(Empty, (a, c) => new UtilisationCell(a.Offered + c.Offered, a.Booked + c.Booked, a.Completed + c.Completed, a.NoShows + c.NoShows));
}

/// <summary>A hall's twelve months (January first) and its year.</summary>
public sealed record UtilisationRow(int ResourceId, string Name, string OrgName, bool IsRetired, IReadOnlyList<UtilisationCell> Months, UtilisationCell Year);

public sealed record UtilisationReport(int Year, IReadOnlyList<UtilisationRow> Halls, IReadOnlyList<UtilisationCell> MonthTotals, UtilisationCell Total);
