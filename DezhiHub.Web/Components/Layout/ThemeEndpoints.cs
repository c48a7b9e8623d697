using DezhiHub.Web.Components.Layout;

namespace DezhiHub.Web.Components.Layout;

internal static class ThemeEndpoints
{
    /// <summary>
    /// GET /theme.css?v={version} — the theme's stylesheet for the statically rendered pages. Asked for by its current
    /// version it may be cached for a year (a new theme is a new address); any other version gets today's sheet, not cached.
    /// </summary>
    public static IEndpointRouteBuilder MapThemeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ThemeStylesheet.Path, async (HttpContext context, ThemeStylesheet stylesheet, string? v) =>
        {
            var sheet = await stylesheet.GetAsync();
            var etag = $"\"{sheet.Version}\"";
            context.Response.Headers.ETag = etag;
            context.Response.Headers.CacheControl = v == sheet.Version ? "public, max-age=31536000, immutable" : "no-cache";
            if (context.Request.Headers.IfNoneMatch == etag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Text(sheet.Css, "text/css; charset=utf-8");
        }).AllowAnonymous();
        return endpoints;
    }
}
