using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Identity;

namespace DezhiHub.Web.Platform.Access;

public static class SubtreeQueries
{
    /// <summary>People whose org node lies at or below <paramref name="path"/> (one indexed prefix match).</summary>
    public static IQueryable<AppUser> InSubtree(this IQueryable<AppUser> users, AppDbContext db, string path) =>
        users.Where(u => db.OrgNodes.Any(n => n.Id == u.OrgNodeId && n.Path.StartsWith(path)));
}
