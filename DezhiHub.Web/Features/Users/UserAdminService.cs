using System.Globalization;
using System.Security.Claims;
using System.Text;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Users;

public sealed record UserFilter(string? Text = null, string? Role = null, int? OrgNodeId = null, int Page = 0, int PageSize = 25);

public sealed record UserRow(int Id, string RealName, string Phone, int? OrgNodeId, string? OrgName, IReadOnlyList<string> Roles, bool IsLockedOut, DateTime CreatedAtUtc);

/// <summary>
/// People administration. Admins see and change everyone (roles and org node); an Organizer sees the
/// people of their subtree and may move them between nodes of that subtree, but cannot grant roles.
/// </summary>
public sealed class UserAdminService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    OrgTreeService orgTree,
    AuditTrail audit,
    NotificationService notifications,
    TimeProvider clock)
{
    private static readonly string[] CsvHeaderKeys = ["Users.Name", "Users.Phone", "Users.Org", "Users.Roles", "Users.Registered"];

    public async Task<Paged<UserRow>> SearchAsync(ClaimsPrincipal user, UserFilter filter, CancellationToken cancellationToken = default)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = await ScopedUsersAsync(db, scope, filter, cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(filter.PageSize, 1, 200);
        var page = await query.OrderBy(u => u.Id).Skip(Math.Max(0, filter.Page) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<UserRow>(await ToRowsAsync(db, page, user.IsAdmin(), cancellationToken), total);
    }

    public async Task<UserRow> GetAsync(ClaimsPrincipal user, int userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var target = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new DomainException(ErrorCodes.Users.NotFound);
        await EnsureCanSeeAsync(user, target, cancellationToken);
        return (await ToRowsAsync(db, [target], user.IsAdmin(), cancellationToken))[0];
    }

    /// <summary>Sets a person's roles (Admin only) and org node; audited, and the person is told.</summary>
    public async Task UpdateAsync(ClaimsPrincipal user, int userId, IReadOnlyCollection<string> roles, int? orgNodeId, CancellationToken cancellationToken = default)
    {
        if (roles.Any(r => !Roles.All.Contains(r)))
        {
            throw new DomainException(ErrorCodes.Users.UnknownRole);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var target = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new DomainException(ErrorCodes.Users.NotFound);
        await EnsureCanSeeAsync(user, target, cancellationToken);

        var roleIds = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
        var currentRoles = await RoleNamesAsync(db, userId, cancellationToken);
        var wanted = roles.ToHashSet();
        var rolesChanged = !wanted.SetEquals(currentRoles);
        if (rolesChanged && !user.IsAdmin())
        {
            throw new AccessDeniedException();
        }

        if (orgNodeId != target.OrgNodeId && orgNodeId is { } newNode)
        {
            var exists = await db.OrgNodes.AnyAsync(n => n.Id == newNode && !n.IsRetired, cancellationToken);
            if (!exists)
            {
                throw new DomainException(ErrorCodes.Org.NotFound);
            }

            await access.EnsureCanActOnAsync(user, newNode, cancellationToken);
        }
        else if (orgNodeId is null && target.OrgNodeId is not null && !user.IsAdmin())
        {
            throw new AccessDeniedException();
        }

        if (!rolesChanged && orgNodeId == target.OrgNodeId)
        {
            return;
        }

        var names = await orgTree.FullNamesAsync(new[] { target.OrgNodeId, orgNodeId }.OfType<int>(), cancellationToken);
        var before = new { Roles = currentRoles.Order().ToArray(), Org = target.OrgNodeId is { } o ? names[o] : null };
        var after = new { Roles = wanted.Order().ToArray(), Org = orgNodeId is { } n ? names[n] : null };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A change that takes Admin away first locks the Admin role's row (decision 0014, rule 45), then removes and
        // counts: two Admins demoting each other at once run one after the other, and the second sees no other Admin.
        if (currentRoles.Contains(Roles.Admin) && !wanted.Contains(Roles.Admin))
        {
            await LockSql.RoleAsync(db, roleIds[Roles.Admin], cancellationToken);
        }

        var removed = currentRoles.Except(wanted).Select(r => roleIds[r]).ToArray();
        await db.UserRoles.Where(ur => ur.UserId == userId && removed.Contains(ur.RoleId)).ExecuteDeleteAsync(cancellationToken);
        if (currentRoles.Contains(Roles.Admin) && !wanted.Contains(Roles.Admin)
            && !await db.UserRoles.AnyAsync(ur => ur.RoleId == roleIds[Roles.Admin], cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            throw new DomainException(ErrorCodes.Users.LastAdmin);
        }

        foreach (var role in wanted.Except(currentRoles))
        {
            db.UserRoles.Add(new() { UserId = userId, RoleId = roleIds[role] });
        }

        var previousOrgNodeId = target.OrgNodeId;
        target.OrgNodeId = orgNodeId;
        // A new stamp makes the person's cookie re-issue with the new roles (or sign out) at the next validation.
        target.SecurityStamp = Guid.NewGuid().ToString("N");
        audit.Record(db, user, "user.updated", "User", userId.ToString(CultureInfo.InvariantCulture), orgNodeId ?? previousOrgNodeId, before, after);
        if (rolesChanged)
        {
            notifications.Add(db, userId, "Notify.RolesChanged", [wanted.Count == 0 ? "@Role.Resident" : "@" + string.Join(",", wanted.Order().Select(r => $"Role.{r}"))], "/account/profile");
        }

        if (orgNodeId != previousOrgNodeId && orgNodeId is { } movedTo)
        {
            notifications.Add(db, userId, "Notify.OrgChanged", [names[movedTo]], "/account/profile");
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The people of the user's scope (optionally one node's subtree) as CSV, for a roster.</summary>
    public async Task<string> ExportCsvAsync(ClaimsPrincipal user, UserFilter filter, Func<string, string> localize, Func<DateTime, string> formatTime, CancellationToken cancellationToken = default)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = await ScopedUsersAsync(db, scope, filter, cancellationToken);
        var users = await query.OrderBy(u => u.Id).Take(100_000).ToListAsync(cancellationToken);
        var rows = await ToRowsAsync(db, users, user.IsAdmin(), cancellationToken);
        var csv = new StringBuilder();
        csv.AppendLine(Csv.Row(CsvHeaderKeys.Select(localize)));
        foreach (var row in rows)
        {
            csv.AppendLine(Csv.Row([row.RealName, row.Phone, row.OrgName ?? "", string.Join(" ", row.Roles.Select(r => localize($"Role.{r}"))), formatTime(row.CreatedAtUtc)]));
        }

        return csv.ToString();
    }

    private async Task EnsureCanSeeAsync(ClaimsPrincipal user, AppUser target, CancellationToken cancellationToken)
    {
        if (user.IsAdmin())
        {
            return;
        }

        if (target.OrgNodeId is not { } node || !await access.CanActOnAsync(user, node, cancellationToken))
        {
            throw new AccessDeniedException();
        }
    }

    private static async Task<IQueryable<AppUser>> ScopedUsersAsync(AppDbContext db, OrgScope scope, UserFilter filter, CancellationToken cancellationToken)
    {
        var query = db.Users.AsNoTracking();
        if (!scope.Everywhere)
        {
            var root = scope.RootPath!;
            query = query.InSubtree(db, root);
        }

        if (filter.OrgNodeId is { } nodeId)
        {
            var path = await db.OrgNodes.Where(n => n.Id == nodeId).Select(n => n.Path).FirstOrDefaultAsync(cancellationToken);
            if (path is null || !scope.Contains(path))
            {
                throw new AccessDeniedException();
            }

            query = query.InSubtree(db, path);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            // Names match whatever their case ("anna" finds "Anna"), on either engine.
            var text = filter.Text.Trim().ToLowerInvariant();
            query = query.Where(u => u.RealName.ToLower().Contains(text) || u.PhoneNumber!.Contains(text));
        }

        if (!string.IsNullOrEmpty(filter.Role))
        {
            var role = filter.Role;
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        }

        return query;
    }

    private async Task<List<UserRow>> ToRowsAsync(AppDbContext db, IReadOnlyList<AppUser> users, bool fullPhone, CancellationToken cancellationToken)
    {
        var ids = users.Select(u => u.Id).ToArray();
        var roles = await (
            from ur in db.UserRoles.AsNoTracking()
            join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
            where ids.Contains(ur.UserId)
            select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var orgNames = await orgTree.FullNamesAsync(users.Select(u => u.OrgNodeId).OfType<int>(), cancellationToken);
        var now = clock.GetUtcNow();
        return [.. users.Select(u => new UserRow(
            u.Id,
            u.RealName,
            fullPhone ? u.PhoneNumber ?? "" : MainlandMobile.Mask(u.PhoneNumber ?? ""),
            u.OrgNodeId,
            u.OrgNodeId is { } o && orgNames.TryGetValue(o, out var name) ? name : null,
            [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order()],
            u.LockoutEnd is { } end && end > now,
            u.CreatedAtUtc))];
    }

    private static async Task<HashSet<string>> RoleNamesAsync(AppDbContext db, int userId, CancellationToken cancellationToken) =>
        (await (from ur in db.UserRoles
                join r in db.Roles on ur.RoleId equals r.Id
                where ur.UserId == userId
                select r.Name!).ToListAsync(cancellationToken)).ToHashSet();
}
