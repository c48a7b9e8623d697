using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace DezhiHub.Web.Platform.Http;

internal static class HealthEndpoints
{
    /// <summary>/health/live: the process answers. /health/ready: the database answers too.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// An instance that has been told to stop (SIGTERM) takes no circuit back: a browser whose connection it closed must
    /// reconnect to another instance, not to this one, which would hold the new connection open only to cut it when
    /// the shutdown timeout runs out. Such a request is answered 503 with the connection closed, and the browser's next
    /// attempt reaches an instance that is staying (decision 0016).
    /// </summary>
    public static IApplicationBuilder UseNoNewCircuitsWhileStopping(this IApplicationBuilder app)
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return app.Use(async (context, next) =>
        {
            if (stopping.IsCancellationRequested && context.Request.Path.StartsWithSegments("/_blazor"))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.Connection = "close";
                return;
            }

            await next(context);
        });
    }
}
