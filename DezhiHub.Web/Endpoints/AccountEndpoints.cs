using DezhiHub.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace DezhiHub.Web.Endpoints;

internal static class AccountEndpoints
{
    /// <summary>POST /account/logout (form with antiforgery token).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (SignInManager<AppUser> signInManager, [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect(IdentityRedirectManager.IsLocal(returnUrl) ? returnUrl! : "/");
        });
        return endpoints;
    }
}
