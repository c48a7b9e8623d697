using DezhiHub.Domain;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Platform.Http;

/// <summary>
/// Turns the two expected failures of an HTTP endpoint into plain, localized answers: 403 for an action outside
/// the caller's rights, 400 for a broken rule. Anything else falls through to the friendly error page.
/// </summary>
internal sealed class AppExceptionHandler(IStringLocalizer<Strings> strings) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (int status, string text) = exception switch
        {
            AccessDeniedException => (StatusCodes.Status403Forbidden, strings["Error.AccessDenied"].Value),
            DomainException domain => (StatusCodes.Status400BadRequest, strings.Refusal(domain).Value),
            // A query value that does not bind (?orgNodeId=abc): the same 400 in every environment.
            BadHttpRequestException bad => (bad.StatusCode, strings["Error.BadRequest"].Value),
            _ => (0, ""),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "text/plain; charset=utf-8";
        await httpContext.Response.WriteAsync(text, cancellationToken);
        return true;
    }
}
