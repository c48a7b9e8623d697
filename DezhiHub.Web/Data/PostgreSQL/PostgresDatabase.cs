using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DezhiHub.Web.Data.PostgreSQL;

internal static class PostgresDatabase
{
    /// <summary>
    /// The operator's connection string with the app's defaults where it says nothing: Npgsql prepares a statement on
    /// the server once it has run twice (<c>Max Auto Prepare</c>), so the handful of statements a check-in or a page
    /// runs are parsed and planned once per connection, not on every request; and a connection going back to the pool is
    /// not reset (<c>No Reset On Close</c>): the reset is five statements on the next use of the connection, and the app
    /// leaves no session state to reset — it never SETs a session variable and takes only transaction-scoped locks.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 200;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Before anything else: reaches the server with a plain connection, so a wrong host, port or password is one clear
    /// line (EF would log its own error first), and creates the database when the server says it does not exist yet (the
    /// first run of a new deployment; the role needs CREATEDB for that, or an operator creates it beforehand). Instances
    /// starting at once may both try: the one that finds it made by the other goes on.
    /// </summary>
    public static async Task EnsureDatabaseAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
            await connection.OpenAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            try
            {
                await db.GetService<IRelationalDatabaseCreator>().CreateAsync(cancellationToken);
            }
            catch (PostgresException created) when (created.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another instance made it first.
            }
        }
    }

    /// <summary>Before migrating: the database exists, and so does EF's history table.</summary>
    public static async Task PrepareAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        await EnsureDatabaseAsync(db, cancellationToken);
        // EF's migrator reads the history table before creating it on a new database and logs the failed read as an
        // error; creating it first (if missing) keeps a first start's log clean.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
    }
}
