using System.Security.Claims;
using System.Security.Cryptography;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>
/// Server-side sessions behind the sign-in cookie. Signing in opens a row and puts its id in the cookie; every request
/// checks the row is still open (one indexed lookup); signing out closes it, so a copied cookie is dead the moment its
/// owner signs out — the cookie alone is no longer the session. A session also ends after
/// <see cref="AbsoluteLifetime"/> however active it is; idle sessions end with the cookie's 12-hour sliding expiry.
/// An open session is remembered in memory for <see cref="RecheckAfter"/>, so a phone's scan (two requests) costs no
/// query; ending a session forgets it here at once, so on one instance a copied cookie is refused immediately. Another
/// instance may still accept it until its own memory of it runs out (at most <see cref="RecheckAfter"/>).
/// </summary>
public sealed class UserSessions(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const string ClaimType = "dezhihub:session";

    /// <summary>ASVS 5.0 V7.3: a maximum session lifetime, after which the person signs in again.</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromDays(7);

    /// <summary>How long an open session is believed without asking the database again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(30);

    private const int MaxRemembered = 50_000;

    /// <summary>When an open session was created, or nothing when it is not open.</summary>
    private static readonly CompiledPerEngine<Func<AppDbContext, string, int, DateTime, CancellationToken, Task<DateTime?>>> OpenSinceQuery = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string id, int userId, DateTime createdAfter, CancellationToken _) =>
            db.UserSessions.Where(s => s.Id == id && s.UserId == userId && s.EndedAtUtc == null && s.CreatedAtUtc > createdAfter)
                .Select(s => (DateTime?)s.CreatedAtUtc).FirstOrDefault()));

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int UserId, DateTime BelieveUntilUtc)> _open = new(StringComparer.Ordinal);

    public async Task<string> StartAsync(int userId, CancellationToken cancellationToken = default)
    {
        var id = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.UserSessions.Add(new UserSession { Id = id, UserId = userId, CreatedAtUtc = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    /// <summary>Is the principal's session open? A principal without one (a cookie from before sessions) is not.</summary>
    public async Task<bool> IsOpenAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (principal.FindFirstValue(ClaimType) is not { Length: UserSession.IdLength } id
            || !int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (_open.TryGetValue(id, out var known) && known.UserId == userId && known.BelieveUntilUtc > now)
        {
            return true;
        }

        DateTime? createdAtUtc;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            createdAtUtc = await OpenSinceQuery.For(db)(db, id, userId, now - AbsoluteLifetime, cancellationToken);
        }

        if (createdAtUtc is not { } created)
        {
            _open.TryRemove(id, out _);
            return false;
        }

        if (_open.Count >= MaxRemembered)
        {
            foreach (var stale in _open.Where(e => e.Value.BelieveUntilUtc <= now).Select(e => e.Key).ToList())
            {
                _open.TryRemove(stale, out _);
            }
        }

        // Never believed past its absolute end.
        var until = now + RecheckAfter;
        _open[id] = (userId, until < created + AbsoluteLifetime ? until : created + AbsoluteLifetime);
        return true;
    }

    /// <summary>Ends the principal's own session (signing out); nothing when it has none or it has ended.</summary>
    public async Task EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (principal.FindFirstValue(ClaimType) is not { } id)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.UserSessions.Where(s => s.Id == id && s.EndedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAtUtc, now).SetProperty(x => x.EndReason, "signout"), cancellationToken);
        // After the row: a check racing this one cannot remember it as open again from a read made before.
        _open.TryRemove(id, out _);
    }

    /// <summary>Ends every open session of the user ("sign out everywhere"); returns how many were open.</summary>
    public async Task<int> EndAllAsync(int userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var ended = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAtUtc, now).SetProperty(x => x.EndReason, "everywhere"), cancellationToken);
        foreach (var mine in _open.Where(e => e.Value.UserId == userId).Select(e => e.Key).ToList())
        {
            _open.TryRemove(mine, out _);
        }

        return ended;
    }

    /// <summary>Forgets sessions past their absolute lifetime (a day's grace for the record); returns how many.</summary>
    public async Task<int> RemoveOldAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var before = clock.GetUtcNow().UtcDateTime - AbsoluteLifetime - TimeSpan.FromDays(1);
        return await db.UserSessions.Where(s => s.CreatedAtUtc < before).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Wires the sessions into the Identity cookie: open at sign-in, check on every request, close at sign-out.</summary>
    internal static void Attach(CookieAuthenticationEvents events)
    {
        var validateStamp = events.OnValidatePrincipal;
        events.OnSigningIn = async context =>
        {
            if (context.Principal?.Identity is not ClaimsIdentity identity
                || !int.TryParse(identity.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId))
            {
                return;
            }

            var sessions = context.HttpContext.RequestServices.GetRequiredService<UserSessions>();
            var current = context.HttpContext.User;
            // A refreshed cookie of the same person (profile or password change) keeps its session, so their other
            // open tabs stay signed in; a sign-in from a signed-out browser always opens a new one.
            var keep = current.FindFirstValue(ClaimTypes.NameIdentifier) == userId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && await sessions.IsOpenAsync(current)
                ? current.FindFirstValue(ClaimType)
                : null;
            foreach (var stale in identity.FindAll(ClaimType).ToList())
            {
                identity.RemoveClaim(stale);
            }

            identity.AddClaim(new Claim(ClaimType, keep ?? await sessions.StartAsync(userId)));
        };
        events.OnValidatePrincipal = async context =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<UserSessions>();
            if (context.Principal is null || !await sessions.IsOpenAsync(context.Principal))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }

            await validateStamp(context);
        };
        events.OnSigningOut = context =>
            context.HttpContext.RequestServices.GetRequiredService<UserSessions>().EndAsync(context.HttpContext.User);
    }

    /// <summary>The security stamp validator rebuilds the principal every minute: the session id goes along.</summary>
    internal static Task KeepSessionClaim(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(ClaimType) is { } claim && context.NewPrincipal?.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(ClaimType, claim.Value));
        }

        return Task.CompletedTask;
    }
}
