using Microsoft.Extensions.Logging;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>What the app logged, as an operator reading its console would see it: category, level, message, exception.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>An <see cref="ILoggerProvider"/> that keeps every entry, so a test can assert what the app logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly List<LogEntry> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>How many entries so far; pass it to <see cref="Since"/> to see only what a test's own requests logged.</summary>
    public int Mark
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public IReadOnlyList<LogEntry> Since(int mark)
    {
        lock (_lock)
        {
            return _entries.Skip(mark).ToList();
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_lock)
        {
            _entries.Add(entry);
        }
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
