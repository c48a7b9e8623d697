namespace DezhiHub.Web.Features.Home;

/// <summary>The home page per role.</summary>
public static class HomeModule
{
    public static IServiceCollection AddHome(this IServiceCollection services) => services.AddScoped<HomeDashboard>();
}
