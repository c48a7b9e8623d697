using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace DezhiHub.Web.Endpoints;

internal static class HealthEndpoints
{
    /// <summary>/health/live: the process answers. /health/ready: the database answers too.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return endpoints;
    }
}
