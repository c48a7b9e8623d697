using DezhiHub.Web.Features.Volunteering;
using Quartz;

namespace DezhiHub.Web.Features.Volunteering;

/// <summary>Quartz adapter for the nightly <see cref="LedgerReconciliation"/>.</summary>
[DisallowConcurrentExecution]
internal sealed class LedgerReconciliationJob(LedgerReconciliation reconciliation) : IJob
{
    public static readonly JobKey Key = new("ledger-reconciliation", "dezhihub");

    public static readonly TriggerKey TriggerKey = new("ledger-reconciliation", "dezhihub");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await reconciliation.RunAsync(cancellationToken);
}
