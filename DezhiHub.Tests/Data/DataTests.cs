using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Data;

public sealed class DataTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync(demoData: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheDatabaseFile_UsesWal_AndForeignKeys()
    {
        await using var db = _host.NewDb();
        Assert.True(File.Exists(Path.Combine(_host.DataPath, DataServiceCollectionExtensions.DatabaseFileName)));
        Assert.Equal("wal", await Scalar(db, "PRAGMA journal_mode;"));
        Assert.Equal("1", await Scalar(db, "PRAGMA foreign_keys;"));
        // The app's own busy handler replaces SQLite's busy_timeout (see the next test).
        Assert.Equal("0", await Scalar(db, "PRAGMA busy_timeout;"));
    }

    /// <summary>
    /// A writer waits for another connection's write lock instead of failing, and goes on within milliseconds of its
    /// release. SQLite's busy_timeout woke a waiter in sleeps of up to 100 ms (Microsoft.Data.Sqlite's own retry, with
    /// no handler, every 150 ms): measured with busy_timeout, the median lateness over seven tries was ~90 ms.
    /// </summary>
    [Fact]
    public async Task AWriter_WaitsForAnotherConnectionsWriteLock_AndGoesOnAsSoonAsItIsFree()
    {
        await using (var setup = _host.NewDb())
        {
            await setup.Database.ExecuteSqlRawAsync("CREATE TABLE BusyProbe (X INTEGER);");
        }

        var lateness = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            await using var holder = _host.NewDb();
            await holder.Database.OpenConnectionAsync();
            await holder.Database.ExecuteSqlRawAsync("BEGIN IMMEDIATE;");
            var waiter = Task.Run(async () =>
            {
                await using var db = _host.NewDb();
                await db.Database.ExecuteSqlRawAsync("INSERT INTO BusyProbe VALUES (1);");
                return System.Diagnostics.Stopwatch.GetTimestamp();
            });
            // 340 ms: between two of busy_timeout's wake-ups (…, 328, 428 ms), so the old wait shows (~90 ms late).
            await Task.Delay(340);
            Assert.False(waiter.IsCompleted, "the second writer did not wait for the lock");
            await holder.Database.ExecuteSqlRawAsync("COMMIT;");
            var released = System.Diagnostics.Stopwatch.GetTimestamp();
            lateness.Add(System.Diagnostics.Stopwatch.GetElapsedTime(released, await waiter).TotalMilliseconds);
        }

        lateness.Sort();
        Assert.True(lateness[3] < 25, $"a waiting writer went on {string.Join(", ", lateness.Select(l => l.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} ms after the lock was free");
        await using var check = _host.NewDb();
        Assert.Equal("7", await Scalar(check, "SELECT COUNT(*) FROM BusyProbe;"));
    }

    [Fact]
    public async Task Times_ComeBackAsUtc()
    {
        await using (var db = _host.NewDb())
        {
            db.AuditEntries.Add(DezhiHub.Domain.Auditing.AuditEntry.Create(new DateTime(2026, 5, 20, 1, 2, 3, DateTimeKind.Utc), null, "t", "test", "T", "1", null, null, null));
            await db.SaveChangesAsync();
        }

        await using var read = _host.NewDb();
        var entry = await read.AuditEntries.SingleAsync(a => a.Action == "test");
        Assert.Equal(DateTimeKind.Utc, entry.OccurredAtUtc.Kind);
        Assert.Equal(new DateTime(2026, 5, 20, 1, 2, 3, DateTimeKind.Utc), entry.OccurredAtUtc);
    }

    [Fact]
    public async Task AnEmptyDatabase_GetsTheRolesButNoDemoData()
    {
        await using var db = _host.NewDb();
        Assert.Equal(4, await db.Roles.CountAsync());
        Assert.False(await db.OrgNodes.AnyAsync());
        Assert.False(await db.Users.AnyAsync());
    }

    private static async Task<string?> Scalar(AppDbContext db, string sql)
    {
        // Opened through EF, as the app does, so the connection interceptor sets the per-connection pragmas
        // (a bare DbConnection.Open would skip it and read a pooled connection's leftovers).
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
