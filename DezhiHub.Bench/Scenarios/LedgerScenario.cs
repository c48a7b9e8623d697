using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using DezhiHub.Bench.Coverage;
using DezhiHub.Bench.Ledger;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Leaderboards;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Bench.Scenarios;

/// <summary>
/// Leaderboards, balance and history on a city with two years of ledger (over 5 million entries), warm, through the
/// app's own <see cref="LeaderboardService"/> and <see cref="VolunteerService"/>: every board a volunteer's page asks for
/// (the city's and one community's, hours and points, this month, this year, all time, each with the volunteer's own
/// rank), the volunteer's balance and the first page of their points history.
/// </summary>
internal sealed class LedgerScenario : IScenario
{
    private const int DefaultRuns = 20;
    private const int WarmUps = 3;
    private const int HistoryPage = 20;

    public string Name => "ledger";

    public string Description => "leaderboards, balance and history on a generated city (cached in .bench-data/ledger-v1) (options: --runs <n>, --regenerate, --data <dir>, --sql, --provider sqlite|postgres|both)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (runs, regenerate, dataOption, sql, providers) = ParseArgs(args);
        var dataPath = Path.GetFullPath(dataOption ?? Path.Combine(RepoPaths.RepoRoot(), ".bench-data", LedgerDataGenerator.Version));

        Console.WriteLine($"ledger: data folder {dataPath}");
        var (summary, generated) = await LedgerDataGenerator.EnsureAsync(dataPath, regenerate, cancellationToken);
        Console.WriteLine(generated
            ? $"generated in {summary.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
            : $"reused cached data (generated earlier in {summary.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s; --regenerate to rebuild)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"data: {summary.OrgNodes} org nodes ({summary.Communities} communities), {summary.Volunteers} volunteers, {summary.Activities} activities, " +
            $"{summary.Attendances} credited attendances, {summary.Entries} ledger entries ({summary.HoursEntries} hours, {summary.PointsEntries} points), " +
            $"{summary.PeriodTotals} period totals"));
        Console.WriteLine($"database size: {DatabaseMegabytes(dataPath).ToString("0.0", CultureInfo.InvariantCulture)} MB");

        foreach (var provider in providers)
        {
            string? postgres = null;
            if (provider == "postgres")
            {
                await using var sqliteServices = LedgerAppServices.Build(dataPath);
                postgres = await BenchPostgres.EnsureCopyAsync(sqliteServices, "dezhihub_bench_" + LedgerDataGenerator.Version.Replace('-', '_'), regenerate, cancellationToken);
            }

            Console.WriteLine($"--- {provider}");
            await MeasureAsync(dataPath, postgres, provider, summary, runs, sql, cancellationToken);
        }

        return 0;
    }

    private static async Task MeasureAsync(string dataPath, string? postgres, string provider, LedgerDataGenerator.Summary summary, int runs, bool sql, CancellationToken cancellationToken)
    {
        await using var services = LedgerAppServices.Build(dataPath, postgres: postgres);
        var (city, community, communityName, volunteer) = await SubjectsAsync(services, cancellationToken);
        var principal = await PrincipalAsync(services, volunteer, cancellationToken);
        Console.WriteLine($"as volunteer {volunteer} of {communityName}, the member of the first community with the fewest hours this month (the longest rank count)");
        if (sql)
        {
            await PrintSqlAsync(dataPath, postgres, principal, city, community, cancellationToken);
        }

        var boards = services.CreateScope().ServiceProvider.GetRequiredService<LeaderboardService>();
        var volunteers = services.CreateScope().ServiceProvider.GetRequiredService<VolunteerService>();
        var cityTimes = new List<(string Label, double Median)>();
        var communityTimes = new List<(string Label, double Median)>();
        foreach (var period in Enum.GetValues<LeaderboardPeriod>())
        {
            foreach (var metric in Enum.GetValues<LeaderboardMetric>())
            {
                var label = $"{metric.ToString().ToLowerInvariant()}/{PeriodName(period)}";
                // The generated city's "now", not the machine's: the periods with data.
                var key = PeriodKey(period);
                var cityBoard = await TimeAsync($"city board {label}", () => boards.GetAsync(principal, new LeaderboardQuery(city, metric, period, key), cancellationToken), runs);
                cityTimes.Add((label, cityBoard.Median));
                Describe(cityBoard.Result);
                var communityBoard = await TimeAsync($"community board {label}", () => boards.GetAsync(principal, new LeaderboardQuery(community, metric, period, key), cancellationToken), runs);
                communityTimes.Add((label, communityBoard.Median));
                Describe(communityBoard.Result);
            }
        }

        var balance = await TimeAsync("balance (MineAsync)", () => volunteers.MineAsync(principal, cancellationToken), runs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  balance {balance.Result.PointsBalance} points, earned {balance.Result.PointsEarned}, {balance.Result.TotalMinutes / 60.0:0.0} h, {balance.Result.StarLevel}★"));
        var history = await TimeAsync($"points history (first page of {HistoryPage})", () => volunteers.PointsHistoryAsync(principal, null, 0, HistoryPage, cancellationToken), runs);
        Console.WriteLine($"  {history.Result.Items.Count} of {history.Result.Total} entries");

        var worstCity = cityTimes.MaxBy(t => t.Median);
        var worstCommunity = communityTimes.MaxBy(t => t.Median);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"worst city board: {worstCity.Label} {worstCity.Median:0.0} ms; worst community board: {worstCommunity.Label} {worstCommunity.Median:0.0} ms (target < 200 ms)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"balance {balance.Median:0.0} ms, history {history.Median:0.0} ms (target < 20 ms)"));

        ResultLine.Write(
            "ledger",
            provider,
            ("city_board_ms", Math.Round(worstCity.Median, 1)),
            ("community_board_ms", Math.Round(worstCommunity.Median, 1)),
            ("balance_ms", Math.Round(balance.Median, 1)),
            ("history_ms", Math.Round(history.Median, 1)),
            ("volunteers", summary.Volunteers),
            ("entries", summary.Entries));
    }

    /// <summary>One call of each kind with EF's command log on: the statements to feed to EXPLAIN QUERY PLAN.</summary>
    private static async Task PrintSqlAsync(string dataPath, string? postgres, ClaimsPrincipal principal, int city, int community, CancellationToken cancellationToken)
    {
        await using var logged = LedgerAppServices.Build(dataPath, logSql: true, postgres: postgres);
        var scope = logged.CreateScope().ServiceProvider;
        foreach (var node in new[] { city, community })
        {
            Console.WriteLine($"--- board of node {node}, hours this month");
            await scope.GetRequiredService<LeaderboardService>().GetAsync(principal, new LeaderboardQuery(node, LeaderboardMetric.Hours, LeaderboardPeriod.Month), cancellationToken);
        }

        Console.WriteLine("--- balance");
        await scope.GetRequiredService<VolunteerService>().MineAsync(principal, cancellationToken);
        Console.WriteLine("--- history");
        await scope.GetRequiredService<VolunteerService>().PointsHistoryAsync(principal, null, 0, HistoryPage, cancellationToken);
        await Task.Delay(500, cancellationToken); // the console logger writes on its own thread
        Console.WriteLine("--- end of SQL");
    }

    private static void Describe(Leaderboard board)
    {
        var first = board.Rows.Count > 0 ? board.Rows[0] : null;
        var unit = board.Metric == LeaderboardMetric.Hours ? "min" : "points";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {board.NodeName} {board.PeriodKey ?? "all"}: {board.Rows.Count} rows, first {first?.RealName} {first?.Value} {unit}; " +
            $"me: {(board.Me?.Rank is { } rank ? $"rank {rank} with {board.Me.Value} {unit}" : "not ranked")}"));
    }

    private static string? PeriodKey(LeaderboardPeriod period) => period switch
    {
        LeaderboardPeriod.Month => LedgerDataGenerator.NowUtc.AddHours(8).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        LeaderboardPeriod.Year => LedgerDataGenerator.NowUtc.AddHours(8).ToString("yyyy", CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string PeriodName(LeaderboardPeriod period) => period switch
    {
        LeaderboardPeriod.Month => "month",
        LeaderboardPeriod.Year => "year",
        _ => "all",
    };

    private static async Task<(double Median, T Result)> TimeAsync<T>(string label, Func<Task<T>> query, int runs)
    {
        for (var i = 0; i < WarmUps; i++)
        {
            await query();
        }

        var times = new List<double>();
        T result = default!;
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            result = await query();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var median = Stats.Median(times);
        var sorted = times.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: median {median:0.0} ms, p95 {Stats.Percentile(sorted, 95):0.0} ms, min {sorted[0]:0.0} ms, max {sorted[^1]:0.0} ms ({runs} runs after {WarmUps} warm-ups)"));
        return (median, result);
    }

    /// <summary>The city, the first community, and its member with the fewest (but some) hours this month: most people rank above them.</summary>
    private static async Task<(int City, int Community, string CommunityName, int Volunteer)> SubjectsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        var city = await db.OrgNodes.AsNoTracking().Where(n => n.ParentId == null).Select(n => n.Id).FirstAsync(cancellationToken);
        var community = await db.OrgNodes.AsNoTracking().Where(n => n.Level == OrgLevel.Community).OrderBy(n => n.Id)
            .Select(n => new { n.Id, n.Name, n.Path }).FirstAsync(cancellationToken);
        var month = PeriodKey(LeaderboardPeriod.Month);
        var volunteer = await (
                from t in db.VolunteerPeriodTotals
                join u in db.Users on t.UserId equals u.Id
                join n in db.OrgNodes on u.OrgNodeId equals n.Id
                where t.Period == month && t.Minutes > 0 && t.PointsEarned > 0 && n.Path.StartsWith(community.Path)
                orderby t.Minutes, t.UserId
                select u.Id)
            .FirstAsync(cancellationToken);
        return (city, community.Id, community.Name, volunteer);
    }

    /// <summary>The principal the signed-in volunteer would have (id, name, roles), built like the other in-process scenarios.</summary>
    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, int userId, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.RealName, u.PhoneNumber }).SingleAsync(cancellationToken);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.PhoneNumber ?? ""),
                new Claim(ClaimsPrincipalExtensions.RealNameClaim, user.RealName),
                new Claim(ClaimTypes.Role, Roles.Volunteer),
            ],
            "Bench"));
    }

    private static double DatabaseMegabytes(string dataPath)
    {
        SqliteConnection.ClearAllPools();
        var file = AppServices.DatabaseFile(dataPath);
        return new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0;
    }

    private static (int Runs, bool Regenerate, string? Data, bool Sql, string[] Providers) ParseArgs(string[] args)
    {
        var providers = new[] { "sqlite" };
        var runs = DefaultRuns;
        var regenerate = false;
        var sql = false;
        string? data = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                case "--regenerate":
                    regenerate = true;
                    break;
                case "--data" when i + 1 < args.Length:
                    data = args[++i];
                    break;
                case "--sql":
                    sql = true;
                    break;
                case "--provider" when i + 1 < args.Length && args[i + 1] is "sqlite" or "postgres" or "both":
                    providers = args[++i] == "both" ? ["sqlite", "postgres"] : [args[i]];
                    break;
                default:
                    throw new BenchException($"Unknown or incomplete option '{args[i]}'. Options: --runs <n>, --regenerate, --data <dir>, --sql, --provider sqlite|postgres|both.");
            }
        }

        return (runs, regenerate, data, sql, providers);
    }
}
