using Quartz;

namespace DezhiHub.Web.Features.Market;

/// <summary>Quartz adapter for <see cref="MarketSweeps"/>: one expiry sweep at the app's clock. Never two at once in this process.</summary>
[DisallowConcurrentExecution]
internal sealed class MarketExpiryJob(MarketSweeps sweeps, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("market-expiry", "dezhihub");

    public static readonly TriggerKey TriggerKey = new("market-expiry", "dezhihub");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sweeps.ExpireDueAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
}
