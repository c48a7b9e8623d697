using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// Where test data written straight into a database lives on either city: the first organizer's community — the test
/// city's 东湖社区, or the demo's 红星社区 for the whole-app tiers that run on the demo.
/// </summary>
internal static class HostCommunity
{
    public static async Task<(int OrganizerId, OrgNode Node)> FindAsync(AppDbContext db)
    {
        var organizerRole = await db.Roles.Where(r => r.Name == Roles.Organizer).Select(r => r.Id).SingleAsync();
        var organizer = await db.Users.AsNoTracking().Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == organizerRole))
            .OrderBy(u => u.Id).Select(u => new { u.Id, u.OrgNodeId }).FirstAsync();
        return (organizer.Id, await db.OrgNodes.AsNoTracking().SingleAsync(n => n.Id == organizer.OrgNodeId));
    }
}
