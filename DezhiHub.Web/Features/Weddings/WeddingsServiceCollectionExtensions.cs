namespace DezhiHub.Web.Features.Weddings;

public static class WeddingsServiceCollectionExtensions
{
    /// <summary>The wedding services (catalogue, booking engine, pledge) and their options (section "DezhiHub:Weddings").</summary>
    public static IServiceCollection AddDezhiHubWeddings(this IServiceCollection services)
    {
        services.AddSingleton<BookingVouchers>();
        services.AddScoped<BookingService>();
        return services;
    }
}
