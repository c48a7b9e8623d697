namespace DezhiHub.Web.Features.Organization;

/// <summary>The org tree (city → district → street → community → grid cell) and its administration.</summary>
public static class OrganizationModule
{
    public static IServiceCollection AddOrganization(this IServiceCollection services) => services.AddScoped<OrgTreeService>();
}
