using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Platform;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Coverage;

/// <summary>
/// "八进"覆盖: for an org node and a period, how many activities each of its direct children carried into each of the
/// eight entries, with participants and hours. Admins ask about any node, Organizers about their own subtree.
/// Counted: published and completed activities that start in the period (drafts and cancelled ones are not work done).
/// </summary>
public sealed class CoverageService(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, OrgTreeService orgTree, DisplayTime time)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// What the hours figures mean: planned participation (confirmed sign-ups × scheduled duration), so a period that
    /// runs into the future reads the same way as a past one. Hours credited from check-in are counted in the ledger
    /// (attendance page, leaderboards); see <see cref="CoverageHoursBasis"/>.
    /// </summary>
    public const CoverageHoursBasis HoursBasis = CoverageHoursBasis.SignUps;

    private static readonly ActivityStatus[] CountedStatuses = [ActivityStatus.Published, ActivityStatus.Completed];

    /// <summary>The node a user's coverage page opens on: the city for an Admin, the Organizer's own node; null for anyone else.</summary>
    public async Task<int?> DefaultNodeIdAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (!scope.Everywhere)
        {
            return scope.RootNodeId;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.OrgNodes.AsNoTracking().Where(n => n.ParentId == null && !n.IsRetired).OrderBy(n => n.Id)
            .Select(n => (int?)n.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// A query from what a page or an export link carries: missing parts are the user's default node and the current
    /// calendar year (in the deployment zone). Scope is checked when the query runs, not here.
    /// </summary>
    public async Task<CoverageQuery> ResolveAsync(ClaimsPrincipal user, int? nodeId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        var node = nodeId ?? await DefaultNodeIdAsync(user, cancellationToken) ?? throw new AccessDeniedException();
        var (yearStart, yearEnd) = CoverageQuery.YearOf(DateOnly.FromDateTime(time.LocalNow));
        var start = from ?? yearStart;
        return new CoverageQuery(node, start, to ?? (from is null ? yearEnd : start.AddYears(1)));
    }

    public async Task<CoverageMatrix> GetMatrixAsync(ClaimsPrincipal user, CoverageQuery query, CancellationToken cancellationToken = default)
    {
        var (fromUtc, toUtc) = ToUtcRange(query);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await LoadNodeInScopeAsync(db, user, query.NodeId, cancellationToken);
        var children = await db.OrgNodes.AsNoTracking().Where(n => n.ParentId == node.Id).OrderBy(n => n.Id)
            .Select(n => new { n.Id, n.Name, n.Level, n.IsRetired }).ToListAsync(cancellationToken);

        // One grouped query: the database reduces tens of thousands of activities to at most (children + 1) × 8 rows.
        var path = node.Path;
        var groups = await Facts(db, path, fromUtc, toUtc)
            .GroupBy(f => new { f.ChildId, f.Entry })
            .Select(g => new { g.Key.ChildId, g.Key.Entry, Activities = g.Count(), Participants = g.Sum(f => f.Participants), ParticipantMinutes = g.Sum(f => f.ParticipantMinutes) })
            .ToListAsync(cancellationToken);

        var cells = new Dictionary<string, CoverageCell[]>();
        foreach (var group in groups)
        {
            if (!cells.TryGetValue(group.ChildId, out var row))
            {
                cells[group.ChildId] = row = [.. Enumerable.Repeat(CoverageCell.Empty, CoverageMatrix.Entries.Count)];
            }

            row[(int)group.Entry] = new CoverageCell(group.Activities, group.Participants, group.ParticipantMinutes / 60.0);
        }

        IReadOnlyList<CoverageCell> CellsOf(string key) =>
            cells.TryGetValue(key, out var row) ? row : [.. Enumerable.Repeat(CoverageCell.Empty, CoverageMatrix.Entries.Count)];

        var rows = new List<CoverageRow>();
        // 本级: shown when the node hosts activities itself, or when it has no children to show instead.
        if (cells.ContainsKey(HostLevelKey) || children.Count == 0)
        {
            rows.Add(new CoverageRow(node.Id, node.Name, node.Level, IsHostLevel: true, IsRetired: false, CellsOf(HostLevelKey)));
        }

        foreach (var child in children)
        {
            var key = child.Id.ToString(CultureInfo.InvariantCulture);
            // A retired child is listed only for the activities it still holds, so the totals add up.
            if (!child.IsRetired || cells.ContainsKey(key))
            {
                rows.Add(new CoverageRow(child.Id, child.Name, child.Level, IsHostLevel: false, child.IsRetired, CellsOf(key)));
            }
        }

        var fullName = (await orgTree.FindAsync(node.Id, cancellationToken))?.FullName ?? node.Name;
        return new CoverageMatrix(node.Id, node.Name, fullName, node.Path, node.Level, query.From, query.To, HoursBasis, rows);
    }

    /// <summary>The activities behind one cell (or a row's or column's total), in start order, one page at a time.</summary>
    public async Task<Paged<CoverageActivity>> GetActivitiesAsync(ClaimsPrincipal user, CoverageCellQuery query, CancellationToken cancellationToken = default)
    {
        var (fromUtc, toUtc) = ToUtcRange(query.Period);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await LoadNodeInScopeAsync(db, user, query.NodeId, cancellationToken);

        var activities = Counted(db, fromUtc, toUtc);
        if (query.RowNodeId is not { } rowId)
        {
            var path = node.Path;
            activities = activities.Where(a => a.OrgPath.StartsWith(path));
        }
        else if (rowId == node.Id)
        {
            activities = activities.Where(a => a.OrgNodeId == node.Id);
        }
        else
        {
            var rowPath = await db.OrgNodes.AsNoTracking().Where(n => n.Id == rowId && n.ParentId == node.Id).Select(n => n.Path)
                .FirstOrDefaultAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.Org.NotFound);
            activities = activities.Where(a => a.OrgPath.StartsWith(rowPath));
        }

        if (query.Entry is { } entry)
        {
            activities = activities.Where(a => a.Entry == entry);
        }

        var total = await activities.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = await activities.OrderBy(a => a.StartUtc).ThenBy(a => a.Id)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .Select(a => new
            {
                a.Id,
                a.Title,
                a.Entry,
                a.Status,
                a.StartUtc,
                a.EndUtc,
                a.OrgNodeId,
                a.ConfirmedCount,
                // The same hours as in Facts: change both together.
                ParticipantMinutes = a.ConfirmedCount * (long)Math.Round(DbDates.MinutesBetween(a.StartUtc, a.EndUtc)),
            })
            .ToListAsync(cancellationToken);

        var names = await orgTree.FullNamesAsync(page.Select(a => a.OrgNodeId), cancellationToken);
        var depth = node.Path.Count(c => c == '/') - 1;
        return new Paged<CoverageActivity>(
            [.. page.Select(a => new CoverageActivity(a.Id, a.Title, a.Entry, a.Status, a.StartUtc, a.EndUtc, a.OrgNodeId,
                RelativeName(names.GetValueOrDefault(a.OrgNodeId, ""), depth, node.Name), a.ConfirmedCount, a.ParticipantMinutes / 60.0))],
            total);
    }

    /// <summary>[from, to) local dates in the deployment zone as a UTC range; refuses an empty, reversed or overlong period.</summary>
    public (DateTime FromUtc, DateTime ToUtc) ToUtcRange(CoverageQuery query)
    {
        if (query.To <= query.From || query.To.DayNumber - query.From.DayNumber > CoverageQuery.MaxDays)
        {
            throw new DomainException(ErrorCodes.Coverage.PeriodInvalid, CoverageQuery.MaxDays / 366);
        }

        return (time.ToUtc(query.From.ToDateTime(TimeOnly.MinValue)), time.ToUtc(query.To.ToDateTime(TimeOnly.MinValue)));
    }

    private const string HostLevelKey = "";

    private sealed class Fact
    {
        public required string ChildId { get; init; }

        public required EightEntry Entry { get; init; }

        public required int Participants { get; init; }

        /// <summary>Whole minutes, summed as integers, so hours come out exact.</summary>
        public required long ParticipantMinutes { get; init; }
    }

    /// <summary>
    /// One row per counted activity under <paramref name="path"/>: which direct child's subtree it lies in (the path
    /// segment after <paramref name="path"/>; empty when the node hosts it itself), its entry, participants and hours.
    /// Hours are confirmed sign-ups × scheduled duration (<see cref="HoursBasis"/>); a switch to credited hours would
    /// replace this one expression and its twin in the drill-down.
    /// </summary>
    private static IQueryable<Fact> Facts(AppDbContext db, string path, DateTime fromUtc, DateTime toUtc)
    {
        var length = path.Length;
#pragma warning disable CA1845, CA1866 // Translated to SQL, where spans and char overloads do not exist.
        return Counted(db, fromUtc, toUtc)
            .Where(a => a.OrgPath.StartsWith(path))
            .Select(a => new Fact
            {
                ChildId = a.OrgPath == path ? HostLevelKey : a.OrgPath.Substring(length, a.OrgPath.Substring(length).IndexOf("/")),
                Entry = a.Entry,
                Participants = a.ConfirmedCount,
                ParticipantMinutes = a.ConfirmedCount * (long)Math.Round(DbDates.MinutesBetween(a.StartUtc, a.EndUtc)),
            });
#pragma warning restore CA1845, CA1866
    }

    private static IQueryable<Activity> Counted(AppDbContext db, DateTime fromUtc, DateTime toUtc) =>
        db.Activities.AsNoTracking().Where(a => a.StartUtc >= fromUtc && a.StartUtc < toUtc && CountedStatuses.Contains(a.Status));

    private async Task<OrgNodeRef> LoadNodeInScopeAsync(AppDbContext db, ClaimsPrincipal user, int nodeId, CancellationToken cancellationToken)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        var node = await db.OrgNodes.AsNoTracking().Where(n => n.Id == nodeId)
            .Select(n => new OrgNodeRef(n.Id, n.Name, n.Level, n.Path)).FirstOrDefaultAsync(cancellationToken);
        if (node is null)
        {
            // Do not tell an Organizer which ids exist outside their subtree.
            throw scope.Everywhere ? new DomainException(ErrorCodes.Org.NotFound) : new AccessDeniedException();
        }

        return scope.Contains(node.Path) ? node : throw new AccessDeniedException();
    }

    /// <summary>"太行市 / 城区 / 东街街道 / 红星社区" seen from 城区 (depth 2) is "东街街道 / 红星社区"; the node itself keeps its name.</summary>
    private static string RelativeName(string fullName, int depth, string nodeName)
    {
        var parts = fullName.Split(" / ");
        return parts.Length > depth ? string.Join(" / ", parts.Skip(depth)) : nodeName;
    }

    private sealed record OrgNodeRef(int Id, string Name, OrgLevel Level, string Path);
}
