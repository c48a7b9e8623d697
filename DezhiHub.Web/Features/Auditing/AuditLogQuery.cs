using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform;
using DezhiHub.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Auditing;

public sealed record AuditFilter(string? Text = null, DateTime? FromUtc = null, DateTime? ToUtc = null, int Page = 0, int PageSize = 25);

public sealed record AuditRow(long Id, DateTime OccurredAtUtc, string ActorName, string Action, string EntityType, string EntityId, string? Before, string? After);


/// <summary>Browse and filter the audit log. Admins see everything; Organizers see entries of their subtree.</summary>
public sealed class AuditLogQuery(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, IStringLocalizer<Strings> strings)
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
            // People search for what the page shows: an action's name in their language finds its entries too.
            var actions = strings.GetAllStrings(false)
                .Where(s => s.Name.StartsWith("AuditAction.", StringComparison.Ordinal) && s.Value.Contains(text, StringComparison.OrdinalIgnoreCase))
                .Select(s => s.Name["AuditAction.".Length..]).ToList();
            query = query.Where(a => a.Action.Contains(text) || actions.Contains(a.Action) || a.ActorName.Contains(text) || a.EntityId == text
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

    /// <summary>
    /// What the ids in these entries stand for — people, org nodes (with their ancestors, for full paths), wedding
    /// services — in one query each, for <see cref="AuditText.Changes"/>. Names are today's: a renamed node reads by
    /// its new name. Phones are masked.
    /// </summary>
    public async Task<AuditNames> NamesAsync(ClaimsPrincipal user, IReadOnlyCollection<AuditRow> rows, CancellationToken cancellationToken = default)
    {
        if ((await access.GetScopeAsync(user, cancellationToken)).IsNone)
        {
            throw new AccessDeniedException();
        }

        var wanted = AuditText.References(rows);
        if (wanted.People.Count + wanted.Nodes.Count + wanted.Services.Count == 0)
        {
            return AuditNames.None;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var peopleIds = wanted.People.ToList();
        var people = await db.Users.AsNoTracking().Where(u => peopleIds.Contains(u.Id))
            .Select(u => new { u.Id, u.RealName, u.PhoneNumber }).ToListAsync(cancellationToken);
        var nodeIds = wanted.Nodes.ToList();
        var nodes = await db.OrgNodes.AsNoTracking().Where(n => nodeIds.Contains(n.Id))
            .Select(n => new { n.Id, n.Name, n.Path }).ToListAsync(cancellationToken);
        var ancestorIds = nodes.SelectMany(n => AuditText.PathIds(n.Path)).Except(nodes.Select(n => n.Id)).Distinct().ToList();
        var ancestors = await db.OrgNodes.AsNoTracking().Where(n => ancestorIds.Contains(n.Id))
            .Select(n => new { n.Id, n.Name }).ToListAsync(cancellationToken);
        var serviceIds = wanted.Services.ToList();
        var services = await db.WeddingResources.AsNoTracking().Where(r => serviceIds.Contains(r.Id))
            .Select(r => new { r.Id, r.Name }).ToListAsync(cancellationToken);
        return new AuditNames(
            people.ToDictionary(p => p.Id, p => new AuditPerson(p.RealName, MainlandMobile.Mask(p.PhoneNumber ?? ""))),
            nodes.Select(n => (n.Id, n.Name)).Concat(ancestors.Select(a => (a.Id, a.Name))).ToDictionary(n => n.Id, n => n.Name),
            nodes.ToDictionary(n => n.Id, n => n.Path),
            services.ToDictionary(r => r.Id, r => r.Name));
    }
}
