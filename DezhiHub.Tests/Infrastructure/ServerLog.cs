using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// What the app under test logs at Warning and above, kept in memory so a browser test can fail on a server-side
/// error the page did not show (a component that logs "Missing &lt;MudPopoverProvider /&gt;" and renders nothing).
/// </summary>
public sealed class ServerLog : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public int Count => _entries.Count;

    /// <summary>Entries logged after the first <paramref name="skip"/> ones.</summary>
    public IReadOnlyList<Entry> Since(int skip) => [.. _entries.Skip(skip)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " — " + Exception.GetType().Name)}";
    }

    private sealed class Logger(ServerLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
