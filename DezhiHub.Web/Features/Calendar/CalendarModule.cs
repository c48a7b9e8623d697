using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Calendar;

/// <summary>The "DezhiHub:Calendar" configuration section.</summary>
public sealed class CalendarOptions
{
    public const string Section = "DezhiHub:Calendar";

    /// <summary>.ics requests (downloads and feed refreshes) one client address may make per minute.</summary>
    public int RequestsPerMinute { get; set; } = 60;
}

/// <summary>Calendar feeds (iCalendar) of activities and bookings.</summary>
public static class CalendarModule
{
    /// <summary>Rate-limit policy of the anonymous .ics endpoints.</summary>
    public const string RateLimitPolicy = "calendar";

    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section)
            .Validate(o => o.RequestsPerMinute > 0, "DezhiHub:Calendar:RequestsPerMinute must be positive.")
            .ValidateOnStart();
        services.AddScoped<CalendarFeedService>();
        services.AddScoped<CalendarExport>();

        // Phones refresh a feed every few minutes to hours; this only stops a client hammering the database.
        // The rejection answer is the app's own (see AddDezhiHubRateLimits).
        services.Configure<RateLimiterOptions>(options => options.AddPolicy(RateLimitPolicy, context =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<CalendarOptions>>().Value.RequestsPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder endpoints) => endpoints.MapCalendarEndpoints();
}
