using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Platform.Http;

public static class RateLimits
{
    /// <summary>Anonymous form posts (sign-in, registration) are limited per client address.</summary>
    public static IServiceCollection AddDezhiHubRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = (int)HttpStatusCode.TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var strings = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Resources.Strings>>();
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(strings["Error.TooManyRequests"], cancellationToken);
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Form posts only: Blazor's own /_blazor negotiation is a POST on every interactive page load, and a
                // venue full of phones behind one address must still be able to open pages.
                var anonymousPost = HttpMethods.IsPost(context.Request.Method) && context.User.Identity?.IsAuthenticated != true
                    && !context.Request.Path.StartsWithSegments("/_blazor");
                if (!anonymousPost)
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var limit = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<DezhiHubOptions>>().Value.AnonymousPostsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return services;
    }
}
