namespace DezhiHub.Web.Features.Users;

/// <summary>People and their roles, administered by Admins and Organizers in their subtree.</summary>
public static class UsersModule
{
    public static IServiceCollection AddUsers(this IServiceCollection services) => services.AddScoped<UserAdminService>();

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder endpoints) => endpoints.MapUserEndpoints();
}
