using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Calendar;

/// <summary>
/// The secret of a person's calendar feed URL: 256 random bits, base64url, in <see cref="AppUser.CalendarFeedToken"/>
/// (a unique column, so looking it up is an index seek). Created only when the person asks; regenerating
/// replaces it, so the old URL stops working at once.
/// </summary>
public sealed class CalendarFeedService(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit)
{
    public const int TokenBytes = 32;

    /// <summary>Base64url of <see cref="TokenBytes"/> bytes, without padding.</summary>
    public const int TokenLength = 43;

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>Shape check before any database work: the right length, only base64url characters.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The caller's token, or null if they never asked for a feed.</summary>
    public async Task<string?> GetTokenAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.CalendarFeedToken).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The caller's token, created on first use. Two tabs asking at once get the same one.</summary>
    public async Task<string> GetOrCreateTokenAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await FindAsync(db, userId, cancellationToken);
        if (owner.Token is { } existing)
        {
            return existing;
        }

        var token = NewToken();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Only if still empty: a concurrent first call that won keeps its token, and this one reads it back.
        var set = await SetTokenAsync(db.Users.Where(u => u.Id == userId && u.CalendarFeedToken == null), token, cancellationToken);
        if (set == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (await FindAsync(db, userId, cancellationToken)).Token ?? throw new InvalidOperationException("The calendar feed token vanished.");
        }

        audit.Record(db, user, "calendar-feed.created", "User", userId.ToString(CultureInfo.InvariantCulture), owner.OrgNodeId, null, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return token;
    }

    /// <summary>Replaces the caller's token (audited; the token itself is never written to the audit log).</summary>
    public async Task<string> RegenerateAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await FindAsync(db, userId, cancellationToken);
        var token = NewToken();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SetTokenAsync(db.Users.Where(u => u.Id == userId), token, cancellationToken);
        audit.Record(db, user, "calendar-feed.regenerated", "User", userId.ToString(CultureInfo.InvariantCulture), owner.OrgNodeId, null, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return token;
    }

    /// <summary>The id of the person the token belongs to; null for a malformed, unknown or replaced token.</summary>
    public async Task<int?> FindOwnerAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(token))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.CalendarFeedToken == token).Select(u => (int?)u.Id).SingleOrDefaultAsync(cancellationToken);
    }

    private static async Task<(string? Token, int? OrgNodeId)> FindAsync(AppDbContext db, int userId, CancellationToken cancellationToken)
    {
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.CalendarFeedToken, u.OrgNodeId }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? throw new AccessDeniedException() : (row.CalendarFeedToken, row.OrgNodeId);
    }

    // A new concurrency stamp, so a profile save that loaded the account before this change fails as a concurrency
    // conflict instead of silently writing the old token back (Identity's update writes every column).
    private static Task<int> SetTokenAsync(IQueryable<AppUser> users, string token, CancellationToken cancellationToken) =>
        users.ExecuteUpdateAsync(
            s => s.SetProperty(u => u.CalendarFeedToken, token).SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()),
            cancellationToken);
}
