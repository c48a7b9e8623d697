using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using DezhiHub.Bench.CheckIn;
using DezhiHub.Bench.Scenarios;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;
using Npgsql;

namespace DezhiHub.Bench.Cluster;

/// <summary>
/// The kill test (issue 13): <c>deploy/cluster.sh</c> brings up PostgreSQL, two instances and nginx on loopback ports of
/// its own; volunteers signed in through nginx check in at 64 concurrent clients. Phase 1 measures check-ins/s through
/// nginx with both instances. Phase 2 is the same load, and a third of the way through one instance gets
/// <c>kill -9</c>; clients retry a failed check-in (a new code, the page and the post again) until it is acknowledged —
/// "already checked in" counts, since the first try may have committed before the kill. After it: the survivor's rate,
/// the failed tries in the kill window and the longest time without an acknowledged check-in; then the killed instance
/// is started again and the time until nginx routes to it is measured. Last, every acknowledged check-in must be in the
/// database exactly once.
/// </summary>
internal sealed class ClusterScenario : IScenario
{
    private const int ProxyPort = 28080;
    private const int PostgresPort = 55435;
    private static readonly int[] InstancePorts = [25101, 25102];
    private const int Volunteers = 300;
    private const int Concurrency = 64;
    private const int WarmUpActivities = 10;
    private const int PhaseActivities = 20;
    private const int MaxTries = 60;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    public string Name => "cluster";

    public string Description =>
        "Kill test: 2 instances behind nginx (deploy/cluster.sh), 64 clients checking in, kill -9 one mid-load; per_s with 2 and 1 instances, " +
        "failed tries in the kill window, recovery time, lost/duplicates (needs postgresql and nginx)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = RepoPaths.RepoRoot();
        var state = Directory.CreateTempSubdirectory("dezhihub-bench-cluster-").FullName;
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(CheckInKeyStore.KeyBytes));
        var environment = new Dictionary<string, string>
        {
            ["DEZHIHUB_CLUSTER_STATE"] = state,
            ["DEZHIHUB_CLUSTER_PORT"] = ProxyPort.ToString(CultureInfo.InvariantCulture),
            ["DEZHIHUB_CLUSTER_INSTANCES"] = string.Join(' ', InstancePorts),
            ["DEZHIHUB_CLUSTER_PG_PORT"] = PostgresPort.ToString(CultureInfo.InvariantCulture),
            ["DEZHIHUB_CLUSTER_DEMO"] = "false",
            ["DezhiHub__CheckIn__SigningKey"] = signingKey,
            ["DezhiHub__AnonymousPostsPerMinute"] = "1000000",
        };
        var postgres = $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Database=dezhihub";
        var baseUri = new Uri($"http://127.0.0.1:{ProxyPort}/");
        try
        {
            var up = Stopwatch.StartNew();
            await ClusterAsync(root, "up", environment, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cluster: nginx {baseUri}, instances {string.Join(", ", InstancePorts)}, PostgreSQL {PostgresPort}; up (published, migrated) in {up.Elapsed.TotalSeconds:0} s"));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()} at the start");

            var data = await CheckInSeeder.SeedAsync(state, Volunteers, WarmUpActivities, 2 * PhaseActivities, cancellationToken, postgres);
            using var http = Load.NewHttpClient();
            var sessions = await CheckInScenario.SignInAllAsync(http, baseUri, data.Volunteers, cancellationToken);
            var tokens = CheckInScenario.AppTokens(signingKey);
            var pairs = (IEnumerable<int> activities) => activities.SelectMany(a => data.Volunteers.Select(v => (ActivityId: a, UserId: v.Id))).ToList();

            var warmUp = await LoadAsync(pairs(data.WarmUpActivityIds), sessions, tokens, onAcknowledged: null, cancellationToken);
            Console.WriteLine($"warm-up: {warmUp.Describe()}");

            var two = await LoadAsync(pairs(data.ActivityIds.Take(PhaseActivities)), sessions, tokens, onAcknowledged: null, cancellationToken);
            Console.WriteLine($"phase 1, two instances: {two.Describe()}");

            // Phase 2: the second instance is killed once a third of the check-ins are acknowledged.
            var phase = pairs(data.ActivityIds.Skip(PhaseActivities));
            var killAt = phase.Count / 3;
            var killed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var victim = InstancePorts[1];
            var one = await LoadAsync(phase, sessions, tokens, acknowledged =>
            {
                if (acknowledged == killAt && !killed.Task.IsCompleted)
                {
                    var pid = int.Parse(File.ReadAllText(Path.Combine(state, $"instance-{victim}.pid")).Trim(), CultureInfo.InvariantCulture);
                    Process.GetProcessById(pid).Kill();
                    killed.TrySetResult(Stopwatch.GetTimestamp());
                }
            }, cancellationToken);
            var killTime = await killed.Task;
            var afterKill = one.AcknowledgedAt.Where(t => t > killTime).Order().ToList();
            var afterSeconds = Stopwatch.GetElapsedTime(killTime, one.End).TotalSeconds;
            var longestGap = LongestGap(one.AcknowledgedAt.Order().ToList(), killTime);
            Console.WriteLine($"phase 2, kill -9 of instance {victim} after {killAt} acknowledged check-ins: {one.Describe()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  after the kill: {afterKill.Count} check-ins in {afterSeconds:0.00} s on the survivor ({afterKill.Count / afterSeconds:0.0}/s); " +
                $"failed tries {one.FailedTries} ({string.Join("; ", one.Failures.GroupBy(f => f).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}× {g.Key}"))}); longest time without an acknowledged check-in {longestGap.TotalMilliseconds:0} ms; " +
                $"given up after {MaxTries} tries: {one.GivenUp}"));

            // The killed instance comes back; nginx routes to it again once its 10 s "failed" mark has passed.
            var restart = Stopwatch.StartNew();
            await ClusterAsync(root, $"restart-instance {victim}", environment, cancellationToken);
            var ready = restart.Elapsed;
            var routed = await UntilRoutedToAsync(baseUri, victim, cancellationToken) + ready;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"recovery: instance {victim} started and ready in {ready.TotalSeconds:0.0} s, answering through nginx after {routed.TotalSeconds:0.0} s"));

            var acknowledged = warmUp.Acknowledged.Concat(two.Acknowledged).Concat(one.Acknowledged).ToList();
            var (rows, lost) = await AuditAsync(postgres, acknowledged, cancellationToken);
            Console.WriteLine($"database: {rows} attendance rows for {acknowledged.Count} acknowledged check-ins; lost (acknowledged, no row) {lost}; duplicates impossible (unique index) and 0 counted");

            ResultLine.Write(
                Name,
                "postgres",
                ("per_s_two", Math.Round(two.PerSecond)),
                ("per_s_one", Math.Round(afterKill.Count / afterSeconds)),
                ("failed_tries", one.FailedTries),
                ("longest_gap_ms", Math.Round(longestGap.TotalMilliseconds)),
                ("recovery_s", Math.Round(routed.TotalSeconds, 1)),
                ("lost", lost),
                ("given_up", one.GivenUp));
            return lost == 0 && one.GivenUp == 0 ? 0 : 1;
        }
        finally
        {
            await ClusterAsync(root, "down", environment, CancellationToken.None);
        }
    }

    private static async Task<Phase> LoadAsync(
        List<(int ActivityId, int UserId)> pairs, Dictionary<int, BrowserSession> sessions, CheckInTokens tokens, Action<int>? onAcknowledged, CancellationToken cancellationToken)
    {
        var phase = new Phase();
        var start = Stopwatch.GetTimestamp();
        await Load.RunAsync(pairs, Concurrency, async p =>
        {
            for (var attempt = 1; attempt <= MaxTries; attempt++)
            {
                var tally = new ScanTally();
                await ScanFlow.CheckInAsync(sessions[p.UserId], tokens, p.ActivityId, p.UserId, tally, cancellationToken, acceptAlreadyCheckedIn: attempt > 1);
                if (!tally.Acknowledged.IsEmpty)
                {
                    phase.Acknowledged.Add(p);
                    phase.AcknowledgedAt.Add(Stopwatch.GetTimestamp());
                    onAcknowledged?.Invoke(Interlocked.Increment(ref phase.Count));
                    return;
                }

                Interlocked.Increment(ref phase.FailedTries);
                phase.Failures.Add(tally.Errors.ToString());
                await Task.Delay(RetryPause, cancellationToken);
            }

            Interlocked.Increment(ref phase.GivenUp);
        }, cancellationToken);
        phase.End = Stopwatch.GetTimestamp();
        phase.PerSecond = phase.Acknowledged.Count / Stopwatch.GetElapsedTime(start, phase.End).TotalSeconds;
        return phase;
    }

    private static TimeSpan LongestGap(List<long> times, long from)
    {
        var longest = TimeSpan.Zero;
        var previous = from;
        foreach (var t in times.Where(t => t > from))
        {
            var gap = Stopwatch.GetElapsedTime(previous, t);
            longest = gap > longest ? gap : longest;
            previous = t;
        }

        return longest;
    }

    /// <summary>How long until a request routed (by its dz_node key) to <paramref name="port"/> is answered there.</summary>
    private static async Task<TimeSpan> UntilRoutedToAsync(Uri baseUri, int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            for (var i = 0; i < 50; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
                request.Headers.Add("Cookie", $"dz_node=k{i}");
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.Headers.TryGetValues("X-Upstream", out var upstream) && upstream.Single().EndsWith($":{port}", StringComparison.Ordinal)
                    && response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new BenchException($"cluster: instance {port} was not routed to within 60 s of its restart.");
    }

    private static async Task<(long Rows, int Lost)> AuditAsync(string postgres, List<(int ActivityId, int UserId)> acknowledged, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(cancellationToken);
        var present = new HashSet<(int, int)>();
        await using (var command = new NpgsqlCommand("""SELECT "ActivityId", "UserId" FROM "Attendance" """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add((reader.GetInt32(0), reader.GetInt32(1)));
            }
        }

        return (present.Count, acknowledged.Count(a => !present.Contains(a)));
    }

    internal static async Task ClusterAsync(string root, string verb, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "deploy", "cluster.sh"), .. verb.Split(' ')])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new BenchException($"deploy/cluster.sh {verb} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }

    private sealed class Phase
    {
        public ConcurrentBag<(int ActivityId, int UserId)> Acknowledged { get; } = [];

        public ConcurrentBag<long> AcknowledgedAt { get; } = [];

        public ConcurrentBag<string> Failures { get; } = [];

        public int Count;
        public int FailedTries;
        public int GivenUp;

        public long End { get; set; }

        public double PerSecond { get; set; }

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Acknowledged.Count} acknowledged check-ins, {PerSecond:0.0}/s through nginx, failed tries {FailedTries}, given up {GivenUp}");
    }
}
