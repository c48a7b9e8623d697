using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

public sealed class DataTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync(demoData: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheDatabaseFile_UsesWal_ForeignKeys_AndABusyTimeout()
    {
        await using var db = _host.NewDb();
        Assert.True(File.Exists(Path.Combine(_host.DataPath, DataServiceCollectionExtensions.DatabaseFileName)));
        Assert.Equal("wal", await Scalar(db, "PRAGMA journal_mode;"));
        Assert.Equal("1", await Scalar(db, "PRAGMA foreign_keys;"));
        Assert.Equal("5000", await Scalar(db, "PRAGMA busy_timeout;"));
    }

    [Fact]
    public async Task TheMigrations_MatchTheModel()
    {
        await using var db = _host.NewDb();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changed: add a migration (dotnet ef migrations add …).");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
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
