using System.Security.Claims;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Organization;

public sealed record OrgNodeView(int Id, int? ParentId, string Name, OrgLevel Level, string Path, bool IsRetired, int ChildCount);

/// <summary>A node for pickers and lists: <see cref="FullName"/> is "太行市 / 城区 / 东街街道".</summary>
public sealed record OrgNodeOption(int Id, string Name, OrgLevel Level, string FullName, string Path);

/// <summary>
/// Reads and edits the organisation tree. Admins edit everywhere; an Organizer edits the nodes below
/// their own node. Every change is audited.
/// </summary>
public sealed class OrgTreeService(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, AuditTrail audit)
{
    public const string EntityType = "OrgNode";

    /// <summary>The top of what the user manages: the city for an Admin, the Organizer's own node otherwise.</summary>
    public async Task<IReadOnlyList<OrgNodeView>> GetRootsAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var roots = scope.Everywhere
            ? db.OrgNodes.Where(n => n.ParentId == null)
            : db.OrgNodes.Where(n => n.Id == scope.RootNodeId);
        return await ProjectViews(db, roots).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OrgNodeView>> GetChildrenAsync(ClaimsPrincipal user, int parentId, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var parentPath = await db.OrgNodes.Where(n => n.Id == parentId).Select(n => n.Path).FirstOrDefaultAsync(cancellationToken);
        if (parentPath is null || !scope.Contains(parentPath))
        {
            throw new AccessDeniedException();
        }

        return await ProjectViews(db, db.OrgNodes.Where(n => n.ParentId == parentId)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Finds active nodes by name for pickers. The tree's names are public (residents choose their
    /// community when they register); <paramref name="withinPath"/> narrows to a subtree.
    /// </summary>
    public async Task<IReadOnlyList<OrgNodeOption>> SearchAsync(
        string? text,
        IReadOnlyCollection<OrgLevel>? levels = null,
        string? withinPath = null,
        int limit = 20,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.OrgNodes.AsNoTracking().Where(n => !n.IsRetired);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var term = text.Trim().ToLowerInvariant();
            query = query.Where(n => n.Name.ToLower().Contains(term));
        }

        if (levels is { Count: > 0 })
        {
            query = query.Where(n => levels.Contains(n.Level));
        }

        if (!string.IsNullOrEmpty(withinPath))
        {
            query = query.Where(n => n.Path.StartsWith(withinPath));
        }

        var nodes = await query.OrderBy(n => n.Path.Length).ThenBy(n => n.Path).Take(Math.Clamp(limit, 1, 100))
            .Select(n => new { n.Id, n.Name, n.Level, n.Path }).ToListAsync(cancellationToken);
        var names = await LoadAncestorNamesAsync(db, nodes.Select(n => n.Path), cancellationToken);
        return [.. nodes.Select(n => new OrgNodeOption(n.Id, n.Name, n.Level, FullName(n.Path, names), n.Path))];
    }

    public async Task<OrgNodeOption?> FindAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await db.OrgNodes.AsNoTracking().Where(n => n.Id == id)
            .Select(n => new { n.Id, n.Name, n.Level, n.Path }).FirstOrDefaultAsync(cancellationToken);
        if (node is null)
        {
            return null;
        }

        var names = await LoadAncestorNamesAsync(db, [node.Path], cancellationToken);
        return new OrgNodeOption(node.Id, node.Name, node.Level, FullName(node.Path, names), node.Path);
    }

    /// <summary>Full names for many nodes at once (one query for all their ancestors).</summary>
    public async Task<IReadOnlyDictionary<int, string>> FullNamesAsync(IEnumerable<int> ids, CancellationToken cancellationToken = default)
    {
        var wanted = ids.Distinct().ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var paths = await db.OrgNodes.AsNoTracking().Where(n => wanted.Contains(n.Id)).Select(n => new { n.Id, n.Path }).ToListAsync(cancellationToken);
        var names = await LoadAncestorNamesAsync(db, paths.Select(p => p.Path), cancellationToken);
        return paths.ToDictionary(p => p.Id, p => FullName(p.Path, names));
    }

    public async Task<int> CreateAsync(ClaimsPrincipal user, int parentId, string name, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var parent = await db.OrgNodes.FirstOrDefaultAsync(n => n.Id == parentId, cancellationToken) ?? throw new DomainException(ErrorCodes.Org.NotFound);
        if (!scope.Contains(parent.Path))
        {
            throw new AccessDeniedException();
        }

        var node = OrgNode.CreateChild(parent, name);
        // The parent's lock first (decision 0014, rules 47–48): a sibling of the same name added at this moment is
        // seen, and a parent retired at this moment refuses the child.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockParentAsync(db, parentId, cancellationToken);
        await EnsureUniqueSiblingNameAsync(db, parentId, node.Name, exceptId: null, cancellationToken);
        db.OrgNodes.Add(node);
        await db.SaveChangesAsync(cancellationToken);
        node.AssignPath(parent.Path);
        audit.Record(db, user, "org.created", EntityType, node.Id.ToString(), node.Id, null, new { node.Name, Level = node.Level.ToString(), Parent = parent.Name });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return node.Id;
    }

    public async Task RenameAsync(ClaimsPrincipal user, int id, string name, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await LoadManagedAsync(db, scope, id, cancellationToken);
        var before = node.Name;
        node.Rename(name);
        if (node.Name == before)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (node.ParentId is { } parentId)
        {
            await LockParentAsync(db, parentId, cancellationToken);
        }

        await EnsureUniqueSiblingNameAsync(db, node.ParentId, node.Name, node.Id, cancellationToken);
        audit.Record(db, user, "org.renamed", EntityType, node.Id.ToString(), node.Id, new { Name = before }, new { node.Name });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Moves a node under a new parent of the level above and re-paths its whole subtree in one statement.</summary>
    public async Task MoveAsync(ClaimsPrincipal user, int id, int newParentId, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await LoadManagedAsync(db, scope, id, cancellationToken);
        var newParent = await db.OrgNodes.FirstOrDefaultAsync(n => n.Id == newParentId, cancellationToken) ?? throw new DomainException(ErrorCodes.Org.NotFound);
        if (!scope.Contains(newParent.Path))
        {
            throw new AccessDeniedException();
        }

        if (newParent.Id == node.ParentId)
        {
            return;
        }

        var oldParentName = await db.OrgNodes.Where(n => n.Id == node.ParentId).Select(n => n.Name).FirstOrDefaultAsync(cancellationToken);
        var (oldPrefix, newPrefix) = node.MoveUnder(newParent);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockParentAsync(db, newParent.Id, cancellationToken);
        await EnsureUniqueSiblingNameAsync(db, newParent.Id, node.Name, node.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var descendantsPrefix = oldPrefix;
#pragma warning disable CA1845 // Translated to SQL: spans do not exist there.
        await db.OrgNodes
            .Where(n => n.Path.StartsWith(descendantsPrefix) && n.Id != node.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Path, n => newPrefix + n.Path.Substring(descendantsPrefix.Length)), cancellationToken);
        // Activities, rewards, wedding services and pledges carry their node's path for subtree queries: they move with it.
        await db.Activities
            .Where(a => a.OrgPath.StartsWith(descendantsPrefix))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.OrgPath, a => newPrefix + a.OrgPath.Substring(descendantsPrefix.Length)), cancellationToken);
        await db.RewardItems
            .Where(i => i.OrgPath.StartsWith(descendantsPrefix))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.OrgPath, i => newPrefix + i.OrgPath.Substring(descendantsPrefix.Length)), cancellationToken);
        await db.WeddingResources
            .Where(r => r.OrgPath.StartsWith(descendantsPrefix))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.OrgPath, r => newPrefix + r.OrgPath.Substring(descendantsPrefix.Length)), cancellationToken);
        await db.WeddingPledges
            .Where(p => p.OrgPath.StartsWith(descendantsPrefix))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.OrgPath, p => newPrefix + p.OrgPath.Substring(descendantsPrefix.Length)), cancellationToken);
#pragma warning restore CA1845
        audit.Record(db, user, "org.moved", EntityType, node.Id.ToString(), node.Id, new { Parent = oldParentName, Path = oldPrefix }, new { Parent = newParent.Name, Path = newPrefix });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RetireAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await LoadManagedAsync(db, scope, id, cancellationToken);
        // The node's own lock before counting its children: a child added at this moment (which takes the same lock)
        // is counted, or finds the node retired.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockSql.LiveOrgNodeAsync(db, id, cancellationToken);
        var hasActiveChildren = await db.OrgNodes.AnyAsync(n => n.ParentId == id && !n.IsRetired, cancellationToken);
        node.Retire(hasActiveChildren);
        audit.Record(db, user, "org.retired", EntityType, node.Id.ToString(), node.Id, new { node.Name, IsRetired = false }, new { node.Name, IsRetired = true });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task LockParentAsync(AppDbContext db, int parentId, CancellationToken cancellationToken)
    {
        if (!await LockSql.LiveOrgNodeAsync(db, parentId, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Org.ParentRetired);
        }
    }

    private async Task<OrgScope> RequireScopeAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        return scope.IsNone ? throw new AccessDeniedException() : scope;
    }

    /// <summary>A node the user may change: for an Organizer strictly below their own node.</summary>
    private static async Task<OrgNode> LoadManagedAsync(AppDbContext db, OrgScope scope, int id, CancellationToken cancellationToken)
    {
        var node = await db.OrgNodes.FirstOrDefaultAsync(n => n.Id == id, cancellationToken) ?? throw new DomainException(ErrorCodes.Org.NotFound);
        return scope.ContainsBelowRoot(node.Path) ? node : throw new AccessDeniedException();
    }

    private static async Task EnsureUniqueSiblingNameAsync(AppDbContext db, int? parentId, string name, int? exceptId, CancellationToken cancellationToken)
    {
        if (await db.OrgNodes.AnyAsync(n => n.ParentId == parentId && n.Name == name && n.Id != exceptId && !n.IsRetired, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Org.DuplicateName, name);
        }
    }

    private static IQueryable<OrgNodeView> ProjectViews(AppDbContext db, IQueryable<OrgNode> nodes) =>
        nodes.AsNoTracking().OrderBy(n => n.IsRetired).ThenBy(n => n.Id)
            .Select(n => new OrgNodeView(n.Id, n.ParentId, n.Name, n.Level, n.Path, n.IsRetired, db.OrgNodes.Count(c => c.ParentId == n.Id)));

    private static async Task<Dictionary<int, string>> LoadAncestorNamesAsync(AppDbContext db, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var ids = paths.SelectMany(ParsePath).Distinct().ToArray();
        return await db.OrgNodes.AsNoTracking().Where(n => ids.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Name, cancellationToken);
    }

    private static string FullName(string path, Dictionary<int, string> names) =>
        string.Join(" / ", ParsePath(path).Select(id => names.TryGetValue(id, out var name) ? name : "?"));

    private static IEnumerable<int> ParsePath(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
}
