namespace DezhiHub.Web.Features.Weddings;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>The catalogue of wedding services, the lottery dates and the pledge items (Admin / Organizer pages).</summary>
    public static IServiceCollection AddWeddingCatalog(this IServiceCollection services)
    {
        services.AddScoped<WeddingCatalog>();
        services.AddScoped<WeddingPhotoStore>();
        services.AddScoped<LotteryDateCatalog>();
        services.AddScoped<PledgeItemCatalog>();
        return services;
    }
}
