using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using DezhiHub.Web.Data;
using DezhiHub.Web.Data.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DezhiHub.Bench.CheckIn;

/// <summary>How fast one bare piece of the check-in went on its own.</summary>
internal sealed record CeilingResult(int Done, ErrorTally Errors, TimeSpan Elapsed, LatencySummary Latency)
{
    public double PerSecond => Done / Elapsed.TotalSeconds;
}

/// <summary>
/// The two things a check-in cannot be faster than on this machine, measured with the same 64-worker pattern:
/// the attendance INSERT alone in SQLite, and an HTTP round trip to an endpoint that does nothing.
/// </summary>
internal static class Ceilings
{

    // The statement EF Core sends for the app's AttendanceRecord.CheckIn: all mapped columns, then the new id back.
    private const string InsertAttendance =
        "INSERT INTO \"Attendance\" (\"ActivityId\", \"CheckInMethod\", \"CheckOutMethod\", \"CheckedInAtUtc\", \"CheckedOutAtUtc\", " +
        "\"CreditedAtUtc\", \"CreditedMinutes\", \"ManualReason\", \"RecordedByUserId\", \"UserId\") " +
        "VALUES (@p0, @p1, NULL, @p2, NULL, NULL, NULL, NULL, NULL, @p3) RETURNING \"Id\";";

    /// <summary>
    /// A consistent copy of the live database (SQLite's online backup, so the running app may hold it open), in WAL mode
    /// like the original.
    /// </summary>
    public static void CopyDatabase(string source, string destination)
    {
        using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);
            using var wal = to.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The same inserts as the timed phase, straight into a copy of the database: <paramref name="concurrency"/> tasks,
    /// each with its own connection (the app's connection string and pragmas) and a prepared INSERT, one transaction
    /// per row (the app's check-in saves in its own transaction). Connections are opened before the clock starts.
    /// </summary>
    public static async Task<CeilingResult> SqliteInsertAsync(
        string databaseFile, IReadOnlyCollection<(int ActivityId, int UserId)> pairs, int concurrency, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = false,
        }.ToString();
        var queue = new ConcurrentQueue<(int ActivityId, int UserId)>(pairs);
        var latencies = new ConcurrentBag<double>();
        var errors = new ErrorTally();
        var done = 0;
        var settingUp = concurrency;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(
            async () =>
            {
                await using var connection = new SqliteConnection(connectionString);
                await using var insert = connection.CreateCommand();
                SqliteParameter activityId, method, at, userId;
                try
                {
                    await connection.OpenAsync(cancellationToken);
                    // What the app's SqlitePragmas interceptor does on every native connection it opens.
                    SqliteConnectionSettings.Apply(connection);

                    insert.CommandText = InsertAttendance;
                    activityId = insert.Parameters.Add("@p0", SqliteType.Integer);
                    method = insert.Parameters.Add("@p1", SqliteType.Text);
                    at = insert.Parameters.Add("@p2", SqliteType.Text);
                    userId = insert.Parameters.Add("@p3", SqliteType.Integer);
                    insert.Prepare();
                }
                finally
                {
                    if (Interlocked.Decrement(ref settingUp) == 0)
                    {
                        ready.SetResult();
                    }
                }

                await go.Task;

                while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out var pair))
                {
                    activityId.Value = pair.ActivityId;
                    method.Value = "Screen";
                    at.Value = DateTime.UtcNow;
                    userId.Value = pair.UserId;
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        // BEGIN IMMEDIATE … COMMIT, as EF's BeginTransaction does on SQLite.
                        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                        insert.Transaction = (SqliteTransaction)transaction;
                        await insert.ExecuteScalarAsync(cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        Interlocked.Increment(ref done);
                    }
                    catch (SqliteException ex)
                    {
                        errors.Add($"SQLite error {ex.SqliteErrorCode}/{ex.SqliteExtendedErrorCode}: {ex.Message}");
                    }

                    // Microsoft.Data.Sqlite completes "async" calls synchronously: yield so the tasks take turns like requests do.
                    await Task.Yield();
                }
            },
            cancellationToken)).ToList();

        await ready.Task.WaitAsync(cancellationToken);
        var clock = Stopwatch.GetTimestamp();
        go.SetResult();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (SqliteException ex)
        {
            throw new BenchException($"SQLite ceiling: could not prepare the insert on {databaseFile}: {ex.Message}");
        }

        var elapsed = Stopwatch.GetElapsedTime(clock);
        cancellationToken.ThrowIfCancellationRequested();
        return new CeilingResult(done, errors, elapsed, LatencySummary.From(latencies));
    }

    /// <summary>
    /// A minimal Kestrel app in this process on 127.0.0.1 (slim builder, no logging, one POST endpoint answering a
    /// two-byte 200) hit by <paramref name="concurrency"/> workers with <paramref name="requests"/> POSTs shaped like
    /// the check-in's: the same path length, Cookie header and form body. A short warm-up runs first.
    /// </summary>
    public static async Task<CeilingResult> BareHttpAsync(
        int requests, int concurrency, string samplePath, string cookieHeader, IReadOnlyList<KeyValuePair<string, string>> formFields, CancellationToken cancellationToken)
    {
        var baseUri = WebAppProcess.LoopbackUri(WebAppProcess.FreeLoopbackPort());
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(baseUri.GetLeftPart(UriPartial.Authority));
        await using var app = builder.Build();
        app.MapPost("/checkin/{token}", () => Results.Text("ok"));
        await app.StartAsync(cancellationToken);
        try
        {
            using var http = Load.NewHttpClient();
            async Task PostAsync(Round round)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, samplePath)) { Content = new FormUrlEncodedContent(formFields) };
                request.Headers.Referrer = request.RequestUri;
                request.Headers.Add("Cookie", cookieHeader);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    _ = await response.Content.ReadAsStringAsync(cancellationToken);
                    round.Latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        round.CountDone();
                    }
                    else
                    {
                        round.Errors.Add($"POST {ErrorTally.Describe(response.StatusCode)}");
                    }
                }
                catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
                {
                    round.Errors.Add($"{ex.GetType().Name}: {ex.Message}");
                }
            }

            var warmUp = new Round();
            await Load.RunAsync(Enumerable.Repeat(warmUp, Math.Max(concurrency * 8, requests / 10)), concurrency, PostAsync, cancellationToken);
            var timed = new Round();
            var elapsed = await Load.RunAsync(Enumerable.Repeat(timed, requests), concurrency, PostAsync, cancellationToken);
            return new CeilingResult(timed.Done, timed.Errors, elapsed, LatencySummary.From(timed.Latencies));
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private sealed class Round
    {
        public ConcurrentBag<double> Latencies { get; } = [];

        public ErrorTally Errors { get; } = new();

        private int _done;

        public int Done => Volatile.Read(ref _done);

        public void CountDone() => Interlocked.Increment(ref _done);
    }
}
