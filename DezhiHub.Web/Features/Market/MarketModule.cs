using DezhiHub.Domain.Market;
using DezhiHub.Web.Platform.Events;
using DezhiHub.Web.Platform.Scheduling;
using Quartz;

namespace DezhiHub.Web.Features.Market;

/// <summary>The points market: catalogue, redemptions, vouchers, partners, the expiry sweep.</summary>
public static class MarketModule
{
    /// <summary>The points market's services and its options (section "DezhiHub:Market").</summary>
    public static IServiceCollection AddMarket(this IServiceCollection services)
    {
        services.AddOptions<MarketOptions>().BindConfiguration(MarketOptions.Section)
            .Validate(o => o.VoucherValidDays is >= 1 and <= 3650, "DezhiHub:Market:VoucherValidDays must be between 1 and 3650.")
            .Validate(o => o.ExpirySweepInterval >= TimeSpan.FromSeconds(1), "DezhiHub:Market:ExpirySweepInterval must be at least one second.")
            .ValidateOnStart();
        services.AddSingleton<Vouchers>();
        services.AddScoped<RewardCatalog>();
        services.AddScoped<MarketService>();
        services.AddDomainEventHandler<RedemptionMade, RedemptionRecords>();
        services.AddDomainEventHandler<RedemptionClosed, RedemptionRecords>();
        services.AddScoped<VoucherDesk>();
        services.AddScoped<PartnerService>();
        services.AddScoped<RewardPictureStore>();
        services.AddScoped<MarketSweeps>();
        return services;
    }

    /// <summary>
    /// Schedules the voucher expiry sweep (every <see cref="MarketOptions.ExpirySweepInterval"/>); call inside
    /// <c>AddQuartz</c>. Idempotent like the other sweeps, so several instances may each run it.
    /// </summary>
    public static IQuartzBuilder ScheduleMarket(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var options = configuration.GetSection(MarketOptions.Section).Get<MarketOptions>() ?? new MarketOptions();
        quartz.ScheduleJob<MarketExpiryJob>(
            trigger => trigger.WithIdentity(MarketExpiryJob.TriggerKey).Every(options.ExpirySweepInterval),
            job => job.WithIdentity(MarketExpiryJob.Key).Sweep());
        return quartz;
    }

    public static IEndpointRouteBuilder MapMarket(this IEndpointRouteBuilder endpoints) => endpoints.MapMarketEndpoints();
}
