using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Volunteering;

/// <param name="Text">Part of the name, or digits of the phone number.</param>
/// <param name="VolunteersOnly">Only people who completed the volunteer profile.</param>
public sealed record VolunteerFilter(string? Text = null, bool VolunteersOnly = false, int Page = 0, int PageSize = 25);

/// <summary>One person of the organizer's area with their ledger totals (zero for someone without entries).</summary>
public sealed record VolunteerRow(
    int UserId, string RealName, string Phone, string? OrgName, bool IsVolunteer, long TotalMinutes, int StarLevel, int PointsBalance, int PointsEarned);

/// <summary>
/// The organizer's "志愿者" list: people of their subtree (everyone for an Admin) found by name or phone digits, with
/// hours, star level and balance from the cached totals on <see cref="VolunteerProfile"/>. Phone numbers are masked
/// for Organizers, as on the people page.
/// </summary>
public sealed class VolunteerDirectory(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, OrgTreeService orgTree)
{
    public async Task<Paged<VolunteerRow>> SearchAsync(ClaimsPrincipal user, VolunteerFilter filter, CancellationToken cancellationToken = default)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!scope.Everywhere)
        {
            users = users.InSubtree(db, scope.RootPath!);
        }

        if (filter.Text?.Trim() is { Length: > 0 } text)
        {
            // Names match whatever their case ("anna" finds "Anna"), on either engine.
            var lower = text.ToLowerInvariant();
            users = text.All(char.IsAsciiDigit)
                ? users.Where(u => u.PhoneNumber!.Contains(text))
                : users.Where(u => u.RealName.ToLower().Contains(lower));
        }

        var query =
            from u in users
            join p in db.VolunteerProfiles.AsNoTracking() on u.Id equals p.UserId into profiles
            from p in profiles.DefaultIfEmpty()
            select new
            {
                u.Id,
                u.RealName,
                u.PhoneNumber,
                u.OrgNodeId,
                IsVolunteer = p != null && p.CompletedAtUtc != null,
                TotalMinutes = p == null ? 0L : p.TotalMinutes,
                PointsBalance = p == null ? 0 : p.PointsBalance,
                PointsEarned = p == null ? 0 : p.PointsEarned,
            };
        if (filter.VolunteersOnly)
        {
            query = query.Where(r => r.IsVolunteer);
        }

        var total = await query.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(filter.PageSize, 1, 200);
        var rows = await query.OrderByDescending(r => r.TotalMinutes).ThenBy(r => r.Id)
            .Skip(Math.Max(0, filter.Page) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var orgNames = await orgTree.FullNamesAsync(rows.Select(r => r.OrgNodeId).OfType<int>(), cancellationToken);
        var fullPhone = user.IsAdmin();
        return new Paged<VolunteerRow>(
            [.. rows.Select(r => new VolunteerRow(
                r.Id,
                r.RealName,
                fullPhone ? r.PhoneNumber ?? "" : MainlandMobile.Mask(r.PhoneNumber ?? ""),
                r.OrgNodeId is { } o && orgNames.TryGetValue(o, out var name) ? name : null,
                r.IsVolunteer,
                r.TotalMinutes,
                Domain.Volunteering.StarLevel.ForMinutes(r.TotalMinutes),
                r.PointsBalance,
                r.PointsEarned))],
            total);
    }
}
