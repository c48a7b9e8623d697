using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DezhiHub.Bench;

/// <summary>
/// Launching the built web app as a child process the way it runs in production: Production environment, a loopback
/// port, its own data folder and no demo data; plus the free-port, readiness and clean-up helpers around it.
/// </summary>
internal static class WebAppProcess
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>dotnet &lt;dll&gt;</c> in the dll's folder with <c>ASPNETCORE_ENVIRONMENT=Production</c>, <c>ASPNETCORE_URLS</c>,
    /// <c>DezhiHub__DataPath</c>, <c>DezhiHub__SeedDemoData=false</c> and the given extra variables; any other
    /// inherited <c>DezhiHub__*</c> variable is dropped.
    /// </summary>
    public static ProcessStartInfo StartInfo(string dll, Uri baseUri, string dataDir, IReadOnlyDictionary<string, string>? extraEnvironment = null)
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
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        return startInfo;
    }

    /// <summary>
    /// Polls <c>GET /health/ready</c> until it answers 200; returns ms since process start. Fails (through
    /// <paramref name="fail"/>, which should stop the app and add its output) if the app exits or is not ready in time.
    /// </summary>
    public static async Task<double> WaitUntilReadyAsync(
        HttpClient http, ChildProcess app, Uri baseUri, Func<string, Task<BenchException>> fail, CancellationToken cancellationToken)
    {
        var readyUri = new Uri(baseUri, "health/ready");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (app.HasExited)
            {
                throw await fail($"App exited with code {app.ExitCode} before {readyUri.AbsolutePath} answered 200.");
            }

            if (app.Elapsed > ReadyTimeout)
            {
                throw await fail($"App not ready: {readyUri} did not answer 200 within {ReadyTimeout.TotalSeconds:0} s.");
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
    public static async Task<BenchException> FailAsync(ChildProcess app, string message)
    {
        await app.StopAsync();
        var tail = app.Tail();
        var output = tail.Count == 0
            ? "(the app wrote no output)"
            : $"--- last {tail.Count} lines of app output ---{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
        return new BenchException($"{message}{Environment.NewLine}{output}");
    }

    public static Uri LoopbackUri(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Deletes a temp folder, retrying briefly while files are still held; warns instead of failing.</summary>
    public static void DeleteDirectory(DirectoryInfo dir)
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
}
