using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DezhiHub.Bench.Ledger;

/// <summary>
/// The web app's data and feature services on the ledger bench's data folder, without a web server, like
/// <see cref="Coverage.AppServices"/> plus what the volunteering services need: a (empty) configuration for their
/// options, and a clock stopped at the generated city's "now", so "this month" is the month with data.
/// </summary>
internal static class LedgerAppServices
{
    /// <param name="logSql">Print every SQL command EF runs (for a look at the query shapes, not for timing).</param>
    /// <param name="postgres">A PostgreSQL connection string: the services run on it instead of the folder's SQLite file.</param>
    public static ServiceProvider Build(string dataPath, bool logSql = false, string? postgres = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logSql)
            {
                logging.AddSimpleConsole(o => o.SingleLine = false).AddFilter((category, level) =>
                    category == DbLoggerCategory.Database.Command.Name && level >= LogLevel.Information);
            }
        });
        services.AddSingleton<IHostEnvironment>(new BenchEnvironment(dataPath));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.Configure<DezhiHubOptions>(o =>
        {
            o.DataPath = dataPath;
            o.SeedDemoData = false;
        });
        services.AddSingleton<TimeProvider>(new StoppedClock(LedgerDataGenerator.NowUtc));
        services.AddDezhiHubLocalization();
        services.AddDezhiHubData();
        if (postgres is not null)
        {
            services.Configure<DatabaseOptions>(o => (o.Provider, o.ConnectionString) = (nameof(DatabaseProvider.PostgreSQL), postgres));
        }

        services.AddDezhiHubModules();
        return services.BuildServiceProvider();
    }

    private sealed class StoppedClock(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow, TimeSpan.Zero);
    }

    private sealed class BenchEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "DezhiHub.Web";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
