using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace DezhiHub.Bench.Coverage;

/// <summary>
/// The web app's data and feature services on a data folder of the bench's choosing, without a web server: the same
/// DbContext, migrations and CoverageService the app runs, built the way the feature tests build them.
/// </summary>
internal static class AppServices
{
    /// <param name="postgres">A PostgreSQL connection string: the services run on it instead of the folder's SQLite file.</param>
    public static ServiceProvider Build(string dataPath, string? postgres = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new BenchEnvironment(dataPath));
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.Configure<DezhiHubOptions>(o =>
        {
            o.DataPath = dataPath;
            o.SeedDemoData = false;
        });
        services.AddSingleton(TimeProvider.System);
        services.AddDezhiHubLocalization();
        services.AddDezhiHubData();
        if (postgres is not null)
        {
            services.Configure<DatabaseOptions>(o => (o.Provider, o.ConnectionString) = (nameof(DatabaseProvider.PostgreSQL), postgres));
        }

        services.AddDezhiHubModules();
        return services.BuildServiceProvider();
    }

    public static string DatabaseFile(string dataPath) => Path.Combine(dataPath, DataServiceCollectionExtensions.DatabaseFileName);

    private sealed class BenchEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "DezhiHub.Web";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
