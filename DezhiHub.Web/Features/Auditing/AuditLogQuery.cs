using System.Security.Claims;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Auditing;

public sealed record AuditFilter(string? Text = null, DateTime? FromUtc = null, DateTime? ToUtc = null, int Page = 0, int PageSize = 25);

public sealed record AuditRow(long Id, DateTime OccurredAtUtc, string ActorName, string Action, string EntityType, string EntityId, string? Before, string? After);


/// <summary>Browse and filter the audit log. Admins see everything; Organizers see entries of their subtree.</summary>
public sealed class AuditLogQuery(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access)
{
    public async Task<Paged<AuditRow>> SearchAsync(ClaimsPrincipal user, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (!scope.Everywhere)
        {
            var root = scope.RootPath!;
            query = query.Where(a => a.OrgNodeId != null && db.OrgNodes.Any(n => n.Id == a.OrgNodeId && n.Path.StartsWith(root)));
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            query = query.Where(a => a.Action.Contains(text) || a.ActorName.Contains(text) || a.EntityId == text
                || (a.After != null && a.After.Contains(text)) || (a.Before != null && a.Before.Contains(text)));
        }

        if (filter.FromUtc is { } from)
        {
            query = query.Where(a => a.OccurredAtUtc >= from);
        }

        if (filter.ToUtc is { } to)
        {
            query = query.Where(a => a.OccurredAtUtc < to);
        }

        var total = await query.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(filter.PageSize, 1, 200);
        var items = await query
            .OrderByDescending(a => a.OccurredAtUtc).ThenByDescending(a => a.Id)
            .Skip(Math.Max(0, filter.Page) * pageSize).Take(pageSize)
            .Select(a => new AuditRow(a.Id, a.OccurredAtUtc, a.ActorName, a.Action, a.EntityType, a.EntityId, a.Before, a.After))
            .ToListAsync(cancellationToken);
        return new Paged<AuditRow>(items, total);
    }
}
