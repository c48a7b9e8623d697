using DezhiHub.Web.Features.Accounts;
using Quartz;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>Nightly: forgets sign-in sessions past their absolute lifetime (<see cref="UserSessions.RemoveOldAsync"/>).</summary>
[DisallowConcurrentExecution]
internal sealed class SessionCleanupJob(UserSessions sessions, ILogger<SessionCleanupJob> logger) : IJob
{
    public const string Cron = "0 15 4 * * ?";

    public static readonly JobKey Key = new("session-cleanup", "dezhihub");

    public static readonly TriggerKey TriggerKey = new("session-cleanup", "dezhihub");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var removed = await sessions.RemoveOldAsync(cancellationToken);
        logger.LogInformation("Removed {Count} expired sign-in sessions.", removed);
    }
}
