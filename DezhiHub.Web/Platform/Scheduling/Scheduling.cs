using Quartz;

namespace DezhiHub.Web.Platform.Scheduling;

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

    /// <summary>
    /// On PostgreSQL, how often each instance tells the cluster it is alive; one silent for two more such intervals is
    /// taken for dead, and its firings are run again elsewhere.
    /// </summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);
}

public static class Scheduling
{
    /// <summary>
    /// The scheduled sweeps. On SQLite (one instance) Quartz keeps its schedule in memory: the sweeps are periodic and
    /// idempotent and the database holds their state, so nothing is lost with the schedule. On PostgreSQL the instances
    /// share one clustered schedule in the database (tables of migration <c>SchedulerTables</c>, decision 0016): each
    /// firing runs on one instance, a firing missed while no instance was up runs once when one is (misfire: fire now
    /// and go on), and the firing of an instance that stops checking in is run again by another (recovery).
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">Section "DezhiHub:Jobs", the database settings and the deployment's zone.</param>
    /// <param name="schedule">The modules' schedules (each module's <c>Schedule…</c>), in one call.</param>
    public static IServiceCollection AddDezhiHubScheduler(this IServiceCollection services, IConfiguration configuration, Action<IQuartzBuilder> schedule)
    {
        var section = configuration.GetSection(JobsOptions.Section);
        services.AddOptions<JobsOptions>().Bind(section)
            .Validate(o => o.ActivitySweepInterval >= TimeSpan.FromSeconds(1), "DezhiHub:Jobs:ActivitySweepInterval must be at least one second.")
            .Validate(o => o.ClusterCheckinInterval >= TimeSpan.FromSeconds(1), "DezhiHub:Jobs:ClusterCheckinInterval must be at least one second.")
            .ValidateOnStart();

        var options = section.Get<JobsOptions>() ?? new JobsOptions();
        if (!options.Enabled)
        {
            return services;
        }

        var database = new Data.DatabaseOptions
        {
            Provider = configuration[$"{Data.DatabaseOptions.Section}:{nameof(Data.DatabaseOptions.Provider)}"] ?? nameof(Data.DatabaseProvider.Sqlite),
            ConnectionString = configuration.GetConnectionString(Data.DatabaseOptions.ConnectionStringName),
        };
        services.AddQuartz(quartz =>
        {
            if (database.Problem() is null && database.Engine == Data.DatabaseProvider.PostgreSQL)
            {
                // Clustered, each instance gets a generated instance id (how the cluster tells its members apart).
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(database.ConnectionString!);
                    store.ConfigureStore(adoStore => adoStore.TablePrefix = "qrtz_");
                    store.UseSystemTextJsonSerializer();
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = options.ClusterCheckinInterval;
                        cluster.CheckinMisfireThreshold = options.ClusterCheckinInterval * 2;
                    });
                    // One history for the cluster (qrtz_execution_history): which instance ran which firing, when, and how
                    // it ended — what an operator reads after a night, and how the Cluster tests count firings.
                    store.UseExecutionHistory();
                });
                services.AddQuartzExecutionHistory(history =>
                {
                    history.Retention = TimeSpan.FromDays(7);
                    history.RetentionByResult[JobRunResult.Failed] = TimeSpan.FromDays(30);
                    // A week of the one-minute sweep, so that it cannot push the nightly runs out.
                    history.MaxEntriesPerJob = 10_080;
                    history.MaxEntriesPerScheduler = 50_000;
                });
            }
            else
            {
                quartz.UseInMemoryStore(_ => { });
            }

            schedule(quartz);
            // /health/ready: the scheduler runs and reaches its store, and (clustered) has checked in lately.
            quartz.AddQuartzHealthChecks(health => health.Tags.Add("ready"));
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            // The scheduler starts once the app is listening: a start waits for the database, not for the sweeps.
            o.AwaitApplicationStarted = true;
        });
        return services;
    }

    /// <summary>The deployment's zone (DezhiHub:TimeZone), for schedules at local times.</summary>
    public static TimeZoneInfo Zone(IConfiguration configuration) =>
        TimeZoneInfo.FindSystemTimeZoneById(configuration[$"{DezhiHubOptions.Section}:{nameof(DezhiHubOptions.TimeZone)}"] ?? new DezhiHubOptions().TimeZone);

    /// <summary>The "DezhiHub:Jobs" section as configured (defaults where unset), for the modules' schedules.</summary>
    public static JobsOptions Jobs(IConfiguration configuration) =>
        configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

    /// <summary>
    /// Every <paramref name="interval"/> from now. A firing missed while no instance ran (or all were busy) is made up
    /// once, at once, and the schedule goes on from there: the sweeps catch up in one run.
    /// </summary>
    public static ITriggerConfigurator Every(this ITriggerConfigurator trigger, TimeSpan interval) =>
        trigger.WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount));

    /// <summary>At the times of a Quartz cron expression in the deployment's zone; a missed time runs once when an instance is up.</summary>
    public static ITriggerConfigurator At(this ITriggerConfigurator trigger, string cron, TimeZoneInfo zone) =>
        trigger.WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed));

    /// <summary>
    /// What every sweep is: never two runs at once (across the cluster on PostgreSQL), and run again by another instance
    /// when the one running it dies — safe, because every sweep is idempotent.
    /// </summary>
    public static IJobConfigurator<TJob> Sweep<TJob>(this IJobConfigurator<TJob> job)
        where TJob : IJob => job.DisallowConcurrentExecution().RequestRecovery();

}
