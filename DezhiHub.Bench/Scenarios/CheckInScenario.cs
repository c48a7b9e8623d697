using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DezhiHub.Bench.CheckIn;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Bench.Scenarios;

/// <summary>
/// QR check-in under load, through the real HTTP endpoint of the built app: volunteers signed in through the sign-in
/// form scan (GET /checkin/{token}, POST the confirm form) at 64 concurrent clients; throughput, latency, errors, and
/// the acknowledged check-ins compared with the attendance rows. Same run: the ceilings (the bare SQLite INSERT, a
/// bare HTTP endpoint) and our throughput as a ratio of the lower one.
/// </summary>
internal sealed class CheckInScenario : IScenario
{
    private const int DefaultVolunteers = 300;
    private const int DefaultCheckIns = 5000;
    private const int DefaultConcurrency = 64;
    private const int DefaultWarmUp = 6000;
    private const int DefaultRounds = 3;
    private const int SignInConcurrency = 16;
    private const int ConfirmPageProbes = 1000;

    // Other processes using more than this during the timed phase are worth a warning.
    private const double NoisyCores = 0.25;

    // Targets on the 2-core reference machine (the issue's numbers).
    private const double TargetPerSecond = 1000;
    private const double TargetP99Ms = 100;

    public string Name => "checkin";

    public string Description =>
        "QR check-in load: 64 clients scan+confirm over HTTP, 3 timed rounds of 5,000+ check-ins; per_s, p50/p95/p99, errors, lost, ceiling ratio " +
        "(options: --dll <path>, --volunteers <n>, --checkins <n>, --concurrency <n>, --warmup <n>, --rounds <n>)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = ParseArgs(args);
        var dll = Path.GetFullPath(options.Dll ?? RepoPaths.WebAppDll());
        if (!File.Exists(dll))
        {
            throw new BenchException(
                $"Web app not found at {dll}. Build it first (dotnet build -c {RepoPaths.Configuration} DezhiHub.Bench) or pass --dll <path>.");
        }

        var activitiesPerRound = (options.CheckIns + options.Volunteers - 1) / options.Volunteers;
        var activities = activitiesPerRound * options.Rounds;
        var warmUpActivities = (options.WarmUp + options.Volunteers - 1) / options.Volunteers;
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(CheckInKeyStore.KeyBytes));
        var tokens = AppTokens(signingKey);
        var environment = new Dictionary<string, string>
        {
            ["DezhiHub__CheckIn__SigningKey"] = signingKey,
            ["DezhiHub__AnonymousPostsPerMinute"] = "1000000",
            ["DezhiHub__Jobs__Enabled"] = "false",
        };
        // On PostgreSQL: a fresh database for the run (the app creates and migrates it), dropped afterwards.
        var postgres = options.Postgres ? BenchPostgres.Database($"dezhihub_bench_checkin_{Environment.ProcessId}") : null;
        if (postgres is not null)
        {
            await BenchPostgres.DropAsync(postgres, cancellationToken);
            environment["DezhiHub__Database__Provider"] = "PostgreSQL";
            environment["ConnectionStrings__DezhiHub"] = postgres;
        }

        var dataDir = Directory.CreateTempSubdirectory("dezhihub-bench-checkin-");
        try
        {
            var baseUri = WebAppProcess.LoopbackUri(WebAppProcess.FreeLoopbackPort());
            Console.WriteLine($"checkin: {dll} on {baseUri}, data in {dataDir.FullName}");
            Console.WriteLine("app environment: ASPNETCORE_ENVIRONMENT=Production, DezhiHub__SeedDemoData=false, DezhiHub__Jobs__Enabled=false, " +
                "DezhiHub__AnonymousPostsPerMinute=1000000 (sign-in posts of one address), DezhiHub__CheckIn__SigningKey=<random per run>");
            await using var app = ChildProcess.Start(WebAppProcess.StartInfo(dll, baseUri, dataDir.FullName, environment));
            using var http = Load.NewHttpClient();
            var readyMs = await WebAppProcess.WaitUntilReadyAsync(http, app, baseUri, message => WebAppProcess.FailAsync(app, $"checkin: {message}"), cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"app ready (migrated) in {readyMs:0} ms, pid {app.Id}"));

            // Seed beside the running app, then sign everyone in through the form (neither is timed).
            var seedStart = Stopwatch.GetTimestamp();
            CheckInData data;
            try
            {
                data = await CheckInSeeder.SeedAsync(dataDir.FullName, options.Volunteers, warmUpActivities, activities, cancellationToken, postgres);
            }
            catch (Exception ex) when (ex is DbUpdateException or SqliteException or Npgsql.NpgsqlException)
            {
                // E.g. --dll names an app whose schema differs from the one this tool was built with.
                throw await WebAppProcess.FailAsync(app, $"checkin: seeding the app's database failed: {ex.GetBaseException().Message}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeded: {data.Volunteers.Count} volunteers, {data.ActivityIds.Count} activities in progress (+{data.WarmUpActivityIds.Count} for the warm-up), " +
                $"{data.Volunteers.Count * (data.ActivityIds.Count + data.WarmUpActivityIds.Count)} confirmed sign-ups in {Stopwatch.GetElapsedTime(seedStart).TotalSeconds:0.0} s"));

            Dictionary<int, BrowserSession> sessions;
            try
            {
                sessions = await SignInAllAsync(http, baseUri, data.Volunteers, cancellationToken);
            }
            catch (BenchException ex)
            {
                throw await WebAppProcess.FailAsync(app, $"checkin: {ex.Message}");
            }


            // Warm-up: long enough for the JIT to finish tiering up the request path (a server at the door of an event
            // has been up for hours; a short warm-up measures the compiler, not the check-in).
            var warmUpPairs = data.WarmUpActivityIds.SelectMany(a => data.Volunteers.Select(v => (a, v.Id))).Take(options.WarmUp);
            var warmUp = await ScanAsync("warm-up", warmUpPairs, sessions, tokens, options.Concurrency, cancellationToken);

            // The request a check-in POST sends, to give the bare HTTP ceiling the same size; and the database as the
            // timed phase finds it, for the SQLite ceiling.
            var sample = await SampleRequestAsync(sessions[data.Volunteers[0].Id], tokens, data.WarmUpActivityIds[0], cancellationToken);
            var liveDatabase = Path.Combine(dataDir.FullName, DataServiceCollectionExtensions.DatabaseFileName);
            var ceilingDatabase = Path.Combine(Directory.CreateDirectory(Path.Combine(dataDir.FullName, "ceiling")).FullName, "copy.db");
            if (postgres is null)
            {
                Ceilings.CopyDatabase(liveDatabase, ceilingDatabase);
            }

            // Timed, in rounds on fresh activities (one machine's runs differ; the median round is reported): every
            // (volunteer, activity) pair once, activity by activity, so the requests in flight are 64 different people
            // at the same event.
            var rounds = new List<Round>();
            foreach (var (roundActivities, index) in data.ActivityIds.Chunk(activitiesPerRound).Select((a, i) => (a, i)))
            {
                var roundPairs = roundActivities.SelectMany(a => data.Volunteers.Select(v => (ActivityId: a, UserId: v.Id))).ToList();
                var cpuBefore = CpuSample.Take(app);
                var timed = await ScanAsync($"timed round {index + 1}/{options.Rounds}", roundPairs, sessions, tokens, options.Concurrency, cancellationToken);
                var round = new Round(roundPairs, timed.Elapsed, timed.Tally, CpuUse.Between(cpuBefore, CpuSample.Take(app)));
                Console.WriteLine($"  POST /checkin/{{token}} (the check-in): {round.Post}");
                Console.WriteLine($"  GET /checkin/{{token}} (confirm page):   {LatencySummary.From(timed.Tally.GetMs)}");
                Console.WriteLine($"  GET + POST (the person's wait):       {LatencySummary.From(timed.Tally.BothMs)}");
                Console.WriteLine($"  CPU: {round.Cpu.Describe(roundPairs.Count, "check-in")}; app RSS {app.ResidentMemoryBytes() / (1024 * 1024)} MiB, {app.ThreadCount()} threads");
                rounds.Add(round);
            }

            var median = rounds.OrderBy(r => r.PerSecond).ElementAt(rounds.Count / 2);
            var pairs = median.Pairs;
            var cpu = median.Cpu;
            var perSecond = median.PerSecond;
            var post = median.Post;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rounds: {string.Join(" / ", rounds.Select(r => $"{r.PerSecond:0}/s p99 {r.Post.P99:0.0} ms"))}; reported: the median round ({rounds.IndexOf(median) + 1})"));

            var acknowledged = rounds.SelectMany(r => r.Tally.Acknowledged).ToList();
            var (duplicates, lost, unacknowledged, rows) = await VerifyAsync(liveDatabase, postgres, data.ActivityIds, acknowledged, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"database: {rows} attendance rows for the {rounds.Sum(r => r.Pairs.Count)} timed pairs; acknowledged {acknowledged.Count}, " +
                $"duplicates {duplicates}, lost (acknowledged, no row) {lost}, recorded but not acknowledged {unacknowledged}"));

            var (probeCpu, probes) = await ConfirmPageProbeAsync(app, pairs, sessions, tokens, options.Concurrency, cancellationToken);
            var perCheckIn = cpu.AppMs(pairs.Count);
            var perPage = probeCpu.AppMs(probes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"app CPU per check-in (median round): {perCheckIn:0.00} ms = GET {perPage:0.00} ms + POST ~{perCheckIn - perPage:0.00} ms; " +
                $"{Environment.ProcessorCount} cores fully busy would allow ~{Environment.ProcessorCount * 1000 / perCheckIn:0} check-ins/s"));
            if (app.HasExited)
            {
                throw await WebAppProcess.FailAsync(app, $"checkin: the app exited with code {app.ExitCode} during the run.");
            }

            await app.StopAsync();

            // The SQLite ceiling only on SQLite; on PostgreSQL the bare HTTP one stands alone.
            var sqlite = postgres is null
                ? await Ceilings.SqliteInsertAsync(ceilingDatabase, pairs, options.Concurrency, cancellationToken)
                : null;
            if (sqlite is not null)
            {
                PrintCeiling("ceiling sqlite", $"{pairs.Count} attendance INSERTs, {options.Concurrency} tasks, app pragmas, a copy of the database", sqlite);
            }

            var bare = await Ceilings.BareHttpAsync(pairs.Count, options.Concurrency, sample.Path, sample.Cookies, sample.Fields, cancellationToken);
            PrintCeiling("ceiling http", string.Create(CultureInfo.InvariantCulture,
                $"{pairs.Count} POSTs to a bare Kestrel endpoint, {options.Concurrency} clients, {sample.Cookies.Length} B cookies + {sample.FormBytes} B form"), bare);

            var lower = Math.Min(sqlite?.PerSecond ?? double.MaxValue, bare.PerSecond);
            var ratio = perSecond / lower;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ceiling_ratio: {perSecond:0} / {lower:0} ({(sqlite is not null && sqlite.PerSecond <= bare.PerSecond ? "sqlite" : "http")}) = {ratio:0.00}"));
            if (warmUp.Tally.Errors.Count > 0)
            {
                Console.WriteLine($"note: the warm-up had errors too: {warmUp.Tally.Errors}");
            }

            if (rounds.Max(r => r.Cpu.OthersCores) is var others && others > NoisyCores)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"warning: other processes used up to {others:0.00} cores during the timed rounds: the machine was not quiet, the numbers are pessimistic"));
            }

            // Every error of every round counts, not only the reported round's.
            var errors = rounds.Sum(r => r.Tally.Errors.Count);
            ReportTargets(perSecond, post.P99, errors, duplicates, lost);
            ResultLine.Write(
                Name,
                postgres is null ? "sqlite" : "postgres",
                ("per_s", Math.Round(perSecond)),
                ("p50_ms", Math.Round(post.P50, 1)),
                ("p95_ms", Math.Round(post.P95, 1)),
                ("p99_ms", Math.Round(post.P99, 1)),
                ("errors", errors),
                ("duplicates", duplicates),
                ("lost", lost),
                ("ceiling_ratio", Math.Round(ratio, 2)));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            WebAppProcess.DeleteDirectory(dataDir);
            if (postgres is not null)
            {
                await BenchPostgres.DropAsync(postgres, CancellationToken.None);
            }

        }
    }

    /// <summary>The app's own token class with the key the app was given, so the tool shows the codes the screen would.</summary>
    internal static CheckInTokens AppTokens(string signingKey)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create<string, string?>(CheckInKeyStore.ConfigurationKey, signingKey)])
            .Build();
        // With a configured key the store never asks its service provider for the data folder.
        return new CheckInTokens(new CheckInKeyStore(configuration, new ServiceCollection().BuildServiceProvider()), TimeProvider.System);
    }

    internal static async Task<Dictionary<int, BrowserSession>> SignInAllAsync(
        HttpClient http, Uri baseUri, IReadOnlyList<Volunteer> volunteers, CancellationToken cancellationToken)
    {
        var sessions = new System.Collections.Concurrent.ConcurrentDictionary<int, BrowserSession>();
        var failures = new ErrorTally();
        var elapsed = await Load.RunAsync(volunteers, SignInConcurrency, async v =>
        {
            try
            {
                sessions[v.Id] = await ScanFlow.SignInAsync(http, baseUri, v.Phone, CheckInSeeder.Password, cancellationToken);
            }
            catch (BenchException ex)
            {
                failures.Add(ex.Message);
            }
            catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
            {
                failures.Add($"{ex.GetType().Name}: {ex.Message}");
            }
        }, cancellationToken);
        if (failures.Count > 0)
        {
            throw new BenchException($"{failures.Count} of {volunteers.Count} sign-ins failed: {failures}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"signed in {sessions.Count} volunteers through POST /account/login in {elapsed.TotalSeconds:0.0} s ({SignInConcurrency} at a time; not timed)"));
        return new Dictionary<int, BrowserSession>(sessions);
    }

    private static async Task<(TimeSpan Elapsed, ScanTally Tally)> ScanAsync(
        string phase,
        IEnumerable<(int ActivityId, int UserId)> pairs,
        Dictionary<int, BrowserSession> sessions,
        CheckInTokens tokens,
        int concurrency,
        CancellationToken cancellationToken)
    {
        var tally = new ScanTally();
        var list = pairs.ToList();
        var elapsed = await Load.RunAsync(
            list, concurrency, p => ScanFlow.CheckInAsync(sessions[p.UserId], tokens, p.ActivityId, p.UserId, tally, cancellationToken), cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase}: {list.Count} check-ins by {concurrency} clients in {elapsed.TotalSeconds:0.00} s: acknowledged {tally.Acknowledged.Count} " +
            $"({tally.Acknowledged.Count / elapsed.TotalSeconds:0.0}/s), errors {tally.Errors.Count}{(tally.Errors.Count > 0 ? $" ({tally.Errors})" : "")}"));
        return (elapsed, tally);
    }

    /// <summary>One check-in POST as the app receives it: path, Cookie header and form fields.</summary>
    private static async Task<(string Path, string Cookies, List<KeyValuePair<string, string>> Fields, long FormBytes)> SampleRequestAsync(
        BrowserSession session, CheckInTokens tokens, int activityId, CancellationToken cancellationToken)
    {
        var path = $"/checkin/{tokens.Issue(activityId, CheckInPurpose.CheckIn)}";
        var page = await session.GetAsync(path, cancellationToken);
        var fields = BrowserSession.HiddenFields(page.Body);
        if (fields.Count == 0)
        {
            throw new BenchException($"GET {path} answered {ErrorTally.Describe(page.Status)} without a form to post.");
        }

        // The page a phone downloads on every scan (it matters on a slow connection, and every character is rendered).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"confirm page: {System.Text.Encoding.UTF8.GetByteCount(page.Body):N0} bytes of HTML"));
        using var form = new FormUrlEncodedContent(fields);
        var formBytes = (await form.ReadAsByteArrayAsync(cancellationToken)).LongLength;
        return (path, session.CookieHeader, fields, formBytes);
    }

    /// <summary>Attendance rows of the timed activities against the acknowledged pairs.</summary>
    private static async Task<(int Duplicates, int Lost, int Unacknowledged, int Rows)> VerifyAsync(
        string databaseFile, string? postgres, IReadOnlyList<int> activityIds, List<(int ActivityId, int UserId)> acknowledgedPairs, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<(int, int), int>();
        await using (System.Data.Common.DbConnection connection = postgres is not null
            ? new Npgsql.NpgsqlConnection(postgres)
            : new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = databaseFile,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString()))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT \"ActivityId\", \"UserId\", COUNT(*) FROM \"Attendance\" WHERE \"ActivityId\" IN ({string.Join(',', activityIds)}) GROUP BY \"ActivityId\", \"UserId\";";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[(reader.GetInt32(0), reader.GetInt32(1))] = Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture);
            }
        }

        var acknowledged = acknowledgedPairs.ToHashSet();
        var duplicates = rows.Values.Sum(n => n - 1);
        var lost = acknowledged.Count(p => !rows.ContainsKey(p));
        var unacknowledged = rows.Keys.Count(p => !acknowledged.Contains(p));
        // A pair acknowledged twice would be a duplicate the database did not catch (each pair is scanned once).
        duplicates += acknowledgedPairs.Count - acknowledged.Count;
        return (duplicates, lost, unacknowledged, rows.Values.Sum());
    }

    /// <summary>Diagnostic: the confirm page alone, to split the app's cost between the GET and the POST of a scan.</summary>
    private static async Task<(CpuUse Cpu, int Pages)> ConfirmPageProbeAsync(
        ChildProcess app,
        IReadOnlyList<(int ActivityId, int UserId)> pairs,
        Dictionary<int, BrowserSession> sessions,
        CheckInTokens tokens,
        int concurrency,
        CancellationToken cancellationToken)
    {
        var tally = new ScanTally();
        var probes = pairs.Take(ConfirmPageProbes).ToList();
        var before = CpuSample.Take(app);
        var elapsed = await Load.RunAsync(
            probes, concurrency, p => ScanFlow.OpenConfirmPageAsync(sessions[p.UserId], tokens, p.ActivityId, tally, cancellationToken), cancellationToken);
        var cpu = CpuUse.Between(before, CpuSample.Take(app));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"diagnostic, GET /checkin/{{token}} alone: {probes.Count} pages by {concurrency} clients, {probes.Count / elapsed.TotalSeconds:0}/s, errors {tally.Errors.Count}; " +
            $"{LatencySummary.From(tally.GetMs)}"));
        Console.WriteLine($"  CPU: {cpu.Describe(probes.Count, "page")}");
        return (cpu, probes.Count);
    }

    private static void PrintCeiling(string label, string what, CeilingResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {what}: {result.PerSecond:0}/s in {result.Elapsed.TotalSeconds:0.00} s, errors {result.Errors.Count}" +
            $"{(result.Errors.Count > 0 ? $" ({result.Errors})" : "")}; {result.Latency}"));

    private static void ReportTargets(double perSecond, double p99, int errors, int duplicates, int lost)
    {
        if (perSecond < TargetPerSecond)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target missed: {perSecond:0} check-ins/s < {TargetPerSecond:0}/s"));
        }

        if (p99 > TargetP99Ms)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target missed: p99 {p99:0.0} ms > {TargetP99Ms:0} ms"));
        }

        if (errors > 0)
        {
            Console.WriteLine($"target missed: {errors} errors (want 0)");
        }

        if (duplicates > 0)
        {
            Console.WriteLine($"target missed: {duplicates} duplicate attendance rows (want 0)");
        }

        if (lost > 0)
        {
            Console.WriteLine($"target missed: {lost} acknowledged check-ins missing from the database (want 0)");
        }
    }

    private static Options ParseArgs(string[] args)
    {
        var options = new Options(null, DefaultVolunteers, DefaultCheckIns, DefaultConcurrency, DefaultWarmUp, DefaultRounds);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (int?)null;
            options = (args[i], value, number) switch
            {
                ("--dll", not null, _) => options with { Dll = value },
                ("--volunteers", _, { } v) => options with { Volunteers = v },
                ("--checkins", _, { } v) => options with { CheckIns = v },
                ("--concurrency", _, { } v) => options with { Concurrency = v },
                ("--warmup", _, { } v) => options with { WarmUp = v },
                ("--rounds", _, { } v) => options with { Rounds = v },
                ("--provider", "sqlite" or "postgres", _) => options with { Postgres = value == "postgres" },
                _ => throw new BenchException(
                    $"checkin: bad argument '{args[i]}'. Usage: checkin [--dll <path>] [--volunteers <n>] [--checkins <n>] [--concurrency <n>] [--warmup <n>] [--rounds <n>] [--provider sqlite|postgres]"),
            };
            i++;
        }

        return options;
    }

    private sealed record Options(string? Dll, int Volunteers, int CheckIns, int Concurrency, int WarmUp, int Rounds, bool Postgres = false);

    /// <summary>One timed round: its pairs, wall-clock time, outcomes and CPU.</summary>
    private sealed record Round(List<(int ActivityId, int UserId)> Pairs, TimeSpan Elapsed, ScanTally Tally, CpuUse Cpu)
    {
        public double PerSecond => Tally.Acknowledged.Count / Elapsed.TotalSeconds;

        public LatencySummary Post { get; } = LatencySummary.From(Tally.PostMs);
    }

    /// <summary>CPU counters at one moment: the app, this tool, the whole machine.</summary>
    private sealed record CpuSample(TimeSpan App, TimeSpan Tool, TimeSpan? Machine, long Timestamp)
    {
        public static CpuSample Take(ChildProcess app)
        {
            using var self = Process.GetCurrentProcess();
            return new CpuSample(app.ProcessorTime(), self.TotalProcessorTime, MachineCpu.Busy(), Stopwatch.GetTimestamp());
        }
    }

    /// <summary>CPU used between two samples, in cores (CPU seconds per wall-clock second).</summary>
    private sealed record CpuUse(TimeSpan App, TimeSpan Tool, TimeSpan? Machine, TimeSpan Wall)
    {
        public double AppCores => App / Wall;

        public double ToolCores => Tool / Wall;

        /// <summary>Everything else running on the machine meanwhile (0 where the machine's counters are unknown).</summary>
        public double OthersCores => Machine is { } machine ? Math.Max(0, (machine - App - Tool) / Wall) : 0;

        public static CpuUse Between(CpuSample before, CpuSample after) => new(
            after.App - before.App,
            after.Tool - before.Tool,
            after.Machine - before.Machine,
            Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp));

        public double AppMs(int operations) => App.TotalMilliseconds / operations;

        public string Describe(int operations, string unit)
        {
            var others = Machine is null ? "" : string.Create(CultureInfo.InvariantCulture, $", other processes {OthersCores:0.00} cores");
            return string.Create(CultureInfo.InvariantCulture,
                $"app {AppCores:0.00} cores ({AppMs(operations):0.00} ms per {unit}), load tool {ToolCores:0.00} cores " +
                $"({Tool.TotalMilliseconds / operations:0.00} ms per {unit}){others}, of {Environment.ProcessorCount} cores");
        }
    }
}
