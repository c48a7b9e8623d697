namespace DezhiHub.Web.Features.Coverage;

/// <summary>Which communities have reached which of the eight entries, and its export.</summary>
public static class CoverageModule
{
    public static IServiceCollection AddCoverage(this IServiceCollection services) => services.AddScoped<CoverageService>();

    public static IEndpointRouteBuilder MapCoverage(this IEndpointRouteBuilder endpoints) => endpoints.MapCoverageEndpoints();
}
