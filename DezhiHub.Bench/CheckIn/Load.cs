using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace DezhiHub.Bench.CheckIn;

/// <summary>Closed-loop load: a fixed number of workers pulling items from one shared queue until it is empty.</summary>
internal static class Load
{
    /// <summary>The load tool's HTTP client: one connection pool, no cookies of its own (each session has a jar), no redirects followed.</summary>
    public static HttpClient NewHttpClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Runs <paramref name="concurrency"/> workers; each takes the next item and awaits <paramref name="work"/> on it
    /// (which records its own outcome and must not throw) until the queue is empty. Returns the wall-clock time.
    /// </summary>
    public static async Task<TimeSpan> RunAsync<T>(IEnumerable<T> items, int concurrency, Func<T, Task> work, CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<T>(items);
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(
            async () =>
            {
                while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out var item))
                {
                    await work(item);
                }
            },
            cancellationToken));
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        cancellationToken.ThrowIfCancellationRequested();
        return elapsed;
    }

    /// <summary>True for the failures of one request that the tool counts as an error (not a bug of the tool, not Ctrl+C).</summary>
    public static bool IsRequestFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}

/// <summary>Error counts by kind ("POST 303", "GET checkin-expired", …), safe for concurrent use.</summary>
internal sealed class ErrorTally
{
    private readonly ConcurrentDictionary<string, int> _byKind = new();

    public int Count => _byKind.Values.Sum();

    public void Add(string kind) => _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public override string ToString() => Count == 0
        ? "none"
        : string.Join(", ", _byKind.OrderByDescending(e => e.Value).Select(e => $"{e.Value.ToString(CultureInfo.InvariantCulture)}× {e.Key}"));

    public static string Describe(HttpStatusCode status) => $"{(int)status} {status}";
}

/// <summary>Latency percentiles of one series of timings (ms).</summary>
internal sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static LatencySummary From(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0
            ? new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
            : new LatencySummary(
                sorted.Length,
                Stats.Percentile(sorted, 50),
                Stats.Percentile(sorted, 95),
                Stats.Percentile(sorted, 99),
                sorted[^1],
                sorted.Average());
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50:0.0} ms, p95 {P95:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms, mean {Mean:0.0} ms (n={Count})");
}
