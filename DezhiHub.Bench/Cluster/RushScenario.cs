using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DezhiHub.Bench.Booking;
using DezhiHub.Bench.CheckIn;
using DezhiHub.Web.Features.Weddings;
using Npgsql;

namespace DezhiHub.Bench.Cluster;

/// <summary>
/// The opening rush (issue 13): like a 5·20 registration day opening at midnight — 2,000 signed-in residents, each with
/// the booking page of one of the day's 18 registration slots (10 couples each, 180 places) open, all post within the
/// same second, through nginx, once with one instance behind it and once with two. Counted: places booked (never more
/// than 180, never more than 10 in a slot, straight from the database), server errors, refusals that are not the "full"
/// answer, the answers' latency, and fairness: no request refused although it was sent more than a tolerance before one
/// that got a place in the same slot (requests are spread over the second in a random order, and their send times kept).
/// </summary>
internal sealed class RushScenario : IScenario
{
    private const int ProxyPort = 28180;
    private const int PostgresPort = 55436;
    private static readonly int[] InstancePorts = [25201, 25202];
    private const int Residents = 2000;
    private const int Slots = 18;
    private static readonly TimeSpan Spread = TimeSpan.FromSeconds(1);

    /// <summary>A winner may have been sent at most this long after a request of its slot that was refused.</summary>
    private static readonly TimeSpan FairnessTolerance = TimeSpan.FromMilliseconds(250);

    public string Name => "rush";

    public string Description =>
        "Opening rush: 2,000 residents post for one day's 18 registration slots (180 places) within one second through nginx, " +
        "with 1 and then 2 instances; booked, overbooked, errors, p99, fairness (needs postgresql and nginx)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var results = new List<(string Key, double Value)>();
        var failed = false;
        foreach (var instances in new[] { 1, 2 })
        {
            var run = await RunOnceAsync(instances, cancellationToken);
            var suffix = instances == 1 ? "one" : "two";
            results.AddRange([
                ($"booked_{suffix}", run.Booked), ($"over_{suffix}", run.Overbooked), ($"errors_{suffix}", run.Errors),
                ($"p99_ms_{suffix}", Math.Round(run.P99)), ($"overtaken_{suffix}", run.Overtaken)]);
            failed |= run.Overbooked > 0 || run.Errors > 0 || run.WrongRefusals > 0;
        }

        ResultLine.Write(Name, "postgres", [.. results]);
        return failed ? 1 : 0;
    }

    private static async Task<Run> RunOnceAsync(int instances, CancellationToken cancellationToken)
    {
        var root = RepoPaths.RepoRoot();
        var state = Directory.CreateTempSubdirectory("dezhihub-bench-rush-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["DEZHIHUB_CLUSTER_STATE"] = state,
            ["DEZHIHUB_CLUSTER_PORT"] = ProxyPort.ToString(CultureInfo.InvariantCulture),
            ["DEZHIHUB_CLUSTER_INSTANCES"] = string.Join(' ', InstancePorts.Take(instances)),
            ["DEZHIHUB_CLUSTER_PG_PORT"] = PostgresPort.ToString(CultureInfo.InvariantCulture),
            ["DEZHIHUB_CLUSTER_DEMO"] = "false",
            ["DezhiHub__AnonymousPostsPerMinute"] = "1000000",
        };
        var postgres = $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Database=dezhihub";
        var baseUri = new Uri($"http://127.0.0.1:{ProxyPort}/");
        try
        {
            await ClusterScenario.ClusterAsync(root, "up", environment, cancellationToken);
            // A new server on the port a previous run's server had: connections pooled then are dead now.
            NpgsqlConnection.ClearAllPools();
            var data = await BookingSeeder.SeedAsync(state, new BookingPlan(Residents, 1, 1, 1, 0, 0, 0), cancellationToken, postgres);
            using var http = Load.NewHttpClient();
            var sessions = await BookingScenario.SignInAllAsync(http, baseUri, data.Residents, cancellationToken);

            // Resident i wants slot i % 18 of the race office's day; every one opens that slot's booking page first.
            var office = data.OfficeRace;
            var slots = Enumerable.Range(0, Slots).Select(k => office with { StartUtc = office.StartUtc.AddMinutes(30 * k) }).ToList();
            var forms = new List<KeyValuePair<string, string>>?[sessions.Count];
            var opening = new BookTally();
            foreach (var (slot, k) in slots.Select((s, k) => (s, k)))
            {
                var mine = Enumerable.Range(0, sessions.Count).Where(i => i % Slots == k).ToList();
                var opened = await BookFlow.OpenRaceAsync([.. mine.Select(i => sessions[i])], slot, opening, cancellationToken);
                for (var j = 0; j < mine.Count; j++)
                {
                    forms[mine[j]] = opened[j];
                }
            }

            // The second the day opens: every post within one second, in a random order; send times kept.
            var random = new Random(520);
            var offsets = Enumerable.Range(0, sessions.Count).Select(_ => TimeSpan.FromMilliseconds(random.NextDouble() * Spread.TotalMilliseconds)).ToArray();
            var answers = new ConcurrentBag<(int Slot, long SentAt, string Answer, bool Error, double Ms)>();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var posts = Enumerable.Range(0, sessions.Count).Where(i => forms[i] is not null).Select(i => Task.Run(async () =>
            {
                await go.Task;
                await Task.Delay(offsets[i], cancellationToken);
                var path = BookingPageText.BookPath(slots[i % Slots].ResourceId, slots[i % Slots].StartUtc);
                var sent = Stopwatch.GetTimestamp();
                var (answer, error, ms) = await BookFlow.PostOnceAsync(sessions[i], path, forms[i]!, cancellationToken);
                answers.Add((i % Slots, sent, answer, error, ms));
            }, cancellationToken)).ToList();
            var started = Stopwatch.GetTimestamp();
            go.SetResult();
            await Task.WhenAll(posts);
            var elapsed = Stopwatch.GetElapsedTime(started);

            var (booked, fullest) = await CountAsync(postgres, office.ResourceId, cancellationToken);
            var list = answers.ToList();
            var errors = list.Where(a => a.Error).ToList();
            var refusals = list.Where(a => !a.Error && a.Answer != "booked").ToList();
            var wrong = refusals.Count(a => a.Answer != "Booking.SlotFull");
            var latency = LatencySummary.From(list.Where(a => !a.Error).Select(a => a.Ms));
            // Fairness: per slot, how long after a refused request a winner was sent, at worst.
            var overtaken = 0;
            var worst = TimeSpan.Zero;
            foreach (var slot in list.Where(a => !a.Error).GroupBy(a => a.Slot))
            {
                var firstRefused = slot.Where(a => a.Answer != "booked").Select(a => a.SentAt).DefaultIfEmpty(long.MaxValue).Min();
                foreach (var winner in slot.Where(a => a.Answer == "booked" && a.SentAt > firstRefused))
                {
                    var late = Stopwatch.GetElapsedTime(firstRefused, winner.SentAt);
                    worst = late > worst ? late : worst;
                    overtaken += late > FairnessTolerance ? 1 : 0;
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rush, {instances} instance{(instances == 1 ? "" : "s")} behind nginx: {list.Count} posts for {Slots * office.Places} places within {Spread.TotalSeconds:0} s " +
                $"(all answered after {elapsed.TotalSeconds:0.00} s): booked {booked} (database; fullest slot {fullest} of {office.Places}), " +
                $"refused {refusals.Count} ({wrong} not \"full\"), errors {errors.Count}{(errors.Count > 0 ? $" ({string.Join("; ", errors.GroupBy(e => e.Answer).Take(3).Select(g => $"{g.Count()}× {g.Key}"))})" : "")}, " +
                $"pages that failed to open {opening.Errors.Count}"));
            Console.WriteLine($"  answers: {latency}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  fairness: a place went to a request sent at worst {worst.TotalMilliseconds:0} ms after one of its slot that was refused; " +
                $"{overtaken} winners beyond the {FairnessTolerance.TotalMilliseconds:0} ms tolerance"));
            return new Run(booked, Math.Max(0, fullest - office.Places) + Math.Max(0, booked - Slots * office.Places), errors.Count + opening.Errors.Count, wrong, latency.P99, overtaken);
        }
        finally
        {
            await ClusterScenario.ClusterAsync(root, "down", environment, CancellationToken.None);
        }
    }

    /// <summary>Active bookings of the office, and the most in one slot, from the database.</summary>
    private static async Task<(int Booked, int Fullest)> CountAsync(string postgres, int resourceId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT COALESCE(SUM(n), 0)::int, COALESCE(MAX(n), 0)::int FROM (
                SELECT COUNT(*) AS n FROM "Bookings" WHERE "ResourceId" = @r AND "Status" IN ('Requested', 'Approved') GROUP BY "SlotStartUtc") AS s
            """, connection);
        command.Parameters.AddWithValue("r", resourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private sealed record Run(int Booked, int Overbooked, int Errors, int WrongRefusals, double P99, int Overtaken);
}
