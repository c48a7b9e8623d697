using DezhiHub.Web.Platform.Scheduling;
using Quartz;

namespace DezhiHub.Web.Features.Volunteering;

/// <summary>The "DezhiHub:Points" configuration section.</summary>
public sealed class PointsOptions
{
    public const string Section = "DezhiHub:Points";

    /// <summary>Awards of more points than this need a second organizer's approval.</summary>
    public int AwardApprovalAbove { get; set; } = 50;
}

/// <summary>Volunteer hours and points: the append-only ledgers, profiles, awards, the nightly reconciliation.</summary>
public static class VolunteeringModule
{
    public static IServiceCollection AddVolunteering(this IServiceCollection services)
    {
        services.AddOptions<PointsOptions>().BindConfiguration(PointsOptions.Section)
            .Validate(o => o.AwardApprovalAbove >= 0, "DezhiHub:Points:AwardApprovalAbove must not be negative.").ValidateOnStart();
        services.AddSingleton<Ledger>();
        services.AddScoped<VolunteerService>();
        services.AddScoped<VolunteerDirectory>();
        services.AddScoped<LedgerReconciliation>();
        return services;
    }

    /// <summary>The ledgers checked against the cached balances at DezhiHub:Jobs:LedgerReconciliationCron (local time).</summary>
    public static IQuartzBuilder ScheduleVolunteering(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        quartz.ScheduleJob<LedgerReconciliationJob>(
            trigger => trigger.WithIdentity(LedgerReconciliationJob.TriggerKey).At(Scheduling.Jobs(configuration).LedgerReconciliationCron, Scheduling.Zone(configuration)),
            job => job.WithIdentity(LedgerReconciliationJob.Key).Sweep());
        return quartz;
    }
}
