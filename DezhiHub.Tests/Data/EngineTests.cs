using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DezhiHub.Tests.Data;

/// <summary>
/// What differs between the engines (decision 0015): each one's migrations, its types and its error codes. The Features
/// and Web tiers run on both; these tests pin the engine-specific pieces and run in the default pass, PostgreSQL ones
/// skipped without a server (failing with DEZHIHUB_PG=required).
/// </summary>
public sealed class EngineTests
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSQL)]
    public async Task EachEnginesMigrations_MatchTheModel_AndMigratingAgainChangesNothing(DatabaseProvider engine)
    {
        // The host's database was migrated from empty when it (or its template) was made.
        await using var host = await FeatureHost.CreateAsync(demoData: false, engine);
        string before;
        await using (var db = host.NewDb())
        {
            Assert.Equal(engine == DatabaseProvider.PostgreSQL, db.Database.IsNpgsql());
            Assert.False(db.Database.HasPendingModelChanges(), $"The model has changed: add a migration for {engine} (README, \"Changing the schema\").");
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
            before = await SchemaAsync(db);
        }

        await host.Services.MigrateDatabaseAsync();

        await using var again = host.NewDb();
        Assert.Equal(before, await SchemaAsync(again));
    }

    [SkippableFact]
    public async Task OnPostgres_TimesAreTimestampsWithTimeZone_AndComeBackAsUtc()
    {
        await using var host = await FeatureHost.CreateAsync(demoData: false, DatabaseProvider.PostgreSQL);
        await using (var db = host.NewDb())
        {
            var types = await db.Database.SqlQueryRaw<string>(
                """SELECT DISTINCT data_type AS "Value" FROM information_schema.columns WHERE table_schema = 'public' AND column_name LIKE '%Utc'""").ToListAsync();
            Assert.Equal(["timestamp with time zone"], types);
            db.AuditEntries.Add(DezhiHub.Domain.Auditing.AuditEntry.Create(new DateTime(2026, 5, 20, 1, 2, 3, DateTimeKind.Utc), null, "t", "test", "T", "1", null, null, null));
            await db.SaveChangesAsync();
        }

        await using var read = host.NewDb();
        var entry = await read.AuditEntries.SingleAsync(a => a.Action == "test");
        Assert.Equal(DateTimeKind.Utc, entry.OccurredAtUtc.Kind);
        Assert.Equal(new DateTime(2026, 5, 20, 1, 2, 3, DateTimeKind.Utc), entry.OccurredAtUtc);
    }

    [SkippableFact]
    public async Task OnPostgres_PathsCompareByteByByte()
    {
        await using var host = await FeatureHost.CreateAsync(demoData: false, DatabaseProvider.PostgreSQL);
        await using var db = host.NewDb();
        var collations = await db.Database.SqlQueryRaw<string>(
            """SELECT DISTINCT collation_name AS "Value" FROM information_schema.columns WHERE table_schema = 'public' AND column_name IN ('Path', 'OrgPath')""").ToListAsync();
        Assert.Equal(["C"], collations);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSQL)]
    public async Task AUniqueIndexViolation_IsRecognisedOnEachEngine(DatabaseProvider engine)
    {
        await using var host = await FeatureHost.CreateAsync(demoData: false, engine);
        await using var db = host.NewDb();
        db.Roles.Add(new IdentityRole<int>("Admin") { NormalizedName = "ADMIN" });
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(ex.IsUniqueViolation(), ex.InnerException?.Message);
    }

    [SkippableFact]
    public async Task TheCompiledQueries_RunOnBothEngines_InOneProcess()
    {
        // EF binds a compiled query to the first model it runs on; the tests (and copy-data) hold both engines' models.
        await using var sqlite = await FeatureHost.CreateAsync(engine: DatabaseProvider.Sqlite);
        await using var postgres = await FeatureHost.CreateAsync(engine: DatabaseProvider.PostgreSQL);
        foreach (var host in new[] { sqlite, postgres, sqlite })
        {
            var volunteer = await host.SignInAsAsync(Demo.Volunteer);
            var sessions = host.Get<DezhiHub.Web.Features.Accounts.UserSessions>();
            var session = await sessions.StartAsync(int.Parse(volunteer.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value));
            var withSession = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                volunteer.Claims.Append(new System.Security.Claims.Claim(DezhiHub.Web.Features.Accounts.UserSessions.ClaimType, session)), "test"));
            Assert.True(await sessions.IsOpenAsync(withSession));
            Assert.Null(await host.Scoped<DezhiHub.Web.Features.CheckIn.CheckInService>().DescribeAsync(int.MaxValue));
        }
    }

    [Theory]
    [InlineData("Oracle", null, "DezhiHub:Database:Provider is 'Oracle'; it must be Sqlite or PostgreSQL.")]
    [InlineData("1", null, "DezhiHub:Database:Provider is '1'; it must be Sqlite or PostgreSQL.")]
    [InlineData("PostgreSQL", null, "DezhiHub:Database:Provider is PostgreSQL but ConnectionStrings:DezhiHub is not set")]
    [InlineData("PostgreSQL", "Host=db;Bogus=1", "ConnectionStrings:DezhiHub is not a valid PostgreSQL connection string")]
    [InlineData("PostgreSQL", "Host=db;Username=u", "ConnectionStrings:DezhiHub names no database (Database=…).")]
    public void AWrongSetting_IsOneLineNamingIt(string provider, string? connectionString, string expected)
    {
        var problem = new DatabaseOptions { Provider = provider, ConnectionString = connectionString }.Problem();
        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("PostgreSQL")]
    public void TheRightSettings_AreUsable(string provider) =>
        Assert.Null(new DatabaseOptions { Provider = provider, ConnectionString = "Host=db;Database=dezhihub;Username=u" }.Problem());

    [Theory]
    [InlineData("Host=db;Database=d", 200, true)]
    [InlineData("Host=db;Database=d;Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    public void TheOperatorsConnectionString_GetsTheAppsDefaults_OnlyWhereItIsSilent(string connectionString, int autoPrepare, bool noReset)
    {
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(DezhiHub.Web.Data.PostgreSQL.PostgresDatabase.Tuned(connectionString));
        Assert.Equal((autoPrepare, noReset), (tuned.MaxAutoPrepare, tuned.NoResetOnClose));
        Assert.Equal(("db", "d"), (tuned.Host, tuned.Database));
    }

    [Fact]
    public async Task AnUnreachableServer_IsOneLineSayingWhere_WithoutThePassword()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new FeatureHost.TestEnvironment(Path.GetTempPath()));
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddDezhiHubData();
        // Port 9 (discard) on loopback: nothing listens there.
        services.Configure<DatabaseOptions>(o => (o.Provider, o.ConnectionString) = ("PostgreSQL", "Host=127.0.0.1;Port=9;Database=dezhihub;Username=u;Password=s3cret;Timeout=3"));
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => provider.MigrateDatabaseAsync());
        Assert.StartsWith("cannot open the PostgreSQL database 'dezhihub' on 127.0.0.1:9: ", ex.Message);
        Assert.DoesNotContain("s3cret", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    /// <summary>Tables, columns with their types, indexes, triggers and applied migrations, as one comparable text.</summary>
    private static async Task<string> SchemaAsync(AppDbContext db)
    {
        var sql = db.Database.IsNpgsql()
            ? """
              SELECT string_agg(x, E'\n' ORDER BY x) AS "Value" FROM (
                  SELECT table_name || '.' || column_name || ' ' || data_type AS x FROM information_schema.columns WHERE table_schema = 'public'
                  UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
                  UNION ALL SELECT tgname || ' ' || tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal
                  UNION ALL SELECT "MigrationId" FROM "__EFMigrationsHistory") AS s
              """
            : """
              SELECT group_concat(x, char(10)) AS "Value" FROM (
                  SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS x FROM sqlite_master
                  UNION ALL SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1)
              """;
        var schema = await db.Database.SqlQueryRaw<string>(sql).SingleAsync();
        Assert.Contains("AppendOnly", schema.Replace("NoUpdate", "AppendOnly", StringComparison.Ordinal), StringComparison.Ordinal);
        return schema;
    }
}
