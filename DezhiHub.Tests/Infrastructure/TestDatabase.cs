using System.Collections.Concurrent;
using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// Which engine the Features and Web tiers run on: SQLite unless <c>DEZHIHUB_TEST_ENGINE=PostgreSQL</c>, which the
/// README's second test command sets (decision 0015).
/// </summary>
public static class TestEngine
{
    public static DatabaseProvider Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable("DEZHIHUB_TEST_ENGINE"), "PostgreSQL", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.PostgreSQL
            : DatabaseProvider.Sqlite;

    public static bool IsPostgres => Current == DatabaseProvider.PostgreSQL;
}

/// <summary>
/// The throw-away PostgreSQL server the tests use (<c>tools/test-postgres.sh</c> starts one and prints
/// <c>DEZHIHUB_TEST_POSTGRES</c>). Every test gets a database of its own, copied from a migrated template with
/// <c>CREATE DATABASE … TEMPLATE</c> and dropped afterwards. Without a server the PostgreSQL-only tests are skipped
/// with the reason — unless <c>DEZHIHUB_PG=required</c> (CI), where they fail.
/// </summary>
public static class TestPostgres
{
    public const string MissingReason =
        "no PostgreSQL server for the tests: run eval \"$(tools/test-postgres.sh)\" to start one (sets DEZHIHUB_TEST_POSTGRES)";

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Templates = new();

    public static string? Server { get; } = Environment.GetEnvironmentVariable("DEZHIHUB_TEST_POSTGRES") is { Length: > 0 } server ? server : null;

    public static bool Required => Environment.GetEnvironmentVariable("DEZHIHUB_PG") == "required" || TestEngine.IsPostgres;

    /// <summary>For PostgreSQL-only tests: skips without a server, fails when one is required.</summary>
    public static void Require()
    {
        if (Server is null)
        {
            if (Required)
            {
                throw new InvalidOperationException("PostgreSQL is required here (DEZHIHUB_PG=required or DEZHIHUB_TEST_ENGINE=PostgreSQL) but there is " + MissingReason);
            }

            Skip.If(true, MissingReason);
        }
    }

    /// <summary>A new, empty database (no tables); returns its connection string.</summary>
    public static Task<string> CreateDatabaseAsync() => CreateDatabaseAsync(template: null);

    /// <summary>
    /// A new database copied from the template named <paramref name="key"/>, which <paramref name="build"/> fills once per
    /// test run (given the template's connection string).
    /// </summary>
    public static async Task<string> CreateFromTemplateAsync(string key, Func<string, Task> build)
    {
        var template = await Templates.GetOrAdd(key, k => new Lazy<Task<string>>(() => BuildTemplateAsync(k, build))).Value;
        return await CreateDatabaseAsync(template);
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await AdminAsync($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""");
    }

    private static async Task<string> CreateDatabaseAsync(string? template)
    {
        if (Server is null)
        {
            throw new InvalidOperationException("PostgreSQL tests need a server: " + MissingReason);
        }

        var name = $"dezhihub_t_{Environment.ProcessId}_{Guid.NewGuid():N}";
        await AdminAsync(template is null ? $"""CREATE DATABASE "{name}" """ : $"""CREATE DATABASE "{name}" TEMPLATE "{template}" """);
        return Of(name);
    }

    private static async Task<string> BuildTemplateAsync(string key, Func<string, Task> build)
    {
        await DropLeftoversAsync();
        var name = $"dezhihub_tpl_{key}_{Environment.ProcessId}";
        await AdminAsync($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""");
        await AdminAsync($"""CREATE DATABASE "{name}" """);
        // Unpooled: a template must have no open connections when it is copied.
        await build(Of(name) + ";Pooling=false");
        await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => AdminAsync($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""").GetAwaiter().GetResult();
        return name;
    }

    /// <summary>Drops the databases of test runs that are no longer running (killed before they could clean up).</summary>
    private static async Task DropLeftoversAsync()
    {
        await using var connection = new NpgsqlConnection(Of("postgres"));
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'dezhihub\\_t%'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names.Where(n => OwnerProcess(n) is { } pid && !IsRunning(pid)))
        {
            await AdminAsync($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""");
        }

        // dezhihub_t_<pid>_<guid> and dezhihub_tpl_<key>_<pid>.
        static int? OwnerProcess(string name)
        {
            var parts = name.Split('_');
            var pid = name.StartsWith("dezhihub_tpl_", StringComparison.Ordinal) ? parts[^1] : parts.Length > 2 ? parts[2] : "";
            return int.TryParse(pid, out var id) ? id : null;
        }

        static bool IsRunning(int pid)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }

    private static string Of(string database) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString;

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Of("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Holding writers back, to line up a race the way two people at two desks would run it.</summary>
public static class WriteLock
{
    /// <summary>
    /// Until disposed, writes to <paramref name="table"/> wait (readers go on): on SQLite the database's write lock
    /// (BEGIN IMMEDIATE), on PostgreSQL an EXCLUSIVE lock on the table. Disposing rolls back.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldAsync(FeatureHost host, string table)
    {
        await using var db = host.NewDb();
        var connectionString = db.Database.GetConnectionString()!;
        System.Data.Common.DbConnection connection = host.Postgres is null
            ? new Microsoft.Data.Sqlite.SqliteConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = host.Postgres is null ? "BEGIN IMMEDIATE;" : $"""BEGIN; LOCK TABLE "{table}" IN EXCLUSIVE MODE;""";
        await command.ExecuteNonQueryAsync();
        return new Held(connection);
    }

    private sealed class Held(System.Data.Common.DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK;";
                await rollback.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }
}
