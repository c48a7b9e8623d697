using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DezhiHub.Bench.CheckIn;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Bench.Booking;

/// <summary>
/// Wedding-service bookings under load, through the real HTTP endpoint of the built app: residents signed in through
/// the sign-in form open a slot's booking page and post its form (GET + POST /weddings/book/{id}/{start}) at 64
/// concurrent clients, every request for a distinct free slot of 80 halls, stewards and registration offices; then, in
/// the same run, a same-slot race (200 residents for one hall slot and 200 for a 10-place registration slot, all
/// posting at once). Bookings/s, POST latency, errors, and double bookings counted straight from the database.
/// </summary>
internal sealed class BookingScenario : IScenario
{
    private const int DefaultResidents = 300;
    private const int DefaultBookings = 5120;
    private const int DefaultConcurrency = 64;
    // Enough for the JIT to finish its tiering: after 256, perf put 18 % of the app's CPU in the timed phase in the JIT.
    private const int DefaultWarmUp = 3000;
    private const int DefaultRacers = 200;
    private const int Halls = 48;
    private const int Stewards = 16;
    private const int Offices = 16;
    private const int SignInConcurrency = 16;
    private const int PageProbes = 1000;

    // Other processes using more than this during the timed phase are worth a warning.
    private const double NoisyCores = 0.25;

    // Target on the 2-core reference machine (the issue's number).
    private const double TargetPerSecond = 300;
    private const double TargetP99Ms = 200;

    public string Name => "booking";

    public string Description =>
        "Wedding bookings: 64 clients GET+POST the booking page over HTTP, 5,000+ distinct slots, then a same-slot race; " +
        "per_s, p50/p95/p99, double_booked, errors (options: --dll <path>, --residents <n>, --bookings <n>, --concurrency <n>, --warmup <n>, --racers <n>)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = ParseArgs(args);
        var dll = Path.GetFullPath(options.Dll ?? RepoPaths.WebAppDll());
        if (!File.Exists(dll))
        {
            throw new BenchException(
                $"Web app not found at {dll}. Build it first (dotnet build -c {RepoPaths.Configuration} DezhiHub.Bench) or pass --dll <path>.");
        }

        if (options.Racers > options.Residents)
        {
            throw new BenchException($"booking: --racers ({options.Racers}) cannot exceed --residents ({options.Residents}).");
        }

        var environment = new Dictionary<string, string>
        {
            ["DezhiHub__AnonymousPostsPerMinute"] = "1000000",
            ["DezhiHub__Jobs__Enabled"] = "false",
        };
        // On PostgreSQL: a fresh database for the run (the app creates and migrates it), dropped afterwards.
        var postgres = options.Postgres ? BenchPostgres.Database($"dezhihub_bench_booking_{Environment.ProcessId}") : null;
        if (postgres is not null)
        {
            await BenchPostgres.DropAsync(postgres, cancellationToken);
            environment["DezhiHub__Database__Provider"] = "PostgreSQL";
            environment["ConnectionStrings__DezhiHub"] = postgres;
        }

        var dataDir = Directory.CreateTempSubdirectory("dezhihub-bench-booking-");
        try
        {
            var baseUri = WebAppProcess.LoopbackUri(WebAppProcess.FreeLoopbackPort());
            Console.WriteLine($"booking: {dll} on {baseUri}, data in {dataDir.FullName}");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at the start");
            Console.WriteLine("app environment: ASPNETCORE_ENVIRONMENT=Production, DezhiHub__SeedDemoData=false, DezhiHub__Jobs__Enabled=false, " +
                "DezhiHub__AnonymousPostsPerMinute=1000000 (sign-in posts of one address)");
            await using var app = ChildProcess.Start(WebAppProcess.StartInfo(dll, baseUri, dataDir.FullName, environment));
            using var http = Load.NewHttpClient();
            var readyMs = await WebAppProcess.WaitUntilReadyAsync(http, app, baseUri, message => WebAppProcess.FailAsync(app, $"booking: {message}"), cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"app ready (migrated) in {readyMs:0} ms, pid {app.Id}"));

            // Seed beside the running app, then sign everyone in through the form (neither is timed).
            var seedStart = Stopwatch.GetTimestamp();
            BookingData data;
            try
            {
                data = await BookingSeeder.SeedAsync(
                    dataDir.FullName,
                    new BookingPlan(options.Residents, Halls, Stewards, Offices, options.WarmUp, options.Bookings, options.Racers),
                    cancellationToken,
                    postgres);
            }
            catch (Exception ex) when (ex is DbUpdateException or SqliteException or Npgsql.NpgsqlException)
            {
                throw await WebAppProcess.FailAsync(app, $"booking: seeding the app's database failed: {ex.GetBaseException().Message}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeded: {data.Residents.Count} residents; {Describe(data.Services)} (+1 hall and 1 office for the race); " +
                $"planned {data.WarmUp.Count} warm-up and {data.Timed.Count} timed bookings on distinct free slots " +
                $"({Describe(data.Timed.GroupBy(t => t.Kind).ToDictionary(g => g.Key, g => g.Count()))}), " +
                $"{data.Timed.Select(t => t.StartUtc.Date).Distinct().Count()} days; in {Stopwatch.GetElapsedTime(seedStart).TotalSeconds:0.0} s"));

            List<BrowserSession> sessions;
            try
            {
                sessions = await SignInAllAsync(http, baseUri, data.Residents, cancellationToken);
            }
            catch (BenchException ex)
            {
                throw await WebAppProcess.FailAsync(app, $"booking: {ex.Message}");
            }

            var warmUp = await BookAllAsync("warm-up", data.WarmUp, sessions, options.Concurrency, cancellationToken);
            // The cold server's side of the story: the same requests while the JIT is still tiering.
            Console.WriteLine($"  POST (warm-up, a freshly started app): {LatencySummary.From(warmUp.Tally.PostMs)}");

            // Diagnostic, before the timed phase (the GET changes nothing): the booking page alone on slots the timed
            // phase books, to split the app's CPU per booking between the GET and the POST.
            var (pageCpu, pages) = await PageProbeAsync(app, data.Timed.Take(PageProbes).ToList(), sessions, options.Concurrency, cancellationToken);

            // Timed: every planned booking once, round-robin over the services.
            var cpuBefore = CpuSample.Take(app);
            var timed = await BookAllAsync("timed", data.Timed, sessions, options.Concurrency, cancellationToken);
            var cpu = CpuUse.Between(cpuBefore, CpuSample.Take(app));
            var perSecond = timed.Tally.Acknowledged.Count / timed.Elapsed.TotalSeconds;
            var post = LatencySummary.From(timed.Tally.PostMs);
            Console.WriteLine($"  POST /weddings/book/{{id}}/{{start}} (the booking): {post}");
            Console.WriteLine($"  GET /weddings/book/{{id}}/{{start}} (the form):     {LatencySummary.From(timed.Tally.GetMs)}");
            Console.WriteLine($"  GET + POST (the resident's wait):               {LatencySummary.From(timed.Tally.BothMs)}");
            Console.WriteLine($"  CPU: {cpu.Describe(data.Timed.Count, "booking")}; app RSS {app.ResidentMemoryBytes() / (1024 * 1024)} MiB, {app.ThreadCount()} threads");

            var perBooking = cpu.App.TotalMilliseconds / data.Timed.Count;
            var perPage = pageCpu.App.TotalMilliseconds / pages;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"app CPU per booking: {perBooking:0.00} ms = GET {perPage:0.00} ms + POST ~{perBooking - perPage:0.00} ms; " +
                $"{Environment.ProcessorCount} cores fully busy would allow ~{Environment.ProcessorCount * 1000 / perBooking:0} bookings/s"));

            // The race: every racer opens both booking pages, then all post both at the same moment.
            var racers = sessions.Take(options.Racers).ToList();
            var (hall, office) = (new BookTally(), new BookTally());
            var hallForms = await BookFlow.OpenRaceAsync(racers, data.HallRace, hall, cancellationToken);
            var officeForms = await BookFlow.OpenRaceAsync(racers, data.OfficeRace, office, cancellationToken);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var posts = Task.WhenAll(
                BookFlow.PostRaceAsync(racers, data.HallRace, hallForms, hall, go.Task, cancellationToken),
                BookFlow.PostRaceAsync(racers, data.OfficeRace, officeForms, office, go.Task, cancellationToken));
            var raceStart = Stopwatch.GetTimestamp();
            go.SetResult();
            await posts;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"race ({racers.Count} residents for each slot, {2 * racers.Count} POSTs at once, {Stopwatch.GetElapsedTime(raceStart).TotalSeconds:0.00} s):"));
            PrintRace("hall slot (1 couple)", data.HallRace, hall);
            PrintRace("registration slot (10 couples)", data.OfficeRace, office);

            if (app.HasExited)
            {
                throw await WebAppProcess.FailAsync(app, $"booking: the app exited with code {app.ExitCode} during the run.");
            }

            await app.StopAsync();

            var acknowledged = timed.Tally.Acknowledged.Concat(warmUp.Tally.Acknowledged).Concat(hall.Acknowledged).Concat(office.Acknowledged).ToList();
            var audit = await BookingAudit.RunAsync(
                Path.Combine(dataDir.FullName, DataServiceCollectionExtensions.DatabaseFileName), postgres, acknowledged, data.HallRace, data.OfficeRace, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"database: {audit.ActiveBookings} active bookings for {acknowledged.Count} acknowledged; lost (acknowledged, not active) {audit.Lost}; " +
                $"race slots held: hall {audit.HallRaceHeld} (of 1), registration {audit.OfficeRaceHeld} (of {data.OfficeRace.Places})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"double bookings: {audit.OverlappingPairs} overlapping pairs of active bookings of one hall or steward (SQL self-join, buffers included), " +
                $"{audit.OverCapacity} places beyond capacity in registration slots"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"engine bookkeeping: {audit.StaleClaims} claim rows of inactive bookings, {audit.UnclaimedBookings} active exclusive bookings without claims, " +
                $"{audit.CountMismatches} slot counters different from their active bookings"));

            if (warmUp.Tally.Errors.Count > 0)
            {
                Console.WriteLine($"note: the warm-up had errors too: {warmUp.Tally.Errors}");
            }

            if (cpu.OthersCores > NoisyCores)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"warning: other processes used {cpu.OthersCores:0.00} cores during the timed phase: the machine was not quiet, the numbers are pessimistic"));
            }

            Console.WriteLine($"machine: load average {LoadAverage()} at the end");
            var raceAnomalies = (hall.Acknowledged.Count != 1 ? 1 : 0) + (office.Acknowledged.Count != data.OfficeRace.Places ? 1 : 0);
            var errors = timed.Tally.Errors.Count + hall.Errors.Count + office.Errors.Count + audit.Lost;
            var doubleBooked = audit.DoubleBooked;
            ReportTargets(perSecond, post.P99, errors, doubleBooked, raceAnomalies, audit);
            ResultLine.Write(
                Name,
                postgres is null ? "sqlite" : "postgres",
                ("per_s", Math.Round(perSecond)),
                ("p99_ms", Math.Round(post.P99, 1)),
                ("double_booked", doubleBooked),
                ("errors", errors));
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

    internal static async Task<List<BrowserSession>> SignInAllAsync(
        HttpClient http, Uri baseUri, IReadOnlyList<Resident> residents, CancellationToken cancellationToken)
    {
        var sessions = new ConcurrentDictionary<int, BrowserSession>();
        var failures = new ErrorTally();
        var elapsed = await Load.RunAsync(Enumerable.Range(0, residents.Count), SignInConcurrency, async i =>
        {
            try
            {
                sessions[i] = await ScanFlow.SignInAsync(http, baseUri, residents[i].Phone, BookingSeeder.Password, cancellationToken);
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
            throw new BenchException($"{failures.Count} of {residents.Count} sign-ins failed: {failures}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"signed in {sessions.Count} residents through POST /account/login in {elapsed.TotalSeconds:0.0} s ({SignInConcurrency} at a time; not timed)"));
        return [.. Enumerable.Range(0, residents.Count).Select(i => sessions[i])];
    }

    private static async Task<(TimeSpan Elapsed, BookTally Tally)> BookAllAsync(
        string phase, IReadOnlyList<SlotTarget> targets, List<BrowserSession> sessions, int concurrency, CancellationToken cancellationToken)
    {
        var tally = new BookTally();
        var elapsed = await Load.RunAsync(
            targets, concurrency, t => BookFlow.BookAsync(sessions[t.ResidentIndex], t, tally, cancellationToken), cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase}: {targets.Count} bookings by {concurrency} clients in {elapsed.TotalSeconds:0.00} s: acknowledged {tally.Acknowledged.Count} " +
            $"({tally.Acknowledged.Count / elapsed.TotalSeconds:0.0}/s), errors {tally.Errors.Count}{(tally.Errors.Count > 0 ? $" ({tally.Errors})" : "")}"));
        return (elapsed, tally);
    }

    private static async Task<(CpuUse Cpu, int Pages)> PageProbeAsync(
        ChildProcess app, List<SlotTarget> targets, List<BrowserSession> sessions, int concurrency, CancellationToken cancellationToken)
    {
        var tally = new BookTally();
        var before = CpuSample.Take(app);
        var elapsed = await Load.RunAsync(
            targets, concurrency, t => BookFlow.OpenOnlyAsync(sessions[t.ResidentIndex], t, tally, cancellationToken), cancellationToken);
        var cpu = CpuUse.Between(before, CpuSample.Take(app));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"diagnostic, GET of the booking page alone: {targets.Count} pages by {concurrency} clients, {targets.Count / elapsed.TotalSeconds:0}/s, " +
            $"errors {tally.Errors.Count}; {LatencySummary.From(tally.GetMs)}"));
        Console.WriteLine($"  CPU: {cpu.Describe(targets.Count, "page")}");
        return (cpu, targets.Count);
    }

    private static void PrintRace(string label, RaceSlot slot, BookTally tally) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}, resource {slot.ResourceId} at {slot.StartUtc:yyyy-MM-dd HH:mm}Z: booked {tally.Acknowledged.Count}, " +
            $"refused {tally.Refusals.Count} ({tally.Refusals}), errors {tally.Errors.Count}{(tally.Errors.Count > 0 ? $" ({tally.Errors})" : "")}; " +
            $"POST {LatencySummary.From(tally.PostMs)}"));

    private static string Describe(IReadOnlyDictionary<WeddingServiceKind, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value} {c.Key}")));

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg ("?" where there is none).</summary>
    private static string LoadAverage()
    {
        const string file = "/proc/loadavg";
        return File.Exists(file) ? string.Join(' ', File.ReadAllText(file).Split(' ').Take(3)) : "?";
    }

    private static void ReportTargets(double perSecond, double p99Ms, int errors, int doubleBooked, int raceAnomalies, BookingAuditResult audit)
    {
        if (perSecond < TargetPerSecond)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target missed: {perSecond:0} bookings/s < {TargetPerSecond:0}/s"));
        }

        if (p99Ms > TargetP99Ms)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target missed: POST p99 {p99Ms:0.0} ms > {TargetP99Ms:0} ms"));
        }

        if (errors > 0)
        {
            Console.WriteLine($"target missed: {errors} errors (want 0)");
        }

        if (doubleBooked > 0)
        {
            Console.WriteLine($"target missed: {doubleBooked} double bookings (want 0)");
        }

        if (raceAnomalies > 0)
        {
            Console.WriteLine("target missed: the race did not end with exactly 1 hall booking and 10 registration places");
        }

        if (audit.StaleClaims + audit.UnclaimedBookings + audit.CountMismatches > 0)
        {
            Console.WriteLine("target missed: the engine's claims or counters disagree with its bookings (see above)");
        }
    }

    private static Options ParseArgs(string[] args)
    {
        var options = new Options(null, DefaultResidents, DefaultBookings, DefaultConcurrency, DefaultWarmUp, DefaultRacers);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (int?)null;
            options = (args[i], value, number) switch
            {
                ("--dll", not null, _) => options with { Dll = value },
                ("--residents", _, { } v) => options with { Residents = v },
                ("--bookings", _, { } v) => options with { Bookings = v },
                ("--concurrency", _, { } v) => options with { Concurrency = v },
                ("--warmup", _, { } v) => options with { WarmUp = v },
                ("--racers", _, { } v) => options with { Racers = v },
                ("--provider", "sqlite" or "postgres", _) => options with { Postgres = value == "postgres" },
                _ => throw new BenchException(
                    $"booking: bad argument '{args[i]}'. Usage: booking [--dll <path>] [--residents <n>] [--bookings <n>] [--concurrency <n>] [--warmup <n>] [--racers <n>] [--provider sqlite|postgres]"),
            };
            i++;
        }

        return options;
    }

    private sealed record Options(string? Dll, int Residents, int Bookings, int Concurrency, int WarmUp, int Racers, bool Postgres = false);

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
        /// <summary>Everything else running on the machine meanwhile (0 where the machine's counters are unknown).</summary>
        public double OthersCores => Machine is { } machine ? Math.Max(0, (machine - App - Tool) / Wall) : 0;

        public static CpuUse Between(CpuSample before, CpuSample after) => new(
            after.App - before.App,
            after.Tool - before.Tool,
            after.Machine - before.Machine,
            Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp));

        public string Describe(int operations, string unit)
        {
            var others = Machine is null ? "" : string.Create(CultureInfo.InvariantCulture, $", other processes {OthersCores:0.00} cores");
            return string.Create(CultureInfo.InvariantCulture,
                $"app {App / Wall:0.00} cores ({App.TotalMilliseconds / operations:0.00} ms per {unit}), load tool {Tool / Wall:0.00} cores " +
                $"({Tool.TotalMilliseconds / operations:0.00} ms per {unit}){others}, of {Environment.ProcessorCount} cores");
        }
    }
}
