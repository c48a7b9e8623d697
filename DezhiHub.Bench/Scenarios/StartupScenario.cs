using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DezhiHub.Bench.Scenarios;

/// <summary>
/// Cold start of the built web app on an empty data folder: time from process start until
/// <c>GET /health/ready</c> answers 200, then resident memory after the first <c>GET /</c>.
/// </summary>
internal sealed class StartupScenario : IScenario
{
    private const int DefaultRuns = 5;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FirstPageTimeout = TimeSpan.FromSeconds(30);

    public string Name => "startup";

    public string Description => "cold start: ms to /health/ready, RSS after first page (options: --dll <path>, --runs <n>)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (dllOption, runs) = ParseArgs(args);
        var dll = Path.GetFullPath(dllOption ?? RepoPaths.WebAppDll());
        if (!File.Exists(dll))
        {
            throw new BenchException(
                $"Web app not found at {dll}. Build it first (dotnet build -c {RepoPaths.Configuration} DezhiHub.Bench) or pass --dll <path>.");
        }

        Console.WriteLine($"startup: {runs} cold starts of {dll}");

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var readyMs = new List<double>();
        var rssMb = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await RunOnceAsync(http, dll, run, cancellationToken);
            readyMs.Add(result.ReadyMs);
            rssMb.Add(result.RssMb);
            Console.WriteLine(
                $"run {run}: ready_ms={result.ReadyMs:0} first_page_ms={result.FirstPageMs:0} " +
                $"first_page_status={(int)result.FirstPageStatus} rss_mb={result.RssMb:0}");
        }

        ResultLine.Write(
            Name,
            ("ready_ms", Math.Round(Stats.Median(readyMs))),
            ("rss_mb", Math.Round(Stats.Median(rssMb))));
        return 0;
    }

    private static async Task<RunResult> RunOnceAsync(HttpClient http, string dll, int run, CancellationToken cancellationToken)
    {
        var dataDir = Directory.CreateTempSubdirectory("dezhihub-bench-");
        try
        {
            var port = FreeLoopbackPort();
            var baseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            await using var app = ChildProcess.Start(AppStartInfo(dll, baseUri, dataDir.FullName));

            var readyMs = await WaitUntilReadyAsync(http, app, new Uri(baseUri, "health/ready"), run, cancellationToken);

            var pageStart = Stopwatch.GetTimestamp();
            HttpStatusCode status;
            using (var pageTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                pageTimeout.CancelAfter(FirstPageTimeout);
                try
                {
                    using var response = await http.GetAsync(baseUri, pageTimeout.Token);
                    status = response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw await FailAsync(app, run, $"GET / failed: {ex.Message}");
                }
            }

            var firstPageMs = Stopwatch.GetElapsedTime(pageStart).TotalMilliseconds;
            if ((int)status >= 400)
            {
                throw await FailAsync(app, run, $"GET / answered {(int)status} {status}.");
            }

            var rssMb = app.ResidentMemoryBytes() / (1024.0 * 1024.0);
            return new RunResult(readyMs, firstPageMs, status, rssMb);
        }
        finally
        {
            DeleteDirectory(dataDir);
        }
    }

    private static ProcessStartInfo AppStartInfo(string dll, Uri baseUri, string dataDir)
    {
        var startInfo = new ProcessStartInfo(RepoPaths.DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        startInfo.ArgumentList.Add(dll);

        // Only the settings below: drop any DezhiHub__* inherited from the caller's environment.
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("DezhiHub__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_URLS"] = baseUri.GetLeftPart(UriPartial.Authority);
        startInfo.Environment["DezhiHub__DataPath"] = dataDir;
        startInfo.Environment["DezhiHub__SeedDemoData"] = "false";
        return startInfo;
    }

    /// <summary>Polls the readiness endpoint until it answers 200; returns ms since process start.</summary>
    private static async Task<double> WaitUntilReadyAsync(
        HttpClient http, ChildProcess app, Uri readyUri, int run, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (app.HasExited)
            {
                throw await FailAsync(app, run, $"App exited with code {app.ExitCode} before {readyUri.AbsolutePath} answered 200.");
            }

            if (app.Elapsed > ReadyTimeout)
            {
                throw await FailAsync(app, run, $"App not ready: {readyUri} did not answer 200 within {ReadyTimeout.TotalSeconds:0} s.");
            }

            using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probeTimeout.CancelAfter(ProbeTimeout);
            try
            {
                using var response = await http.GetAsync(readyUri, probeTimeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return app.Elapsed.TotalMilliseconds;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet, or the probe timed out: try again.
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Stops the app and builds an error that includes the last lines of its output.</summary>
    private static async Task<BenchException> FailAsync(ChildProcess app, int run, string message)
    {
        await app.StopAsync();
        var tail = app.Tail();
        var output = tail.Count == 0
            ? "(the app wrote no output)"
            : $"--- last {tail.Count} lines of app output ---{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
        return new BenchException($"startup run {run}: {message}{Environment.NewLine}{output}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void DeleteDirectory(DirectoryInfo dir)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                dir.Refresh();
                if (dir.Exists)
                {
                    dir.Delete(recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(200);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"warning: could not delete {dir.FullName}: {ex.Message}");
                return;
            }
        }
    }

    private static (string? Dll, int Runs) ParseArgs(string[] args)
    {
        string? dll = null;
        var runs = DefaultRuns;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--dll" when value is not null:
                    dll = value;
                    i++;
                    break;
                case "--runs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                default:
                    throw new BenchException($"startup: bad argument '{args[i]}'. Usage: startup [--dll <path to web app dll>] [--runs <n>]");
            }
        }

        return (dll, runs);
    }

    private sealed record RunResult(double ReadyMs, double FirstPageMs, HttpStatusCode FirstPageStatus, double RssMb);
}
