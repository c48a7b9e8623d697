using System.Diagnostics;

namespace DezhiHub.Bench;

/// <summary>
/// A started child process whose stdout/stderr are drained into a bounded buffer of the last lines.
/// Disposing it kills the whole process tree and waits for exit.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int TailCapacity = 50;
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly long _startTimestamp;
    private readonly Queue<string> _tail = new();
    private readonly Lock _tailLock = new();

    private ChildProcess(Process process, long startTimestamp)
    {
        _process = process;
        _startTimestamp = startTimestamp;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Exit code, or null while still running.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Time since just before the process was started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp);

    public static ChildProcess Start(ProcessStartInfo startInfo)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;

        var process = new Process { StartInfo = startInfo };
        var startTimestamp = Stopwatch.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new BenchException($"Could not start '{startInfo.FileName}': {ex.Message}");
        }

        var child = new ChildProcess(process, startTimestamp);
        process.OutputDataReceived += (_, e) => child.AddLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.AddLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the process wrote to stdout or stderr.</summary>
    public IReadOnlyList<string> Tail()
    {
        lock (_tailLock)
        {
            return [.. _tail];
        }
    }

    /// <summary>Resident set size in bytes: VmRSS from /proc/&lt;pid&gt;/status where available.</summary>
    public long ResidentMemoryBytes()
    {
        var status = $"/proc/{_process.Id}/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                // Format: "VmRSS:\t  123456 kB"
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var fields = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>CPU time (user + system) the process has used so far, from /proc/&lt;pid&gt;/stat on Linux.</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Number of threads the process has now (on Linux, the entries of /proc/&lt;pid&gt;/task).</summary>
    public int ThreadCount()
    {
        _process.Refresh();
        return _process.Threads.Count;
    }

    /// <summary>Kills the whole process tree (if still running) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        using var timeout = new CancellationTokenSource(ExitTimeout);
        try
        {
            // Also waits until the redirected output has been drained.
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new BenchException($"Process {_process.Id} did not exit within {ExitTimeout.TotalSeconds:0} s of being killed.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void AddLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tailLock)
        {
            if (_tail.Count == TailCapacity)
            {
                _tail.Dequeue();
            }

            _tail.Enqueue(line);
        }
    }
}
