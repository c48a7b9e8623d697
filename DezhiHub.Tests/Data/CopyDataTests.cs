using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Data.PostgreSQL;
using DezhiHub.Web.Features.Activities;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Data;

/// <summary>
/// <c>copy-data --to-postgres</c>: a SQLite deployment (the demo city, with its history) moved into an empty PostgreSQL
/// database keeps every row and id, and the app works on the copy.
/// </summary>
public sealed class CopyDataTests : IAsyncLifetime
{
    private FeatureHost _sqlite = default!;

    public async Task InitializeAsync() => _sqlite = await FeatureHost.CreateAsync(engine: DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    [SkippableFact]
    public async Task TheDemoCity_IsCopiedWithItsIds_AndTheAppWorksOnTheCopy()
    {
        TestPostgres.Require();
        var target = await TestPostgres.CreateDatabaseAsync();
        var output = new StringWriter();

        Assert.Equal(0, await CopyDataCommand.RunAsync(_sqlite.Services, ["--to-postgres", target], output));
        Assert.Contains("every table's row count matches", output.ToString());

        await using var copy = FeatureHost.OnPostgres(target);
        await using (var from = _sqlite.NewDb())
        await using (var to = copy.NewDb())
        {
            Assert.True(to.Database.IsNpgsql());
            Assert.Equal(
                await from.Users.OrderBy(u => u.Id).Select(u => new { u.Id, u.PhoneNumber, u.RealName, u.OrgNodeId, u.CreatedAtUtc }).ToListAsync(),
                await to.Users.OrderBy(u => u.Id).Select(u => new { u.Id, u.PhoneNumber, u.RealName, u.OrgNodeId, u.CreatedAtUtc }).ToListAsync());
            Assert.Equal(
                await from.OrgNodes.OrderBy(n => n.Id).Select(n => new { n.Id, n.ParentId, n.Path, n.Name }).ToListAsync(),
                await to.OrgNodes.OrderBy(n => n.Id).Select(n => new { n.Id, n.ParentId, n.Path, n.Name }).ToListAsync());
            Assert.Equal(
                await from.PointsEntries.OrderBy(e => e.Id).Select(e => new { e.Id, e.UserId, e.Delta, e.Kind, e.SourceKey, e.BalanceAfter, e.CreatedAtUtc }).ToListAsync(),
                await to.PointsEntries.OrderBy(e => e.Id).Select(e => new { e.Id, e.UserId, e.Delta, e.Kind, e.SourceKey, e.BalanceAfter, e.CreatedAtUtc }).ToListAsync());
            Assert.Equal(DateTimeKind.Utc, (await to.Activities.FirstAsync()).StartUtc.Kind);
            // The ledgers stay append-only on the copy.
            await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => to.Database.ExecuteSqlRawAsync("""UPDATE "PointsEntries" SET "Delta" = 0"""));
        }

        // The sequences moved past the copied ids: new rows get new ids, and the app's services work.
        var id = await copy.PublishedActivityAsync(FeatureHost.Start.UtcDateTime.AddDays(45).AddHours(13), "迁移后的第一个活动");
        await copy.Scoped<SignUpService>().SignUpAsync(await copy.SignInAsAsync(Demo.Resident), id);
        await using var check = copy.NewDb();
        Assert.True(id > await check.Activities.Where(a => a.Id != id).MaxAsync(a => a.Id));
        Assert.Equal(0, await check.Database.SqlQueryRaw<int>($"SELECT CAST(({LedgerSql.VolunteersWhoseTotalsDifferFromTheirLedgers}) AS integer) AS \"Value\"").SingleAsync());
    }

    [SkippableFact]
    public async Task ATargetWithRows_IsRefused_AndNothingIsCopied()
    {
        TestPostgres.Require();
        await using var filled = await FeatureHost.CreateAsync(engine: DatabaseProvider.PostgreSQL);
        int before;
        await using (var db = filled.NewDb())
        {
            before = await db.PointsEntries.CountAsync();
        }

        var output = new StringWriter();
        Assert.Equal(2, await CopyDataCommand.RunAsync(_sqlite.Services, ["--to-postgres", filled.Postgres!], output));
        Assert.Contains("is not empty", output.ToString());
        await using var after = filled.NewDb();
        Assert.Equal(before, await after.PointsEntries.CountAsync());
    }

    [Theory]
    [InlineData]
    [InlineData("--to-postgres")]
    [InlineData("--to", "Host=x;Database=y")]
    public async Task WrongArguments_PrintTheUsage(params string[] args)
    {
        var output = new StringWriter();
        Assert.Equal(2, await CopyDataCommand.RunAsync(_sqlite.Services, args, output));
        Assert.StartsWith("Usage: copy-data --to-postgres", output.ToString());
    }

    [Fact]
    public async Task AConnectionStringWithoutADatabase_IsRefusedInOneLine()
    {
        var output = new StringWriter();
        Assert.Equal(2, await CopyDataCommand.RunAsync(_sqlite.Services, ["--to-postgres", "Host=127.0.0.1;Username=u"], output));
        Assert.Equal("--to-postgres names no database (Database=…).", output.ToString().Trim());
    }
}
