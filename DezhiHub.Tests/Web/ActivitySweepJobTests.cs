using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Features;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace DezhiHub.Tests.Web;

/// <summary>The running app schedules the activity sweep with Quartz, and a firing does the sweep's work.</summary>
public sealed class ActivitySweepJobTests
{
    [Fact]
    public async Task TheSweep_IsScheduledEveryMinute_AndAFiringCompletesAnEndedActivity()
    {
        using var app = new AppFactory(10_000, jobs: true);
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        // The hosted service starts the scheduler once the application has started, a moment after the server.
        var started = DateTime.UtcNow.AddSeconds(15);
        while (scheduler.Status != SchedulerStatus.Running && DateTime.UtcNow < started)
        {
            await Task.Delay(50);
        }

        Assert.Equal(SchedulerStatus.Running, scheduler.Status);
        Assert.NotNull(await scheduler.GetJobDetail(ActivitySweepJob.Key));
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await scheduler.GetTrigger(ActivitySweepJob.TriggerKey));
        Assert.Equal(ActivitySweepJob.Key, trigger.JobKey);
        Assert.Equal(TimeSpan.FromMinutes(1), trigger.RepeatInterval);

        var factory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        int id;
        await using (var db = await factory.CreateDbContextAsync())
        {
            // Planned and published three hours ago; it ended an hour ago.
            var then = DateTime.UtcNow.AddHours(-3);
            id = await CalendarTestActivities.AddAsync(db, then, then.AddHours(1));
        }

        await scheduler.TriggerJob(ActivitySweepJob.Key);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        ActivityStatus status;
        do
        {
            await Task.Delay(100);
            await using var db = await factory.CreateDbContextAsync();
            status = await db.Activities.Where(a => a.Id == id).Select(a => a.Status).SingleAsync();
        }
        while (status != ActivityStatus.Completed && DateTime.UtcNow < deadline);

        Assert.Equal(ActivityStatus.Completed, status);
    }
}
