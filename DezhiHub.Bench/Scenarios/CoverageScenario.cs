using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using DezhiHub.Bench.Coverage;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Coverage;
using DezhiHub.Web.Platform.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Bench.Scenarios;

/// <summary>
/// The "eight entries" coverage query on a city-sized database: the whole city for one year and one district,
/// warm, through the app's own <see cref="CoverageService"/> (scope check, children, one grouped query, names).
/// </summary>
internal sealed class CoverageScenario : IScenario
{
    private const int DefaultRuns = 20;
    private const int WarmUps = 3;

    public string Name => "coverage";

    public string Description => "coverage matrix on a generated city (cached in .bench-data/coverage-v1): city and district ms (options: --runs <n>, --regenerate, --data <dir>, --provider sqlite|postgres|both)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (runs, regenerate, dataOption, providers) = ParseArgs(args);
        var dataPath = Path.GetFullPath(dataOption ?? Path.Combine(RepoPaths.RepoRoot(), ".bench-data", CoverageDataGenerator.Version));

        Console.WriteLine($"coverage: data folder {dataPath}");
        var (summary, generated) = await CoverageDataGenerator.EnsureAsync(dataPath, regenerate, cancellationToken);
        Console.WriteLine(generated
            ? $"generated in {summary.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
            : $"reused cached data (generated earlier in {summary.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s; --regenerate to rebuild)");
        Console.WriteLine($"data: {summary.OrgNodes} org nodes ({summary.Communities} communities, {summary.GridCells} grid cells), " +
            $"{summary.Residents} residents, {summary.Activities} activities ({summary.Counted} published or completed), {summary.SignUps} sign-ups");
        Console.WriteLine($"database size: {DatabaseMegabytes(dataPath).ToString("0.0", CultureInfo.InvariantCulture)} MB");

        foreach (var provider in providers)
        {
            string? postgres = null;
            if (provider == "postgres")
            {
                await using var sqliteServices = AppServices.Build(dataPath);
                postgres = await BenchPostgres.EnsureCopyAsync(sqliteServices, "dezhihub_bench_" + CoverageDataGenerator.Version.Replace('-', '_'), regenerate, cancellationToken);
            }

            Console.WriteLine($"--- {provider}");
            await MeasureAsync(dataPath, postgres, provider, summary, runs, cancellationToken);
        }

        return 0;
    }

    private static async Task MeasureAsync(string dataPath, string? postgres, string provider, CoverageDataGenerator.Summary summary, int runs, CancellationToken cancellationToken)
    {
        await using var services = AppServices.Build(dataPath, postgres);
        var admin = await AdminAsync(services, cancellationToken);
        var coverage = services.CreateScope().ServiceProvider.GetRequiredService<CoverageService>();
        var (cityId, districtId, districtName) = await CityAndDistrictAsync(services, cancellationToken);
        var from = new DateOnly(CoverageDataGenerator.Year, 1, 1);
        var to = from.AddYears(1);

        var city = await TimeAsync("city (1 year)", () => coverage.GetMatrixAsync(admin, new CoverageQuery(cityId, from, to), cancellationToken), runs);
        var district = await TimeAsync($"district {districtName} (1 year)", () => coverage.GetMatrixAsync(admin, new CoverageQuery(districtId, from, to), cancellationToken), runs);
        var drill = await TimeAsync("drill-down (district row × 进社区, first page)", () => coverage.GetActivitiesAsync(admin,
            new CoverageCellQuery(cityId, from, to, districtId, EightEntry.Communities), cancellationToken), runs);

        var matrix = await coverage.GetMatrixAsync(admin, new CoverageQuery(cityId, from, to), cancellationToken);
        Console.WriteLine($"city matrix: {matrix.Rows.Count} rows, {matrix.GrandTotal.Activities} activities, {matrix.GrandTotal.Participants} participants, " +
            $"{matrix.GrandTotal.Hours.ToString("0", CultureInfo.InvariantCulture)} sign-up hours, {matrix.Gaps} gaps of {matrix.CellsExpected} cells");
        var districtMatrix = await coverage.GetMatrixAsync(admin, new CoverageQuery(districtId, from, to), cancellationToken);
        Console.WriteLine($"district matrix: {districtMatrix.Rows.Count} rows, {districtMatrix.GrandTotal.Activities} activities, {districtMatrix.Gaps} gaps of {districtMatrix.CellsExpected} cells");
        Console.WriteLine($"drill-down: {drill.Result.Total} activities in the cell");

        ResultLine.Write(
            "coverage",
            provider,
            ("city_ms", Math.Round(city.Median, 1)),
            ("district_ms", Math.Round(district.Median, 1)),
            ("activities", summary.Activities),
            ("signups", summary.SignUps));
    }

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
        var p95 = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(0.95 * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: median {median:0.0} ms, p95 {p95:0.0} ms, min {sorted[0]:0.0} ms, max {sorted[^1]:0.0} ms ({runs} runs after {WarmUps} warm-ups)"));
        return (median, result);
    }

    private static async Task<ClaimsPrincipal> AdminAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        var admin = await db.Users.AsNoTracking().Where(u => u.PhoneNumber == CoverageDataGenerator.AdminPhone)
            .Select(u => new { u.Id, u.RealName }).SingleAsync(cancellationToken);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, admin.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, CoverageDataGenerator.AdminPhone),
                new Claim(ClaimsPrincipalExtensions.RealNameClaim, admin.RealName),
                new Claim(ClaimTypes.Role, Roles.Admin),
            ],
            "Bench"));
    }

    private static async Task<(int City, int District, string DistrictName)> CityAndDistrictAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        var city = await db.OrgNodes.AsNoTracking().Where(n => n.ParentId == null).Select(n => n.Id).FirstAsync(cancellationToken);
        var district = await db.OrgNodes.AsNoTracking().Where(n => n.ParentId == city).OrderBy(n => n.Id).Select(n => new { n.Id, n.Name }).FirstAsync(cancellationToken);
        return (city, district.Id, district.Name);
    }

    private static double DatabaseMegabytes(string dataPath)
    {
        SqliteConnection.ClearAllPools();
        var file = AppServices.DatabaseFile(dataPath);
        return new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0;
    }

    private static (int Runs, bool Regenerate, string? Data, string[] Providers) ParseArgs(string[] args)
    {
        var providers = new[] { "sqlite" };
        var runs = DefaultRuns;
        var regenerate = false;
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
                case "--provider" when i + 1 < args.Length && args[i + 1] is "sqlite" or "postgres" or "both":
                    providers = args[++i] == "both" ? ["sqlite", "postgres"] : [args[i]];
                    break;
                default:
                    throw new BenchException($"Unknown or incomplete option '{args[i]}'. Options: --runs <n>, --regenerate, --data <dir>, --provider sqlite|postgres|both.");
            }
        }

        return (runs, regenerate, data, providers);
    }
}
