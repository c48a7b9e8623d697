namespace DezhiHub.Web.Features.Leaderboards;

/// <summary>Volunteer leaderboards and their export.</summary>
public static class LeaderboardsModule
{
    public static IServiceCollection AddLeaderboards(this IServiceCollection services) => services.AddScoped<LeaderboardService>();

    public static IEndpointRouteBuilder MapLeaderboards(this IEndpointRouteBuilder endpoints) => endpoints.MapLeaderboardEndpoints();
}
