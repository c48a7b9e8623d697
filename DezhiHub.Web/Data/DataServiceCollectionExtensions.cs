using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using DezhiHub.Web.Data.PostgreSQL;
using DezhiHub.Web.Data.Sqlite;
using Npgsql;

namespace DezhiHub.Web.Data;

/// <summary>
/// Everything that knows which database engine holds the data lives in Data/: the provider is chosen here from
/// <see cref="DatabaseOptions"/>, and Data/Sqlite and Data/PostgreSQL hold each engine's context, migrations and pieces.
/// </summary>
public static class DataServiceCollectionExtensions
{
    public const string DatabaseFileName = "dezhihub.db";

    public static IServiceCollection AddDezhiHubData(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString ??= configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        // Pooled: a context (and its internal services, change tracker, connection object) is reset and reused instead
        // of built for every unit of work; a check-in's page and confirm each create one or two. Both engines' factories
        // are registered; the settings choose which one the app's IDbContextFactory<AppDbContext> hands out.
        services.AddPooledDbContextFactory<SqliteDbContext>((sp, options) =>
        {
            var connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(ResolveDataPath(sp), DatabaseFileName),
                ForeignKeys = true,
                DefaultTimeout = 30,
            }.ToString();
            options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas());
            Common(sp, options);
        });
        services.AddPooledDbContextFactory<PostgresDbContext>((sp, options) =>
        {
            options.UseNpgsql(PostgresDatabase.Tuned(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!));
            Common(sp, options);
        });
        services.AddSingleton<IDbContextFactory<AppDbContext>>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Engine == DatabaseProvider.PostgreSQL
                ? new EngineFactory<PostgresDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresDbContext>>())
                : new EngineFactory<SqliteDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteDbContext>>()));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        // Cookie and antiforgery keys live in the database, so every instance reads what another protected, and sign-ins
        // survive restarts and moves (SharedKeys).
        services.AddDataProtection().SetApplicationName("DezhiHub");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, sp) =>
            options.XmlRepository = new SharedKeys.Repository(sp.GetRequiredService<IDbContextFactory<AppDbContext>>()));
        return services;
    }

    private static void Common(IServiceProvider services, DbContextOptionsBuilder options) =>
        options
            // Migrating at start would otherwise build the model a second time from the snapshot and compare the two
            // (~0.1 s of a start, measured); DataTests proves each engine's snapshot matches the model.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            .AddInterceptors(services.GetServices<IInterceptor>());

    /// <summary>The data folder from configuration, made absolute under the content root and created if missing.</summary>
    public static string ResolveDataPath(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DezhiHubOptions>>().Value;
        var environment = services.GetRequiredService<IHostEnvironment>();
        var path = Path.GetFullPath(options.DataPath, environment.ContentRootPath);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Creates or upgrades the schema (on SQLite also turning on write-ahead logging, a property of the file kept across
    /// opens). A database that cannot be reached or opened is a <see cref="DatabaseUnavailableException"/> saying where.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        try
        {
            if (db.Database.IsNpgsql())
            {
                await PostgresDatabase.PrepareAsync(db, cancellationToken);
            }

            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SqliteException or TimeoutException)
        {
            throw Unavailable(services, ex);
        }

        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }
    }

    /// <summary>
    /// From here until the returned lock is disposed, this instance alone prepares the database (migrations, roles,
    /// shared keys, demo data): instances starting at once take turns (<see cref="LockSql.StartupAsync"/>). On
    /// PostgreSQL the database is created first if it does not exist yet.
    /// </summary>
    public static async Task<IAsyncDisposable> LockStartupAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        try
        {
            if (db.Database.IsNpgsql())
            {
                await PostgresDatabase.EnsureDatabaseAsync(db, cancellationToken);
            }

            return await LockSql.StartupAsync(db, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw Unavailable(services, ex);
        }
    }

    private static DatabaseUnavailableException Unavailable(IServiceProvider services, Exception ex) =>
        new($"cannot open the {services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Describe()}: {FirstLine(ex)}", ex);

    /// <summary>Is the error a unique-index violation? SQLite's constraint codes or PostgreSQL's SQLSTATE 23505.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        _ => false,
    };

    private static string FirstLine(Exception exception)
    {
        // Npgsql wraps the socket error; its message is the useful one ("Connection refused").
        var message = exception.InnerException is System.Net.Sockets.SocketException socket ? $"{exception.Message} ({socket.Message})" : exception.Message;
        return message.Split('\n')[0].Trim();
    }

    private sealed class EngineFactory<TContext>(IDbContextFactory<TContext> engine) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => engine.CreateDbContext();

        public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await engine.CreateDbContextAsync(cancellationToken);
    }

    private sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}

/// <summary>The configured database cannot be reached or opened; the message says which and why, without secrets.</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
