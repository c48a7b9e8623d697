using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace DezhiHub.Bench.Scenarios;

/// <summary>
/// Cold start of the built web app on an empty data folder: time from process start until
/// <c>GET /health/ready</c> answers 200, then resident memory after the first <c>GET /</c>.
/// </summary>
internal sealed class StartupScenario : IScenario
{
    private const int DefaultRuns = 5;
    private static readonly TimeSpan FirstPageTimeout = TimeSpan.FromSeconds(30);

    public string Name => "startup";

    public string Description => "cold start: ms to /health/ready, RSS after first page (options: --dll <path>, --published, --runs <n>)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (dllOption, published, runs) = ParseArgs(args);
        using var publishFolder = published ? new PublishedApp() : null;
        if (publishFolder is not null)
        {
            await publishFolder.PublishAsync(cancellationToken);
        }

        var dll = Path.GetFullPath(publishFolder?.Dll ?? dllOption ?? RepoPaths.WebAppDll());
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
            var baseUri = WebAppProcess.LoopbackUri(WebAppProcess.FreeLoopbackPort());
            await using var app = ChildProcess.Start(WebAppProcess.StartInfo(dll, baseUri, dataDir.FullName));

            var readyMs = await WebAppProcess.WaitUntilReadyAsync(http, app, baseUri, message => FailAsync(app, run, message), cancellationToken);

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
            WebAppProcess.DeleteDirectory(dataDir);
        }
    }

    /// <summary>Stops the app and builds an error that includes the last lines of its output.</summary>
    private static Task<BenchException> FailAsync(ChildProcess app, int run, string message) =>
        WebAppProcess.FailAsync(app, $"startup run {run}: {message}");

    private static (string? Dll, bool Published, int Runs) ParseArgs(string[] args)
    {
        string? dll = null;
        var published = false;
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
                case "--published":
                    published = true;
                    break;
                case "--runs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                default:
                    throw new BenchException($"startup: bad argument '{args[i]}'. Usage: startup [--dll <path to web app dll> | --published] [--runs <n>]");
            }
        }

        return (dll, published, runs);
    }

    /// <summary>
    /// The app as production runs it: <c>dotnet publish -c Release -r linux-x64</c> (ReadyToRun, see the web project),
    /// into a temporary folder that goes when the run is over.
    /// </summary>
    private sealed class PublishedApp : IDisposable
    {
        private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dezhihub-publish-");

        public string Dll => Path.Combine(_folder.FullName, "DezhiHub.Web.dll");

        public async Task PublishAsync(CancellationToken cancellationToken)
        {
            var project = Path.Combine(RepoPaths.RepoRoot(), "DezhiHub.Web", "DezhiHub.Web.csproj");
            Console.WriteLine($"publishing {project} (Release, linux-x64, ReadyToRun) to {_folder.FullName}");
            var start = new ProcessStartInfo(RepoPaths.DotnetHost(), ["publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", _folder.FullName, "-v", "q"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start) ?? throw new BenchException("dotnet publish did not start.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new BenchException($"dotnet publish failed ({process.ExitCode}):{Environment.NewLine}{await output}{await errors}");
            }
        }

        public void Dispose() => WebAppProcess.DeleteDirectory(_folder);
    }

    private sealed record RunResult(double ReadyMs, double FirstPageMs, HttpStatusCode FirstPageStatus, double RssMb);
}
