using System.Diagnostics;
using System.Globalization;
using DezhiHub.Web.Data.PostgreSQL;
using Npgsql;

namespace DezhiHub.Bench;

/// <summary>
/// The PostgreSQL side of <c>--provider postgres</c>: the server (<c>DEZHIHUB_BENCH_POSTGRES</c>, else the tests'
/// <c>DEZHIHUB_TEST_POSTGRES</c>, else the throw-away cluster of <c>tools/test-postgres.sh</c>), and a PostgreSQL copy of
/// a generated SQLite city made with the app's own <c>copy-data</c> verb, kept between runs like the SQLite data.
/// </summary>
internal static class BenchPostgres
{
    private const string Complete = "dezhihub bench copy complete";

    public static string Server { get; } =
        Environment.GetEnvironmentVariable("DEZHIHUB_BENCH_POSTGRES") is { Length: > 0 } bench ? bench
        : Environment.GetEnvironmentVariable("DEZHIHUB_TEST_POSTGRES") is { Length: > 0 } tests ? tests
        : "Host=127.0.0.1;Port=55432;Username=postgres";

    public static string Database(string name) => new NpgsqlConnectionStringBuilder(Server) { Database = name, MaxPoolSize = 200 }.ConnectionString;

    /// <summary>
    /// A PostgreSQL database holding what the SQLite services' database holds: reused when an earlier copy completed,
    /// else (re)made by <c>copy-data</c> and then analysed, as an operator would after a bulk load.
    /// </summary>
    public static async Task<string> EnsureCopyAsync(IServiceProvider sqliteServices, string name, bool regenerate, CancellationToken cancellationToken)
    {
        var target = Database(name);
        if (!regenerate && await AdminScalarAsync($"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'", cancellationToken) as string == Complete)
        {
            Console.WriteLine($"postgres: reused the copy in database {name} (--regenerate to copy again)");
            return target;
        }

        await AdminScalarAsync($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""", cancellationToken);
        var clock = Stopwatch.StartNew();
        var exit = await CopyDataCommand.RunAsync(sqliteServices, ["--to-postgres", target], Console.Out, cancellationToken);
        if (exit != 0)
        {
            throw new BenchException($"copy-data to {name} failed (exit {exit}).");
        }

        var copied = clock.Elapsed.TotalSeconds;
        await using (var connection = new NpgsqlConnection(target))
        {
            await connection.OpenAsync(cancellationToken);
            await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 };
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        await AdminScalarAsync($"""COMMENT ON DATABASE "{name}" IS '{Complete}'""", cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgres: copy-data {copied:0.0} s, then VACUUM ANALYZE {clock.Elapsed.TotalSeconds - copied:0.0} s"));
        return target;
    }

    /// <summary>Drops the database the connection string names, if it exists (a run's own database).</summary>
    public static async Task DropAsync(string connectionString, CancellationToken cancellationToken)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await AdminScalarAsync($"""DROP DATABASE IF EXISTS "{new NpgsqlConnectionStringBuilder(connectionString).Database}" WITH (FORCE)""", cancellationToken);
    }

    private static async Task<object?> AdminScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Database("postgres"));
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new BenchException($"no PostgreSQL at {new NpgsqlConnectionStringBuilder(Server).Host}:{new NpgsqlConnectionStringBuilder(Server).Port} ({ex.Message}); start one with eval \"$(tools/test-postgres.sh)\" or set DEZHIHUB_BENCH_POSTGRES.");
        }

        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
