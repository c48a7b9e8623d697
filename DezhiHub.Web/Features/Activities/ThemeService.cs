using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Activities;

public sealed record ThemeView(int Id, string Name, bool IsRetired);

/// <summary>The Admin-managed list of activity themes (主题).</summary>
public sealed class ThemeService(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit)
{
    public async Task<IReadOnlyList<ThemeView>> ListAsync(bool includeRetired = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ActivityThemes.AsNoTracking()
            .Where(t => includeRetired || !t.IsRetired)
            .OrderBy(t => t.IsRetired).ThenBy(t => t.Id)
            .Select(t => new ThemeView(t.Id, t.Name, t.IsRetired))
            .ToListAsync(cancellationToken);
    }

    public async Task<int> CreateAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        var theme = ActivityTheme.Create(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await EnsureUniqueAsync(db, theme.Name, null, cancellationToken);
        db.ActivityThemes.Add(theme);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, user, "theme.created", "Theme", theme.Id.ToString(), null, null, new { theme.Name });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return theme.Id;
    }

    public async Task RenameAsync(ClaimsPrincipal user, int id, string name, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var theme = await db.ActivityThemes.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new DomainException(ErrorCodes.Theme.NotFound);
        var before = theme.Name;
        theme.Rename(name);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await EnsureUniqueAsync(db, theme.Name, id, cancellationToken);
        audit.Record(db, user, "theme.renamed", "Theme", id.ToString(), null, new { Name = before }, new { theme.Name });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A retired theme stays on past activities but can no longer be chosen.</summary>
    public async Task SetRetiredAsync(ClaimsPrincipal user, int id, bool retired, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var theme = await db.ActivityThemes.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new DomainException(ErrorCodes.Theme.NotFound);
        if (theme.IsRetired == retired)
        {
            return;
        }

        if (retired)
        {
            theme.Retire();
        }
        else
        {
            theme.Restore();
        }

        audit.Record(db, user, "theme.retired", "Theme", id.ToString(), null, new { theme.Name, IsRetired = !retired }, new { theme.Name, IsRetired = retired });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void EnsureAdmin(ClaimsPrincipal user)
    {
        if (!user.IsAdmin())
        {
            throw new AccessDeniedException();
        }
    }

    /// <summary>
    /// Inside the caller's transaction, under the name's lock (decision 0014, rule 49): two Admins saving the same name at
    /// once get one theme and a "name taken" answer, not a unique-index error.
    /// </summary>
    private static async Task EnsureUniqueAsync(AppDbContext db, string name, int? exceptId, CancellationToken cancellationToken)
    {
        await LockSql.NameAsync(db, "theme-name:" + name, cancellationToken);
        if (await db.ActivityThemes.AnyAsync(t => t.Name == name && t.Id != exceptId, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Theme.DuplicateName);
        }
    }
}
