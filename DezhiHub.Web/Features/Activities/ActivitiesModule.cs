using DezhiHub.Web.Platform.Events;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Platform.Scheduling;
using Quartz;

namespace DezhiHub.Web.Features.Activities;

/// <summary>Red-culture "eight entries" activities: themes, planning, sign-up, rosters, the activity sweep.</summary>
public static class ActivitiesModule
{
    public static IServiceCollection AddActivities(this IServiceCollection services)
    {
        services.AddScoped<ThemeService>();
        services.AddScoped<ActivityService>();
        services.AddScoped<SignUpService>();
        services.AddDomainEventHandler<RegistrationChanged, RegistrationRecords>();
        services.AddDomainEventHandler<ActivityChanged, ActivityNotices>();
        services.AddScoped<CoverImageStore>();
        services.AddScoped<ActivitySweeps>();
        return services;
    }

    /// <summary>The activity sweep (reminders, sign-up closing, completion) every DezhiHub:Jobs:ActivitySweepInterval.</summary>
    public static IQuartzBuilder ScheduleActivities(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        quartz.ScheduleJob<ActivitySweepJob>(
            trigger => trigger.WithIdentity(ActivitySweepJob.TriggerKey).Every(Scheduling.Jobs(configuration).ActivitySweepInterval),
            job => job.WithIdentity(ActivitySweepJob.Key).Sweep());
        return quartz;
    }

    public static IEndpointRouteBuilder MapActivities(this IEndpointRouteBuilder endpoints) => endpoints.MapActivityEndpoints();
}
