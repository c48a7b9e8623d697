using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Data.PostgreSQL;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// The app's feature services on a real database of their own (a copy of a migrated, demo-seeded template): a SQLite
/// file, or a PostgreSQL database when <see cref="TestEngine"/> says so. A fake clock; no web server: for
/// service-level tests.
/// </summary>
public sealed class FeatureHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 1, 0, 0, TimeSpan.Zero);

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static readonly Dictionary<bool, string> TemplatePaths = [];

    private readonly ServiceProvider _services;

    // False for a second instance on another host's database and folder: the first one removes them.
    private readonly bool _ownsData;

    private FeatureHost(string dataPath, FakeTimeProvider clock, string? postgres, bool ownsData = true)
    {
        DataPath = dataPath;
        Clock = clock;
        Postgres = postgres;
        _ownsData = ownsData;
        _services = BuildServices(dataPath, clock, postgres, Logs);
    }

    /// <summary>The PostgreSQL database's connection string when the tests run on PostgreSQL; null on SQLite.</summary>
    public string? Postgres { get; }

    /// <summary>What the services logged at Warning and above.</summary>
    public CapturedLogs Logs { get; } = new();

    public string DataPath { get; }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _services;

    /// <summary>
    /// A fresh database: empty (migrated only) or with the demo city and accounts, on the tests' engine unless
    /// <paramref name="engine"/> names one (the Data tier's engine-specific tests).
    /// </summary>
    public static async Task<FeatureHost> CreateAsync(bool demoData = true, DatabaseProvider? engine = null)
    {
        string? postgres = null;
        if ((engine ?? TestEngine.Current) == DatabaseProvider.PostgreSQL)
        {
            TestPostgres.Require();
            postgres = demoData
                ? await TestPostgres.CreateFromTemplateAsync("demo", connection => BuildTemplateAsync(connection, demoData: true))
                : await TestPostgres.CreateFromTemplateAsync("empty", BuildEmptyTemplateAsync);
        }

        var dataPath = TempFolder.Create("features");
        if (postgres is null)
        {
            File.Copy(await SqliteTemplateAsync(demoData), Path.Combine(dataPath, DataServiceCollectionExtensions.DatabaseFileName));
        }

        var host = new FeatureHost(dataPath, new FakeTimeProvider(Start), postgres);

        if (postgres is not null)
        {
            await host.StartListeningAsync();
        }

        return host;
    }

    /// <summary>The feature services on an existing PostgreSQL database (one a test filled itself); dropped on dispose.</summary>
    public static FeatureHost OnPostgres(string connectionString) =>
        new(TempFolder.Create("features"), new FakeTimeProvider(Start), connectionString);

    /// <summary>The feature services on a database the app itself runs on (the Cluster tier's); nothing is dropped on dispose.</summary>
    public static FeatureHost Beside(string connectionString) =>
        new(TempFolder.Create("features"), new FakeTimeProvider(Start), connectionString, ownsData: false);

    /// <summary>
    /// Another instance of the app on this host's database (and, for SQLite's sake, its data folder): services of its
    /// own, nothing cached in common. Dispose it before this host.
    /// </summary>
    public FeatureHost AnotherInstance() => new(DataPath, Clock, Postgres, ownsData: false);

    /// <summary>On PostgreSQL, hears the database's change notifications as the app does (its hosted listener).</summary>
    public async Task StartListeningAsync()
    {
        var listener = _services.GetServices<IHostedService>().OfType<PostgresChangeListener>().Single();
        await listener.StartAsync(CancellationToken.None);
        await listener.Listening.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A scope for services registered as scoped (feature services are).</summary>
    public T Scoped<T>()
        where T : notnull => _services.CreateScope().ServiceProvider.GetRequiredService<T>();

    public AppDbContext NewDb() => Get<IDbContextFactory<AppDbContext>>().CreateDbContext();

    /// <summary>The SQL commands the app's contexts start, to wait for a moment instead of sleeping.</summary>
    public CommandProbe Commands => Get<CommandProbe>();

    /// <summary>The principal a signed-in user would have: id, name and roles as in the database.</summary>
    public async Task<ClaimsPrincipal> SignInAsAsync(string phone)
    {
        await using var db = NewDb();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.PhoneNumber == phone);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name!).ToListAsync();
        return Principals.For(user.Id, user.RealName, roles.ToArray());
    }

    /// <summary>
    /// A published activity of 红星社区, two hours long unless <paramref name="duration"/> says otherwise, made by its
    /// organizer through the app's own service.
    /// </summary>
    public async Task<int> PublishedActivityAsync(DateTime startUtc, string title, int? capacity = 10, bool walkIns = false, int checkInOpensMinutesBefore = 30, TimeSpan? duration = null)
    {
        int theme;
        await using (var db = NewDb())
        {
            theme = await db.ActivityThemes.Select(t => t.Id).FirstAsync();
        }

        return await PublishActivityAsync(
            await SignInAsAsync(Demo.OrganizerHongxing), await OrgIdAsync("红星社区"), theme, startUtc, title, capacity, walkIns, checkInOpensMinutesBefore, duration);
    }

    /// <summary>A published activity of <paramref name="hostId"/>, made and published by <paramref name="organizer"/> through the app's own service.</summary>
    internal async Task<int> PublishActivityAsync(
        ClaimsPrincipal organizer, int hostId, int themeId, DateTime startUtc, string title, int? capacity, bool walkIns, int checkInOpensMinutesBefore, TimeSpan? duration)
    {
        var service = Scoped<ActivityService>();
        var id = (await service.CreateAsync(organizer, new ActivityDetails
        {
            Title = title,
            Entry = EightEntry.Communities,
            ThemeIds = [themeId],
            OrgNodeId = hostId,
            Place = "活动室",
            StartUtc = startUtc,
            EndUtc = startUtc + (duration ?? TimeSpan.FromHours(2)),
            Capacity = capacity,
            WalkInsAllowed = walkIns,
            CheckInOpensMinutesBefore = checkInOpensMinutesBefore,
        })).Single();
        await service.PublishAsync(organizer, id);
        return id;
    }

    public async Task<int> OrgIdAsync(string name)
    {
        await using var db = NewDb();
        return await db.OrgNodes.Where(n => n.Name == name).Select(n => n.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _services.GetServices<IHostedService>().OfType<PostgresChangeListener>())
        {
            await listener.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        if (!_ownsData)
        {
            return;
        }

        if (Postgres is not null)
        {
            await TestPostgres.DropDatabaseAsync(Postgres);
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        TempFolder.Delete(DataPath);
    }

    private static ServiceProvider BuildServices(string dataPath, TimeProvider clock, string? postgres, CapturedLogs? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.SetMinimumLevel(LogLevel.Warning).AddProvider(logs);
            }
        });
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(dataPath));
        services.Configure<DezhiHubOptions>(o => o.DataPath = dataPath);
        services.AddSingleton(clock);
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddDezhiHubLocalization();
        services.AddDezhiHubData();
        if (postgres is not null)
        {
            services.Configure<DatabaseOptions>(o =>
            {
                o.Provider = nameof(DatabaseProvider.PostgreSQL);
                o.ConnectionString = postgres;
            });
        }

        services.AddDezhiHubModules();
        services.AddSingleton<CommandProbe>();
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(sp => sp.GetRequiredService<CommandProbe>());
        // Production uses 210,000 rounds; tests only need a real hash.
        services.AddSingleton<IPasswordHasher<AppUser>>(new PasswordHasher<AppUser>(Options.Create(new PasswordHasherOptions { IterationCount = 1000 })));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Migrates a PostgreSQL template database and adds the roles: what a first start leaves.</summary>
    internal static Task BuildEmptyTemplateAsync(string connectionString) => BuildTemplateAsync(connectionString, demoData: false);

    /// <summary>Migrates the PostgreSQL template database, and seeds the demo city into it when asked.</summary>
    private static async Task BuildTemplateAsync(string connectionString, bool demoData)
    {
        var dataPath = TempFolder.Create("template");
        await using var services = BuildServices(dataPath, new FakeTimeProvider(Start), connectionString);
        services.GetRequiredService<IOptions<DezhiHubOptions>>().Value.SeedDemoData = demoData;
        await services.InitializeDatabaseAsync();
    }

    /// <summary>The SQLite file every host copies: migrated, and with the demo city when <paramref name="demoData"/>.</summary>
    private static async Task<string> SqliteTemplateAsync(bool demoData)
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (!TemplatePaths.TryGetValue(demoData, out var templatePath))
            {
                var dataPath = TempFolder.Create("template");
                var services = BuildServices(dataPath, new FakeTimeProvider(Start), postgres: null);
                await using (services)
                {
                    services.GetRequiredService<IOptions<DezhiHubOptions>>().Value.SeedDemoData = demoData;
                    await services.InitializeDatabaseAsync();
                    await using var db = services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
                    // Fold the WAL into the main file so a plain copy carries everything.
                    await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
                }

                SqliteConnection.ClearAllPools();
                templatePath = TemplatePaths[demoData] = Path.Combine(dataPath, DataServiceCollectionExtensions.DatabaseFileName);
            }

            return templatePath;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    internal sealed class TestEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "DezhiHub.Web";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
