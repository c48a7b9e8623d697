using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Platform.Access;

/// <summary>
/// Answers "may this user act on this node?" for every feature service: Admin everywhere,
/// Organizer in the subtree of their own org node, everyone else nowhere. Reads the database,
/// not the cookie, so a moved node or a reassigned organizer takes effect at once.
/// </summary>
public sealed class OrgAccess(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<OrgScope> GetScopeAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return OrgScope.All;
        }

        if (!user.IsInRole(Roles.Organizer) || user.UserId() is not { } userId)
        {
            return OrgScope.Nowhere;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await (
            from u in db.Users.AsNoTracking()
            join n in db.OrgNodes.AsNoTracking() on u.OrgNodeId equals n.Id
            where u.Id == userId && !n.IsRetired
            select new { n.Id, n.Path }).FirstOrDefaultAsync(cancellationToken);
        return node is null ? OrgScope.Nowhere : new OrgScope(false, node.Path, node.Id);
    }

    public async Task<bool> CanActOnAsync(ClaimsPrincipal user, int orgNodeId, CancellationToken cancellationToken = default)
    {
        var scope = await GetScopeAsync(user, cancellationToken);
        if (scope.Everywhere)
        {
            return true;
        }

        if (scope.IsNone)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var path = await db.OrgNodes.AsNoTracking().Where(n => n.Id == orgNodeId).Select(n => n.Path).FirstOrDefaultAsync(cancellationToken);
        return path is not null && scope.Contains(path);
    }

    public async Task EnsureCanActOnAsync(ClaimsPrincipal user, int orgNodeId, CancellationToken cancellationToken = default)
    {
        if (!await CanActOnAsync(user, orgNodeId, cancellationToken))
        {
            throw new AccessDeniedException();
        }
    }
}
