using System.Diagnostics;
using System.Net;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// The Cluster tier's world: <c>deploy/cluster.sh up</c> — PostgreSQL, two published instances of the app and nginx in
/// front, on loopback ports of their own — and <c>down</c> afterwards. Without PostgreSQL and nginx installed the tier
/// is skipped with the reason, unless <c>DEZHIHUB_CLUSTER=required</c> (CI), where it fails.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public const int ProxyPort = 18080;
    public static readonly int[] InstancePorts = [15101, 15102];
    private const int PostgresPort = 55434;

    private readonly string _state = Path.Combine(Path.GetTempPath(), $"dezhihub-cluster-tests-{Environment.ProcessId}");
    private readonly Dictionary<int, string> _routes = [];

    public static bool Required => Environment.GetEnvironmentVariable("DEZHIHUB_CLUSTER") == "required";

    public string? MissingReason { get; private set; }

    /// <summary>nginx: http://127.0.0.1:18080/</summary>
    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{ProxyPort}/");

    /// <summary>The cluster's database, for tests that prepare data beside the app.</summary>
    public string Postgres { get; } = $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Database=dezhihub";

    public async Task InitializeAsync()
    {
        var postgres = Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateDirectories("/usr/lib/postgresql").Any();
        var nginx = File.Exists("/usr/sbin/nginx");
        if (!postgres || !nginx)
        {
            MissingReason = $"The Cluster tier needs Debian's postgresql and nginx (apt-get install -y postgresql nginx); missing: {(postgres ? "" : "postgresql ")}{(nginx ? "" : "nginx")}.";
            return;
        }

        var (code, output) = await RunAsync(["up"], TimeSpan.FromMinutes(5));
        if (code != 0)
        {
            MissingReason = null;
            throw new InvalidOperationException($"deploy/cluster.sh up failed ({code}):\n{output}\n{Logs()}");
        }

        // A routing key (cookie dz_node) for each instance, found by asking nginx who answers.
        using var http = new HttpClient { BaseAddress = BaseAddress };
        for (var i = 0; _routes.Count < InstancePorts.Length && i < 200; i++)
        {
            var key = $"k{i}";
            if (await WhoAnswersAsync(http, key) is { } port && !_routes.ContainsKey(port))
            {
                _routes[port] = key;
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (MissingReason is null)
        {
            await RunAsync(["down"], TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>Skips the calling test when the cluster cannot be built here, or fails it when the tier is required.</summary>
    public void Require()
    {
        if (MissingReason is null)
        {
            return;
        }

        if (Required)
        {
            throw new InvalidOperationException("DEZHIHUB_CLUSTER=required but " + MissingReason);
        }

        Skip.If(true, MissingReason);
    }

    /// <summary>
    /// Stops one instance — SIGTERM, as systemd stops a unit (it drains), or <paramref name="kill"/> -9, a node dying —
    /// and returns once its process is gone.
    /// </summary>
    public async Task StopInstanceAsync(int port, bool kill = false)
    {
        var (code, output) = await RunAsync(["stop-instance", port.ToString(), kill ? "KILL" : "TERM"], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"stop-instance {port}: {output}");
    }

    /// <summary>
    /// Starts a stopped instance again and waits until it is ready and nginx routes to it again (nginx leaves an
    /// upstream it found down alone for its <c>fail_timeout</c>, 10 s).
    /// </summary>
    public async Task<TimeSpan> StartInstanceAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        var (code, output) = await RunAsync(["start-instance", port.ToString()], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"start-instance {port}: {output}\n{Logs()}");
        using var http = new HttpClient { BaseAddress = BaseAddress };
        while (await WhoAnswersAsync(http, RouteTo(port)) != port)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"nginx did not route to instance {port} again within 60 s");
            await Task.Delay(250);
        }

        return clock.Elapsed;
    }

    /// <summary>The dz_node value nginx routes to the instance on <paramref name="port"/>.</summary>
    public string RouteTo(int port) => _routes[port];

    /// <summary>A client through nginx, routed to the instance on <paramref name="port"/> (its own cookie jar).</summary>
    public AppClient ClientRoutedTo(int port)
    {
        var client = new AppClient(BaseAddress);
        Route(client, port);
        return client;
    }

    /// <summary>Routes an existing client (its other cookies kept) to another instance.</summary>
    public void Route(AppClient client, int port) =>
        client.Cookies.Add(BaseAddress, new Cookie("dz_node", RouteTo(port), "/"));

    /// <summary>The instance that answered a response through nginx (the loopback site's X-Upstream), by port.</summary>
    public static int? AnsweredBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Upstream", out var values) && values.Last().Split(',').Last().Trim() is var last
            && int.TryParse(last[(last.LastIndexOf(':') + 1)..], out var port) ? port : null;

    /// <summary>The instances' and nginx's logs, for a failure message.</summary>
    public string Logs()
    {
        var folder = Path.Combine(_state, "logs");
        return Directory.Exists(folder)
            ? string.Join("\n", Directory.GetFiles(folder, "*.log").Select(f => $"--- {Path.GetFileName(f)} (last lines)\n{string.Join("\n", File.ReadLines(f).TakeLast(15))}"))
            : "(no logs)";
    }

    private static async Task<int?> WhoAnswersAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Cookie", $"dz_node={key}");
        using var response = await http.SendAsync(request);
        return AnsweredBy(response);
    }

    private async Task<(int Code, string Output)> RunAsync(string[] arguments, TimeSpan timeout)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "DezhiHub.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("DezhiHub.sln not found");
        }

        var start = new ProcessStartInfo("bash", [Path.Combine(root.FullName, "deploy", "cluster.sh"), .. arguments])
        {
            WorkingDirectory = root.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DEZHIHUB_CLUSTER_STATE"] = _state;
        start.Environment["DEZHIHUB_CLUSTER_PORT"] = ProxyPort.ToString();
        start.Environment["DEZHIHUB_CLUSTER_INSTANCES"] = string.Join(' ', InstancePorts);
        start.Environment["DEZHIHUB_CLUSTER_PG_PORT"] = PostgresPort.ToString();
        // The activity sweep every second, so that a test can count its firings over several periods.
        start.Environment["DezhiHub__Jobs__ActivitySweepInterval"] = "00:00:01";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<LocalCluster>, ICollectionFixture<Browser>
{
    public const string Name = "cluster";
}
