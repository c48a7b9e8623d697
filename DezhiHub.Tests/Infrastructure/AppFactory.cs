using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// The whole app on a real Kestrel port on 127.0.0.1, with its own data folder and database (SQLite, or PostgreSQL
/// when <see cref="TestEngine"/> says so) and the demo data — what a browser or an HTTP client talks to.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    private readonly int _anonymousPostsPerMinute;
    private readonly bool _jobs;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly bool _ownsPostgres = true;

    public AppFactory()
        : this(10_000)
    {
    }

    /// <param name="anonymousPostsPerMinute">The rate limit for anonymous form posts.</param>
    /// <param name="jobs">Run the Quartz sweeps: off by default, so a reminder falling due mid-run cannot change what a test sees.</param>
    /// <param name="settings">Further configuration ("DezhiHub:PublicBaseUrl" = …) for this app only.</param>
    /// <param name="sharedPostgres">
    /// Another instance of a cluster: this PostgreSQL database (which the first instance owns and drops), whatever the
    /// tests' engine.
    /// </param>
    internal AppFactory(int anonymousPostsPerMinute, bool jobs = false, IReadOnlyDictionary<string, string>? settings = null, string? sharedPostgres = null)
    {
        _anonymousPostsPerMinute = anonymousPostsPerMinute;
        _settings = settings ?? new Dictionary<string, string>();
        _jobs = jobs;
        if (sharedPostgres is not null)
        {
            Postgres = sharedPostgres;
            _ownsPostgres = false;
        }
        else if (TestEngine.IsPostgres)
        {
            TestPostgres.Require();
            // A migrated database with the roles; the app seeds the demo city into it with the real clock.
            Postgres = TestPostgres.CreateFromTemplateAsync("empty", FeatureHost.BuildEmptyTemplateAsync).GetAwaiter().GetResult();
        }

        UseKestrel(0);
        StartServer();
        BaseAddress = ClientOptions.BaseAddress;
    }

    public string DataPath { get; } = TempFolder.Create("web");

    /// <summary>The PostgreSQL database's connection string when the tests run on PostgreSQL; null on SQLite.</summary>
    public string? Postgres { get; }

    /// <summary>Everything the app logs at Warning and above (the level the tests run it with).</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client with its own cookie jar that does not follow redirects, so tests see them.</summary>
    public AppClient NewClient(string? culture = null) => new(BaseAddress, culture);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("DezhiHub:DataPath", DataPath);
        builder.UseSetting("DezhiHub:SeedDemoData", "true");
        builder.UseSetting("DezhiHub:AnonymousPostsPerMinute", _anonymousPostsPerMinute.ToString());
        // All tests come from 127.0.0.1: the hourly "already registered" budget is a test of its own.
        builder.UseSetting("DezhiHub:DuplicateNumberAnswersPerHour", "10000");
        builder.UseSetting("DezhiHub:Jobs:Enabled", _jobs ? "true" : "false");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        if (Postgres is not null)
        {
            builder.UseSetting("DezhiHub:Database:Provider", "PostgreSQL");
            builder.UseSetting("ConnectionStrings:DezhiHub", Postgres);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            if (Postgres is not null)
            {
                if (_ownsPostgres)
                {
                    TestPostgres.DropDatabaseAsync(Postgres).GetAwaiter().GetResult();
                }
            }
            else
            {
                SqliteConnection.ClearAllPools();
            }

            TempFolder.Delete(DataPath);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<AppFactory>
{
    public const string Name = "web";
}
