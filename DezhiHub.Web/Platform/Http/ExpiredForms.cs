using DezhiHub.Domain;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Platform.Http;

/// <summary>
/// A form posted with a missing or stale antiforgery token (a page left open across a restart, a second tab that
/// signed out) goes back to the page it came from, which then says the page had expired — not a bare 400.
/// A form too large to read (over the server's body limit or a form limit: the token is then never reached) goes back
/// the same way and says it was too large; an upload endpoint (<see cref="UploadLimit"/>) answers 413 with its own
/// "too large" text instead. Nothing of the post is processed.
/// </summary>
internal static class ExpiredForms
{
    public const string CookieName = "dezhihub.form-expired";

    private const string Expired = "expired";
    private const string TooLarge = "too-large";

    public static IApplicationBuilder UseExpiredFormRedirect(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } validation)
        {
            var tooLarge = IsOverALimit(validation.Error);
            if (tooLarge && context.GetEndpoint()?.Metadata.GetMetadata<UploadLimit>() is { } limit)
            {
                var strings = context.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(strings.Refusal(new DomainException(limit.TooLargeCode, limit.Args)), context.RequestAborted);
                return;
            }

            context.Response.Cookies.Append(CookieName, tooLarge ? TooLarge : Expired, new CookieOptions
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

    /// <summary>
    /// Shows the notice once: the text key of why the last post was not taken (expired, or too large), or null; the
    /// cookie is removed.
    /// </summary>
    public static string? TakeNotice(HttpContext? context)
    {
        if (context?.Request.Cookies.TryGetValue(CookieName, out var reason) != true)
        {
            return null;
        }

        if (!context.Response.HasStarted)
        {
            context.Response.Cookies.Delete(CookieName);
        }

        return reason == TooLarge ? "Account.FormTooLarge" : "Account.FormExpired";
    }

    /// <summary>
    /// The form could not be read because it broke a size limit: Kestrel's request body limit (413), or one of the form
    /// reader's (body length, value length, value count: "... limit ... exceeded").
    /// </summary>
    private static bool IsOverALimit(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private static string? LocalReferrer(HttpContext context) =>
        Uri.TryCreate(context.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referrer)
            && string.Equals(referrer.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? referrer.PathAndQuery
            : null;
}
