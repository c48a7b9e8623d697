using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Weddings;
using Quartz;

namespace DezhiHub.Web.Jobs;

/// <summary>The "DezhiHub:Jobs" configuration section.</summary>
public sealed class JobsOptions
{
    public const string Section = "DezhiHub:Jobs";

    /// <summary>Run the scheduled sweeps in this process. Off for a maintenance instance, or while another instance runs them.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the activity sweep runs (reminders, sign-up closing, completion).</summary>
    public TimeSpan ActivitySweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When the ledgers are checked against the cached balances: a Quartz cron expression in the deployment's zone.</summary>
    public string LedgerReconciliationCron { get; set; } = "0 30 3 * * ?";
}

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with an in-memory store: the sweeps are periodic and idempotent and the database holds their state,
    /// so nothing is lost when the schedule is. Several instances may each run them; a clustered ADO job store
    /// (PostgreSQL) would make one instance run each firing, an efficiency, not a correctness, gain.
    /// </summary>
    public static IServiceCollection AddDezhiHubJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(JobsOptions.Section);
        services.AddOptions<JobsOptions>().Bind(section)
            .Validate(o => o.ActivitySweepInterval >= TimeSpan.FromSeconds(1), "DezhiHub:Jobs:ActivitySweepInterval must be at least one second.")
            .ValidateOnStart();
        services.AddOptions<DezhiHub.Web.Features.CheckIn.AttendanceOptions>().Bind(configuration.GetSection(DezhiHub.Web.Features.CheckIn.AttendanceOptions.Section))
            .Validate(o => o.AutoConfirmAfterHours >= 0, "DezhiHub:Attendance:AutoConfirmAfterHours must not be negative.")
            .Validate(o => o.MinimumSharePercent is >= 0 and <= 100, "DezhiHub:Attendance:MinimumSharePercent must be between 0 and 100.")
            .ValidateOnStart();
        services.AddScoped<ActivitySweeps>();

        var options = section.Get<JobsOptions>() ?? new JobsOptions();
        if (!options.Enabled)
        {
            return services;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(configuration[$"{DezhiHubOptions.Section}:{nameof(DezhiHubOptions.TimeZone)}"] ?? new DezhiHubOptions().TimeZone);
        services.AddQuartz(quartz =>
        {
            quartz.UseInMemoryStore(_ => { });
            quartz.ScheduleJob<ActivitySweepJob>(
                trigger => trigger.WithIdentity(ActivitySweepJob.TriggerKey).StartNow()
                    .WithSimpleSchedule(options.ActivitySweepInterval),
                job => job.WithIdentity(ActivitySweepJob.Key).DisallowConcurrentExecution());
            quartz.ScheduleJob<LedgerReconciliationJob>(
                trigger => trigger.WithIdentity(LedgerReconciliationJob.TriggerKey)
                    .WithCronSchedule(options.LedgerReconciliationCron, cron => cron.InTimeZone(zone)),
                job => job.WithIdentity(LedgerReconciliationJob.Key).DisallowConcurrentExecution());
            quartz.ScheduleJob<SessionCleanupJob>(
                trigger => trigger.WithIdentity(SessionCleanupJob.TriggerKey)
                    .WithCronSchedule(SessionCleanupJob.Cron, cron => cron.InTimeZone(zone)),
                job => job.WithIdentity(SessionCleanupJob.Key).DisallowConcurrentExecution());
            quartz.ScheduleMarketExpiry(configuration);
            quartz.ScheduleBookingSweep(configuration);
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            // The scheduler starts once the app is listening: a start waits for the database, not for the sweeps.
            o.AwaitApplicationStarted = true;
        });
        return services;
    }
}
