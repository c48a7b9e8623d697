using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data.Sqlite;

/// <summary>
/// <c>dotnet DezhiHub.Web.dll backup --to &lt;file&gt;</c>: a consistent copy of the SQLite database, taken while the app
/// serves (<c>VACUUM INTO</c> reads one snapshot; writers go on meanwhile), then checked: the copy opens, passes
/// <c>PRAGMA integrity_check</c>, and every volunteer's cached points and minutes equal their ledger sums. An existing
/// file is never overwritten. The copy holds the shared keys (sign-ins, QR codes), so keep it as safe as the database;
/// the uploaded pictures are files beside the database, not in it: the README says to copy the picture folders with it.
/// </summary>
public static class BackupCommand
{
    public const string Verb = "backup";


    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        if (args is not ["--to", { Length: > 0 } to])
        {
            await output.WriteLineAsync("Usage: backup --to <file>   (a new file; an existing one is not overwritten)");
            return 2;
        }

        if (services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.Engine != DatabaseProvider.Sqlite)
        {
            await output.WriteLineAsync("This deployment runs on PostgreSQL: back it up with pg_dump (README, \"Backups\"). Nothing was written.");
            return 2;
        }

        var target = Path.GetFullPath(to);
        if (File.Exists(target))
        {
            await output.WriteLineAsync($"{target} exists already; choose a new file name. Nothing was written.");
            return 2;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            // The file name is a parameter of a literal: VACUUM INTO takes an expression.
            await db.Database.ExecuteSqlRawAsync("VACUUM INTO {0};", [target], cancellationToken);
        }

        var (integrity, mismatches, volunteers) = await CheckAsync(target, cancellationToken);
        if (integrity != "ok" || mismatches != 0)
        {
            await output.WriteLineAsync($"The copy at {target} failed its check (integrity: {integrity}; volunteers whose totals differ from their ledgers: {mismatches}). Keep the previous backup.");
            return 1;
        }

        await output.WriteLineAsync(
            $"Backed up to {target} ({new FileInfo(target).Length / 1024:N0} KiB): integrity ok, the ledgers of {volunteers} volunteers agree with their totals. " +
            "It holds the sign-in and QR keys: keep it as safe as the database. Copy the data folder's covers/, rewards/ and wedding-photos/ with it.");
        return 0;
    }

    /// <summary>Opens a copy read-only and returns its integrity check, the ledger mismatches and how many volunteers it holds.</summary>
    public static async Task<(string Integrity, long Mismatches, long Volunteers)> CheckAsync(string file, CancellationToken cancellationToken = default)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return (
            (string)(await ScalarAsync(connection, "PRAGMA integrity_check;", cancellationToken))!,
            (long)(await ScalarAsync(connection, LedgerSql.VolunteersWhoseTotalsDifferFromTheirLedgers, cancellationToken))!,
            (long)(await ScalarAsync(connection, """SELECT COUNT(*) FROM "VolunteerProfiles";""", cancellationToken))!);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
