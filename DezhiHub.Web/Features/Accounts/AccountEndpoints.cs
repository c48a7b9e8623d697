using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Accounts;

internal static class AccountEndpoints
{
    /// <summary>POST /account/logout and /account/sign-out-everywhere (forms with antiforgery tokens).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Ends this browser's session on the server too (UserSessions), so a copy of the cookie is dead.
        endpoints.MapPost("/account/logout", async (SignInManager<AppUser> signInManager, [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.Redirect(LocalUrl.OrHome(returnUrl));
        });

        // Every browser of the account: the sessions end now; open interactive pages sign out at their next check
        // (the new security stamp), which is within a minute.
        endpoints.MapPost("/account/sign-out-everywhere", async (
            HttpContext http,
            UserManager<AppUser> users,
            SignInManager<AppUser> signInManager,
            UserSessions sessions,
            IDbContextFactory<AppDbContext> dbFactory,
            AuditTrail audit,
            [FromForm] string? returnUrl) =>
        {
            if (await users.GetUserAsync(http.User) is { } user)
            {
                var ended = await sessions.EndAllAsync(user.Id);
                await users.UpdateSecurityStampAsync(user);
                await using var db = await dbFactory.CreateDbContextAsync();
                audit.Record(db, http.User, "user.signed-out-everywhere", "User", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), user.OrgNodeId, null, new { EndedSessions = ended });
                await db.SaveChangesAsync();
            }

            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login?signedOut=everywhere");
        }).RequireAuthorization();
        return endpoints;
    }
}
