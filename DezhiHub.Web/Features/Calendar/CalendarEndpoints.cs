using System.Globalization;
using System.Text;
using DezhiHub.Web.Features.Calendar;
using DezhiHub.Web.Platform.Http;
using DezhiHub.Web.Platform.Localization;

namespace DezhiHub.Web.Features.Calendar;

internal static class CalendarEndpoints
{
    public const string ContentType = "text/calendar; charset=utf-8";

    /// <summary>
    /// GET /activities/{id}.ics — one public activity (published, completed or cancelled), for anyone.
    /// GET /calendar/feed/{token}.ics — the token owner's sign-ups, for a phone calendar to subscribe to.
    /// Unknown ids, drafts and wrong or replaced tokens all get the same plain 404.
    /// </summary>
    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/activities/{id:int}.ics", async (int id, HttpContext context, CalendarExport export, CancellationToken cancellationToken) =>
            Calendar(context, await export.ActivityAsync(id, BaseUri(context), cancellationToken), $"activity-{id}.ics"))
            .AllowAnonymous()
            .RequireRateLimiting(CalendarModule.RateLimitPolicy);

        endpoints.MapGet("/calendar/feed/{token}.ics", async (string token, string? lang, HttpContext context, CalendarExport export, CancellationToken cancellationToken) =>
            {
                // A phone fetching the feed sends no culture cookie: the URL carries the language the person used
                // when they copied it.
                if (Cultures.IsSupported(lang))
                {
                    CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(lang!);
                }

                return Calendar(context, await export.FeedAsync(token, BaseUri(context), cancellationToken), null);
            })
            .AllowAnonymous()
            .RequireRateLimiting(CalendarModule.RateLimitPolicy);
        return endpoints;
    }

    private static IResult Calendar(HttpContext context, string? ics, string? downloadName)
    {
        if (ics is null)
        {
            return TypedResults.NotFound();
        }

        // Personal data in the feed: no shared caches; a client may reuse its copy for five minutes.
        context.Response.Headers.CacheControl = "private, max-age=300";
        context.Response.Headers["X-Robots-Tag"] = "noindex";
        return TypedResults.File(Encoding.UTF8.GetBytes(ics), ContentType, downloadName);
    }

    /// <summary>Links in the calendar go to the public address (DezhiHub:PublicBaseUrl) when one is set.</summary>
    private static Uri BaseUri(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<PublicBaseUrl>().For($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/"));
}
