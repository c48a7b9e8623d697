using DezhiHub.Web.Data.PostgreSQL;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Events;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Http;
using DezhiHub.Web.Platform.Live;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Platform.Signing;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DezhiHub.Web.Platform;

/// <summary>
/// The building blocks every capability uses and none owns: who may act where (<see cref="OrgAccess"/>), the audit
/// trail, live changes, the deployment's clock and zone, public links, signed QR codes, stored pictures. Nothing here
/// knows a feature (decision 0017).
/// </summary>
public static class PlatformModule
{
    public static IServiceCollection AddPlatform(this IServiceCollection services)
    {
        services.AddSingleton<DisplayTime>();
        services.AddSingleton<PublicBaseUrl>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<DomainEventDispatcher>();
        services.AddSingleton<LiveChanges>();
        services.AddSingleton<IInterceptor, LiveSaveInterceptor>();
        services.AddHostedService<PostgresChangeListener>();
        services.AddScoped<OrgAccess>();
        services.AddHostedService<StoredPictures>();
        services.AddSingleton<CheckInKeyStore>();
        return services;
    }

    /// <summary>/health/live and /health/ready; the language switch.</summary>
    public static IEndpointRouteBuilder MapPlatform(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthEndpoints().MapCultureEndpoints();
}
