using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Localization;

namespace DezhiHub.Web.Platform.Localization;

internal static class CultureEndpoints
{
    /// <summary>GET /culture/set?culture=en-US&amp;redirectUri=/x — remembers the language in a cookie, then goes back.</summary>
    public static IEndpointRouteBuilder MapCultureEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/culture/set", (HttpContext context, string? culture, string? redirectUri) =>
        {
            if (Cultures.IsSupported(culture))
            {
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture!)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            }

            return TypedResults.Redirect(LocalUrl.OrHome(redirectUri));
        }).AllowAnonymous();
        return endpoints;
    }
}
