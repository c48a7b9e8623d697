using Microsoft.AspNetCore.Antiforgery;

namespace DezhiHub.Web.Endpoints;

/// <summary>
/// A form posted with a missing or stale antiforgery token (a page left open across a restart, a second tab that
/// signed out) goes back to the page it came from, which then says the page had expired — not a bare 400.
/// Nothing of the post is processed.
/// </summary>
internal static class ExpiredForms
{
    public const string CookieName = "dezhihub.form-expired";

    public static IApplicationBuilder UseExpiredFormRedirect(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
        {
            context.Response.Cookies.Append(CookieName, "1", new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                MaxAge = TimeSpan.FromMinutes(1),
                IsEssential = true,
            });
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = LocalReferrer(context) ?? "/";
            return;
        }

        await next(context);
    });

    /// <summary>Shows the notice once: true if the cookie was there, and it is removed.</summary>
    public static bool TakeNotice(HttpContext? context)
    {
        if (context?.Request.Cookies.ContainsKey(CookieName) != true)
        {
            return false;
        }

        if (!context.Response.HasStarted)
        {
            context.Response.Cookies.Delete(CookieName);
        }

        return true;
    }

    private static string? LocalReferrer(HttpContext context) =>
        Uri.TryCreate(context.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referrer)
            && string.Equals(referrer.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? referrer.PathAndQuery
            : null;
}
