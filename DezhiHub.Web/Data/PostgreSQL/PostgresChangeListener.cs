using System.Globalization;
using DezhiHub.Web.Platform.Live;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DezhiHub.Web.Data.PostgreSQL;

/// <summary>
/// On PostgreSQL, listens on the channel the change triggers notify at commit (migration <c>LiveChanges</c>: payloads
/// such as <c>attendance:42</c>) and raises each change in this instance's <see cref="LiveChanges"/> — so a check-in made
/// on one instance reaches the roster open on another within milliseconds. A lost connection is opened again (1 s, then
/// up to 15 s apart), and every page re-reads once it is back, since changes made meanwhile were not heard.
/// </summary>
internal sealed class PostgresChangeListener(
    IOptions<DatabaseOptions> options, LiveChanges live, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    public const string Channel = "dezhihub_live";

    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(15);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place (tests wait for it before they change anything).</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Engine != DatabaseProvider.PostgreSQL)
        {
            return;
        }

        var pause = TimeSpan.FromSeconds(1);
        var heardBefore = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Outside the pool: this connection stays open and LISTENs for the instance's lifetime.
                var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString) { Pooling = false, KeepAlive = 30 };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Raise(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (heardBefore)
                {
                    logger.LogInformation("Listening for changes again; every open page re-reads.");
                    live.Raise(new Change(ChangeKind.Everything, 0));
                }

                heardBefore = true;
                _listening.TrySetResult();
                pause = TimeSpan.FromSeconds(1);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                logger.LogWarning("Listening for changes failed ({Reason}); trying again in {Seconds} s.", ex.Message, pause.TotalSeconds);
                try
                {
                    await Task.Delay(pause, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }
    }

    /// <summary>"attendance:42" → the change; anything else is ignored.</summary>
    internal static Change? Parse(string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !int.TryParse(payload.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        return payload[..colon] switch
        {
            "notifications" => new Change(ChangeKind.Notifications, id),
            "attendance" => new Change(ChangeKind.Attendance, id),
            "audit" => new Change(ChangeKind.Audit, id),
            _ => null,
        };
    }

    private void Raise(string payload)
    {
        if (Parse(payload) is { } change)
        {
            live.Raise(change);
        }
    }
}
