using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Leaderboards;

/// <summary>
/// Leaderboards (排行榜) by hours or points earned for an org node's subtree and a month, a year or all time, with the
/// signed-in person's own rank; and the organizer's exports of hours and points per volunteer and per unit.
/// All time reads the cached totals on <see cref="VolunteerProfile"/>, a month or year the
/// <see cref="VolunteerPeriodTotal"/> rows the ledger keeps: one row per person, never a sum over the ledger.
/// Who sees what: everyone the boards of their own area (their node and its ancestors: community, street, district,
/// city); Organizers and Admins also any node in their scope. Exports are for Organizers and Admins, in scope only.
/// </summary>
public sealed class LeaderboardService(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, DisplayTime time)
{
    /// <summary>
    /// Below this share of the org tree a board starts from the subtree's people; above it, from the top of the value
    /// index (on the bench city: a street or community from its people, a district or the city from the top).
    /// </summary>
    private const double PeopleFirstBelowShare = 0.05;

    /// <summary>The current month's or year's key in the deployment zone ("2026-11", "2026"); null for all time.</summary>
    public string? CurrentKey(LeaderboardPeriod period) => period switch
    {
        LeaderboardPeriod.Month => VolunteerPeriodTotal.Month(time.LocalNow),
        LeaderboardPeriod.Year => VolunteerPeriodTotal.Year(time.LocalNow),
        _ => null,
    };

    /// <summary>The person's own area, city first: the nodes from the root down to their community (or their own node above that level).</summary>
    public async Task<IReadOnlyList<LeaderboardNode>> MyAreaAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var path = await OwnPathAsync(db, user, cancellationToken);
        if (path is null)
        {
            return [];
        }

        var ids = IdsOf(path);
        var nodes = await db.OrgNodes.AsNoTracking().Where(n => ids.Contains(n.Id))
            .Select(n => new LeaderboardNode(n.Id, n.Name, n.Level, n.Path)).ToListAsync(cancellationToken);
        return [.. nodes.Where(n => n.Level <= OrgLevel.Community).OrderBy(n => n.Path.Length)];
    }

    /// <summary>Where the page opens: the person's community; else an Organizer's own node; else the city (an Admin without a node).</summary>
    public async Task<int?> DefaultNodeIdAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var area = await MyAreaAsync(user, cancellationToken);
        if (area.Count > 0)
        {
            return area[^1].Id;
        }

        return await DefaultExportNodeIdAsync(user, cancellationToken);
    }

    /// <summary>One board, with the signed-in person's own standing when they belong to the node's subtree.</summary>
    public async Task<Leaderboard> GetAsync(ClaimsPrincipal user, LeaderboardQuery query, CancellationToken cancellationToken = default)
    {
        var key = ResolveKey(query.Period, query.PeriodKey);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ownPath = await OwnPathAsync(db, user, cancellationToken);
        var node = await LoadNodeAsync(db, query.NodeId, cancellationToken);
        if (!(ownPath is not null && OrgNode.IsWithin(ownPath, node.Path)) && !(await access.GetScopeAsync(user, cancellationToken)).Contains(node.Path))
        {
            throw new AccessDeniedException();
        }

        var top = Math.Clamp(query.Top, 1, LeaderboardQuery.MaxTop);
        var path = node.Path;
        var share = await SubtreeShareAsync(db, path, cancellationToken);
        var leaders = await LeaderboardSql.TopAsync(db, query.Metric, query.Period, key, path, top, peopleFirst: share < PeopleFirstBelowShare, cancellationToken);

        LeaderboardStanding? me = null;
        if (ownPath is not null && OrgNode.IsWithin(ownPath, path) && user.UserId() is { } userId)
        {
            me = await StandingAsync(db, userId, path, share, query, key, leaders, leaders.Count < top, cancellationToken);
        }

        var ids = leaders.Select(l => l.UserId).ToArray();
        var minutes = await db.VolunteerProfiles.AsNoTracking().Where(p => ids.Contains(p.UserId))
            .Select(p => new { p.UserId, p.TotalMinutes }).ToDictionaryAsync(p => p.UserId, p => p.TotalMinutes, cancellationToken);
        var names = await NodeNamesAsync(db, [path, .. leaders.Select(l => l.Path)], cancellationToken);
        var rows = new List<LeaderboardRow>(leaders.Count);
        for (var i = 0; i < leaders.Count; i++)
        {
            var l = leaders[i];
            var rank = i > 0 && l.Value == leaders[i - 1].Value ? rows[i - 1].Rank : i + 1;
            rows.Add(new LeaderboardRow(rank, l.UserId, l.RealName, names.CommunityOf(l.Path), l.Value, StarLevel.ForMinutes(minutes.GetValueOrDefault(l.UserId))));
        }

        return new Leaderboard(node.Id, node.Name, names.FullNameOf(path), node.Level, query.Metric, query.Period, key, rows, me);
    }

    /// <summary>The node the exports default to: an Organizer's own node, the city for an Admin; null for anyone else.</summary>
    public async Task<int?> DefaultExportNodeIdAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
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
    /// Everyone with a ledger account (a volunteer profile) under the node: hours and points earned in the period,
    /// balance and star level today, most hours first. Organizers and Admins, in scope only; phones masked.
    /// </summary>
    public async Task<LeaderboardReport<VolunteerTotalsRow>> VolunteerTotalsAsync(
        ClaimsPrincipal user, int? nodeId, LeaderboardPeriod period, string? periodKey, CancellationToken cancellationToken = default)
    {
        var key = ResolveKey(period, periodKey);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await LoadExportNodeAsync(db, user, nodeId, cancellationToken);
        var path = node.Path;
        var people =
            from p in db.VolunteerProfiles.AsNoTracking()
            join u in db.Users on p.UserId equals u.Id
            join n in db.OrgNodes on u.OrgNodeId equals n.Id
            where n.Path.StartsWith(path)
            select new { p, u.RealName, u.PhoneNumber, n.Path };
        var rows = key is null
            ? await people.Select(r => new { r.p.UserId, r.RealName, r.PhoneNumber, r.Path, Minutes = r.p.TotalMinutes, r.p.PointsEarned, r.p.PointsBalance, r.p.TotalMinutes })
                .ToListAsync(cancellationToken)
            : await (
                from r in people
                join t in db.VolunteerPeriodTotals.Where(t => t.Period == key) on r.p.UserId equals t.UserId into totals
                from t in totals.DefaultIfEmpty()
                select new
                {
                    r.p.UserId,
                    r.RealName,
                    r.PhoneNumber,
                    r.Path,
                    Minutes = t == null ? 0L : t.Minutes,
                    PointsEarned = t == null ? 0 : t.PointsEarned,
                    r.p.PointsBalance,
                    r.p.TotalMinutes,
                }).ToListAsync(cancellationToken);
        var names = await NodeNamesAsync(db, [path, .. rows.Select(r => r.Path)], cancellationToken);
        return new LeaderboardReport<VolunteerTotalsRow>(node.Id, names.FullNameOf(path), period, key,
            [.. rows.OrderByDescending(r => r.Minutes).ThenByDescending(r => r.PointsEarned).ThenBy(r => r.UserId)
                .Select(r => new VolunteerTotalsRow(r.UserId, r.RealName, MainlandMobile.Mask(r.PhoneNumber ?? ""), names.CommunityOf(r.Path),
                    r.Minutes, r.PointsEarned, r.PointsBalance, StarLevel.ForMinutes(r.TotalMinutes)))]);
    }

    /// <summary>
    /// Per direct child of the node (with everything below it): volunteers (completed profiles), hours and points
    /// earned in the period; people attached to the node itself form a "this level" row. Organizers and Admins, in scope only.
    /// </summary>
    public async Task<LeaderboardReport<UnitTotalsRow>> UnitTotalsAsync(
        ClaimsPrincipal user, int? nodeId, LeaderboardPeriod period, string? periodKey, CancellationToken cancellationToken = default)
    {
        var key = ResolveKey(period, periodKey);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await LoadExportNodeAsync(db, user, nodeId, cancellationToken);
        var path = node.Path;
        var length = path.Length;
        var people =
            from p in db.VolunteerProfiles.AsNoTracking()
            join u in db.Users on p.UserId equals u.Id
            join n in db.OrgNodes on u.OrgNodeId equals n.Id
            where n.Path.StartsWith(path)
            select new { p, n.Path };
        var facts = key is null
            ? people.Select(r => new UnitFact { Path = r.Path, IsVolunteer = r.p.CompletedAtUtc != null, Minutes = r.p.TotalMinutes, Points = r.p.PointsEarned })
            : from r in people
              join t in db.VolunteerPeriodTotals.Where(t => t.Period == key) on r.p.UserId equals t.UserId into totals
              from t in totals.DefaultIfEmpty()
              select new UnitFact { Path = r.Path, IsVolunteer = r.p.CompletedAtUtc != null, Minutes = t == null ? 0L : t.Minutes, Points = t == null ? 0 : t.PointsEarned };
#pragma warning disable CA1845, CA1866 // Translated to SQL, where spans and char overloads do not exist.
        var groups = await facts
            .Select(f => new { Child = f.Path == path ? "" : f.Path.Substring(length, f.Path.Substring(length).IndexOf("/")), f.IsVolunteer, f.Minutes, f.Points })
            .GroupBy(f => f.Child)
            .Select(g => new { g.Key, Volunteers = g.Count(f => f.IsVolunteer), Minutes = g.Sum(f => f.Minutes), Points = g.Sum(f => f.Points) })
            .ToListAsync(cancellationToken);
#pragma warning restore CA1845, CA1866
        var children = await db.OrgNodes.AsNoTracking().Where(n => n.ParentId == node.Id).OrderBy(n => n.Id)
            .Select(n => new { n.Id, n.Name, n.IsRetired }).ToListAsync(cancellationToken);
        var byChild = groups.ToDictionary(g => g.Key);
        var rows = new List<UnitTotalsRow>();
        if (byChild.TryGetValue("", out var own) || children.Count == 0)
        {
            rows.Add(new UnitTotalsRow(node.Id, node.Name, true, own?.Volunteers ?? 0, own?.Minutes ?? 0, own?.Points ?? 0));
        }

        foreach (var child in children)
        {
            var found = byChild.TryGetValue(child.Id.ToString(CultureInfo.InvariantCulture), out var g);
            if (!child.IsRetired || found)
            {
                rows.Add(new UnitTotalsRow(child.Id, child.Name, false, g?.Volunteers ?? 0, g?.Minutes ?? 0, g?.Points ?? 0));
            }
        }

        return new LeaderboardReport<UnitTotalsRow>(node.Id, (await NodeNamesAsync(db, [path], cancellationToken)).FullNameOf(path), period, key, rows);
    }

    /// <summary>The person's value and rank: 1 + the number of people in the subtree with a strictly greater value.</summary>
    private static async Task<LeaderboardStanding> StandingAsync(
        AppDbContext db, int userId, string path, double share, LeaderboardQuery query, string? key, List<LeaderboardSql.Leader> leaders, bool boardHoldsEveryone,
        CancellationToken cancellationToken)
    {
        var totalMinutes = await db.VolunteerProfiles.AsNoTracking().Where(p => p.UserId == userId).Select(p => (long?)p.TotalMinutes).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var value = await Scores(db, query.Metric, query.Period, key).Where(s => s.UserId == userId).Select(s => (long?)s.Value).FirstOrDefaultAsync(cancellationToken) ?? 0;
        if (value <= 0)
        {
            return new LeaderboardStanding(null, 0, StarLevel.ForMinutes(totalMinutes));
        }

        // On the board (or tied with its last place), or a board of everyone: the board already holds everyone ahead.
        var ahead = boardHoldsEveryone || value >= leaders[^1].Value
            ? leaders.Count(l => l.Value > value)
            : await LeaderboardSql.CountAboveAsync(db, query.Metric, query.Period, key, path, value, inside: share <= 0.5, cancellationToken);
        return new LeaderboardStanding(ahead + 1, value, StarLevel.ForMinutes(totalMinutes));
    }

    /// <summary>The subtree's share of the org nodes: a cheap stand-in for its share of the people, to choose a query shape.</summary>
    private static async Task<double> SubtreeShareAsync(AppDbContext db, string path, CancellationToken cancellationToken)
    {
        var counts = await db.OrgNodes.GroupBy(n => 1).Select(g => new { All = g.Count(), Inside = g.Count(n => n.Path.StartsWith(path)) }).FirstOrDefaultAsync(cancellationToken);
        return counts is null ? 1 : counts.Inside / (double)counts.All;
    }

    /// <summary>One value per person with something to rank: all time from the profile's caches, a month or year from its totals row.</summary>
    private static IQueryable<Score> Scores(AppDbContext db, LeaderboardMetric metric, LeaderboardPeriod period, string? key) => (metric, period) switch
    {
        (LeaderboardMetric.Hours, LeaderboardPeriod.AllTime) =>
            db.VolunteerProfiles.AsNoTracking().Where(p => p.TotalMinutes > 0).Select(p => new Score { UserId = p.UserId, Value = p.TotalMinutes }),
        (LeaderboardMetric.Points, LeaderboardPeriod.AllTime) =>
            db.VolunteerProfiles.AsNoTracking().Where(p => p.PointsEarned > 0).Select(p => new Score { UserId = p.UserId, Value = p.PointsEarned }),
        (LeaderboardMetric.Hours, _) =>
            db.VolunteerPeriodTotals.AsNoTracking().Where(t => t.Period == key && t.Minutes > 0).Select(t => new Score { UserId = t.UserId, Value = t.Minutes }),
        _ =>
            db.VolunteerPeriodTotals.AsNoTracking().Where(t => t.Period == key && t.PointsEarned > 0).Select(t => new Score { UserId = t.UserId, Value = t.PointsEarned }),
    };

    private string? ResolveKey(LeaderboardPeriod period, string? key)
    {
        if (!Enum.IsDefined(period) || !LeaderboardQuery.IsValidKey(period, key))
        {
            throw new DomainException(ErrorCodes.Leaderboard.PeriodInvalid);
        }

        return period == LeaderboardPeriod.AllTime ? null : key ?? CurrentKey(period);
    }

    private static async Task<string?> OwnPathAsync(AppDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        user.UserId() is not { } userId ? null
        : await (
            from u in db.Users.AsNoTracking()
            join n in db.OrgNodes on u.OrgNodeId equals n.Id
            where u.Id == userId
            select n.Path).FirstOrDefaultAsync(cancellationToken);

    private static async Task<NodeRef> LoadNodeAsync(AppDbContext db, int nodeId, CancellationToken cancellationToken) =>
        await db.OrgNodes.AsNoTracking().Where(n => n.Id == nodeId).Select(n => new NodeRef(n.Id, n.Name, n.Level, n.Path)).FirstOrDefaultAsync(cancellationToken)
        ?? throw new AccessDeniedException(); // Unknown ids look like forbidden ones: nobody learns which ids exist elsewhere.

    private async Task<NodeRef> LoadExportNodeAsync(AppDbContext db, ClaimsPrincipal user, int? nodeId, CancellationToken cancellationToken)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        var id = nodeId ?? await DefaultExportNodeIdAsync(user, cancellationToken) ?? throw new AccessDeniedException();
        var node = await LoadNodeAsync(db, id, cancellationToken);
        return scope.Contains(node.Path) ? node : throw new AccessDeniedException();
    }

    /// <summary>Names and levels of every node on the given paths, in one query (chunked: a city's export has thousands of paths).</summary>
    private static async Task<NodeNames> NodeNamesAsync(AppDbContext db, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<int, (string Name, OrgLevel Level)>();
        foreach (var chunk in paths.Distinct().SelectMany(IdsOf).Distinct().Chunk(500))
        {
            foreach (var n in await db.OrgNodes.AsNoTracking().Where(n => chunk.Contains(n.Id)).Select(n => new { n.Id, n.Name, n.Level }).ToListAsync(cancellationToken))
            {
                nodes[n.Id] = (n.Name, n.Level);
            }
        }

        return new NodeNames(nodes);
    }

    private sealed class NodeNames(Dictionary<int, (string Name, OrgLevel Level)> nodes)
    {
        /// <summary>"太行市 / 城区 / 东街街道 / 红星社区", as the org tree writes it.</summary>
        public string FullNameOf(string path) => string.Join(" / ", IdsOf(path).Select(id => nodes.TryGetValue(id, out var n) ? n.Name : "?"));

        /// <summary>The community on the path (a grid cell's community), or the last node when the path stops above community level.</summary>
        public string? CommunityOf(string path)
        {
            string? last = null;
            foreach (var id in IdsOf(path))
            {
                if (nodes.TryGetValue(id, out var n))
                {
                    last = n.Name;
                    if (n.Level == OrgLevel.Community)
                    {
                        return n.Name;
                    }
                }
            }

            return last;
        }
    }

    private static int[] IdsOf(string path) =>
        [.. path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private sealed record NodeRef(int Id, string Name, OrgLevel Level, string Path);

    private sealed class Score
    {
        public required int UserId { get; init; }

        public required long Value { get; init; }
    }

    private sealed class UnitFact
    {
        public required string Path { get; init; }

        public required bool IsVolunteer { get; init; }

        public required long Minutes { get; init; }

        public required int Points { get; init; }
    }
}
