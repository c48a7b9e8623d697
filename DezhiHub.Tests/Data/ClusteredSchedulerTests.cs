using System.Collections.Concurrent;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Activities;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Xunit.Abstractions;

namespace DezhiHub.Tests.Data;

/// <summary>
/// On PostgreSQL the instances share one clustered Quartz schedule (issue 13): with two instances running, every
/// firing of the sweep runs on exactly one of them, and when one stops the other goes on firing.
/// </summary>
public sealed class ClusteredSchedulerTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> EverySecond = new()
    {
        ["DezhiHub:Jobs:ActivitySweepInterval"] = "00:00:01",
        ["DezhiHub:Jobs:ClusterCheckinInterval"] = "00:00:01",
    };

    [SkippableFact]
    public async Task TwoInstances_RunEachFiringOnce_AndWhenOneStops_TheOtherGoesOn()
    {
        TestPostgres.Require();
        var database = await TestPostgres.CreateFromTemplateAsync("empty", FeatureHost.BuildEmptyTemplateAsync);
        var runs = new ConcurrentQueue<(string Instance, DateTimeOffset Scheduled)>();
        try
        {
            using var first = new AppFactory(10_000, jobs: true, EverySecond, sharedPostgres: database);
            using (var second = new AppFactory(10_000, jobs: true, EverySecond, sharedPostgres: database))
            {
                var schedulers = new[] { await RunningAsync(first, runs), await RunningAsync(second, runs) };
                Assert.NotEqual(schedulers[0].SchedulerInstanceId, schedulers[1].SchedulerInstanceId);
                foreach (var scheduler in schedulers)
                {
                    Assert.True((await scheduler.GetMetadata()).JobStoreClustered);
                }

                await Task.Delay(TimeSpan.FromSeconds(8));
            }

            var together = runs.ToList();
            output.WriteLine($"two instances, 8 s: {together.Count} runs, by {string.Join(", ", together.GroupBy(r => r.Instance).Select(g => $"{g.Key}: {g.Count()}"))}");
            Assert.InRange(together.Count, 5, 12);
            Assert.Equal(together.Count, together.Select(r => r.Scheduled).Distinct().Count());

            // The second instance stopped: the first keeps the schedule alone.
            var before = runs.Count;
            await Task.Delay(TimeSpan.FromSeconds(5));
            var alone = runs.Skip(before).ToList();
            output.WriteLine($"one instance, 5 s: {alone.Count} runs");
            Assert.InRange(alone.Count, 3, 7);
            Assert.Equal(runs.Count, runs.Select(r => r.Scheduled).Distinct().Count());

            // The cluster's shared history holds the same runs (from the first one the listeners saw), each by the
            // instance that ran it.
            var since = runs.Min(r => r.Scheduled).UtcDateTime.AddMilliseconds(-50);
            var recorded = (await SchedulerHistory.RunsAsync(database, ActivitySweepJob.Key.Name)).Where(r => r.FiredUtc >= since).ToList();
            output.WriteLine($"history since {since:HH:mm:ss.fff}: {recorded.Count} runs, shortest gap {SchedulerHistory.ShortestGap(recorded).TotalMilliseconds:F0} ms");
            Assert.Equal(runs.Count, recorded.Count);
            Assert.All(recorded, r => Assert.True(r.Succeeded));
            Assert.Equal(runs.Select(r => r.Instance).Distinct().Order(), recorded.Select(r => r.Instance).Distinct().Order());
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [SkippableFact]
    public async Task AnInstanceStopping_FinishesTheSweepItIsRunning_BeforeItStops()
    {
        TestPostgres.Require();
        var database = await TestPostgres.CreateFromTemplateAsync("empty", FeatureHost.BuildEmptyTemplateAsync);
        try
        {
            var app = new AppFactory(10_000, jobs: true, EverySecond, sharedPostgres: database);
            var scheduler = await RunningAsync(app, new());
            // One run of the sweep made to take 3 s, and the instance told to stop while it is under way.
            var slow = new SlowRun(TimeSpan.FromSeconds(3));
            scheduler.ListenerManager.AddJobListener(slow, [Matchers.Key(ActivitySweepJob.Key)]);
            var fireId = await slow.Started.Task.WaitAsync(TimeSpan.FromSeconds(15));
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            app.Dispose();
            output.WriteLine($"stopped {stopping.ElapsedMilliseconds} ms after it was told to, with a run of 3 s under way");

            Assert.True(stopping.Elapsed >= TimeSpan.FromSeconds(2), $"stopped after {stopping.ElapsedMilliseconds} ms, before the run had finished");
            var run = Assert.Single(await SchedulerHistory.RunsAsync(database, ActivitySweepJob.Key.Name), r => r.FireId == fireId);
            Assert.True(run.Succeeded);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    private static async Task<IScheduler> RunningAsync(AppFactory app, ConcurrentQueue<(string, DateTimeOffset)> runs)
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (scheduler.Status != SchedulerStatus.Running && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(SchedulerStatus.Running, scheduler.Status);
        scheduler.ListenerManager.AddJobListener(new RunRecorder(runs), [Matchers.Key(ActivitySweepJob.Key)]);
        return scheduler;
    }

    /// <summary>Holds the first run it sees for <paramref name="delay"/> before it goes on; the others pass.</summary>
    private sealed class SlowRun(TimeSpan delay) : IJobListener
    {
        public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "slow-run";

        public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            if (Started.TrySetResult(context.FireInstanceId))
            {
                await Task.Delay(delay, CancellationToken.None);
            }
        }

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class RunRecorder(ConcurrentQueue<(string, DateTimeOffset)> runs) : IJobListener
    {
        public string Name => "run-recorder";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            runs.Enqueue((context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc ?? context.FireTimeUtc));
            return ValueTask.CompletedTask;
        }

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
