using DezhiHub.Web.Features.Activities;
using Quartz;

namespace DezhiHub.Web.Features.Activities;

/// <summary>
/// Quartz adapter for <see cref="ActivitySweeps"/>: reads the app's clock and runs one sweep. Never two at once in
/// this process; the sweep itself is safe to run concurrently, which is what matters across instances.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ActivitySweepJob(ActivitySweeps sweeps, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("activity-sweep", "dezhihub");

    public static readonly TriggerKey TriggerKey = new("activity-sweep", "dezhihub");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sweeps.RunAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
}
