using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Platform.Events;
using DezhiHub.Web.Platform.Scheduling;
using Quartz;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>Wedding-custom public services: catalogue, bookings and lotteries, plans, pledge, review, reports.</summary>
public static class WeddingsModule
{
    /// <summary>The wedding services (catalogue, booking engine, pledge) and their options (section "DezhiHub:Weddings").</summary>
    public static IServiceCollection AddWeddings(this IServiceCollection services)
    {
        services.AddOptions<BookingOptions>().BindConfiguration(BookingOptions.Section)
            .Validate(o => o.SweepInterval >= TimeSpan.FromSeconds(1), "DezhiHub:Bookings:SweepInterval must be at least one second.")
            .Validate(o => o.ReminderHoursBefore is >= 1 and <= 720, "DezhiHub:Bookings:ReminderHoursBefore must be between 1 and 720.")
            .ValidateOnStart();
        services.AddSingleton<BookingVouchers>();
        services.AddScoped<BookingSweeps>();
        services.AddScoped<BookingEngine>();
        services.AddDomainEventHandler<BookingChanged, BookingChangeRecords>();
        services.AddScoped<BookingService>();
        services.AddScoped<BookingReviewService>();
        services.AddScoped<WeddingReports>();
        services.AddScoped<WeddingPlanner>();
        services.AddOptions<WeddingOptions>().BindConfiguration(WeddingOptions.Section)
            .Validate(o => o.PledgePointsValid, "DezhiHub:Weddings:PledgePoints must be between 1 and 100000.").ValidateOnStart();
        services.AddScoped<PledgeService>();
        services.AddWeddingCatalog();
        return services;
    }

    /// <summary>Schedules the booking sweep (expiry, reminders, lottery draws); call inside <c>AddQuartz</c>.</summary>
    public static IQuartzBuilder ScheduleWeddings(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var options = configuration.GetSection(BookingOptions.Section).Get<BookingOptions>() ?? new BookingOptions();
        quartz.ScheduleJob<BookingSweepJob>(
            trigger => trigger.WithIdentity(BookingSweepJob.TriggerKey).Every(options.SweepInterval),
            job => job.WithIdentity(BookingSweepJob.Key).Sweep());
        return quartz;
    }

    public static IEndpointRouteBuilder MapWeddings(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapWeddingReportEndpoints().MapWeddingPhotoEndpoints();
}
