using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Data;

/// <summary>Everything that knows the database is SQLite lives in Data/; a PostgreSQL provider would be chosen here.</summary>
public static class DataServiceCollectionExtensions
{
    public const string DatabaseFileName = "dezhihub.db";

    public static IServiceCollection AddDezhiHubData(this IServiceCollection services)
    {
        // Pooled: a context (and its internal services, change tracker, connection object) is reset and reused instead
        // of built for every unit of work; a check-in's page and confirm each create one or two.
        services.AddPooledDbContextFactory<AppDbContext>((sp, options) =>
        {
            var dataPath = ResolveDataPath(sp);
            var connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataPath, DatabaseFileName),
                ForeignKeys = true,
                DefaultTimeout = 30,
            }.ToString();
            options.UseSqlite(connectionString)
                // Migrating at start would otherwise build the model a second time from the snapshot and compare the two
                // (~0.1 s of a start, measured); DataTests proves the snapshot matches the model.
                .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
                .AddInterceptors(new SqlitePragmas())
                .AddInterceptors(sp.GetServices<IInterceptor>());
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        // Cookie and antiforgery keys live beside the database, so sign-ins survive a restart and a data
        // folder moved to a new machine keeps working.
        services.AddDataProtection().SetApplicationName("DezhiHub");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, sp) =>
            options.XmlRepository = new FileSystemXmlRepository(
                Directory.CreateDirectory(Path.Combine(ResolveDataPath(sp), "keys")),
                sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    /// <summary>The data folder from configuration, made absolute under the content root and created if missing.</summary>
    public static string ResolveDataPath(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DezhiHubOptions>>().Value;
        var environment = services.GetRequiredService<IHostEnvironment>();
        var path = Path.GetFullPath(options.DataPath, environment.ContentRootPath);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Creates or upgrades the schema and turns on write-ahead logging (a property of the file, kept across opens).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
    }

    /// <summary>Is the error a unique-index violation? (Provider-specific, so it lives here.)</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}
