using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data.Sqlite;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using Microsoft.Data.Sqlite;

namespace DezhiHub.Tests.Data;

/// <summary>
/// <c>backup --to &lt;file&gt;</c> copies the database while the app writes, and the copy opens, passes SQLite's
/// integrity check and keeps every volunteer's totals equal to their ledgers; an existing file is never overwritten.
/// </summary>
public sealed class BackupTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ABackupTakenWhileAwardsAreCredited_PassesItsChecks_AndHoldsOneMomentOfTheLedgers()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var volunteer = (await _host.SignInAsAsync(Demo.Volunteer)).RequiredUserId();
        using var stop = new CancellationTokenSource();
        var credited = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await _host.Scoped<VolunteerService>().AwardAsync(organizer, volunteer, 1, "备份期间的奖励");
                Interlocked.Increment(ref credited);
            }
        });
        while (Volatile.Read(ref credited) < 5)
        {
            await Task.Delay(10);
        }

        var target = Path.Combine(_host.DataPath, "backups", "dezhihub-1.db");
        var output = new StringWriter();
        var code = await BackupCommand.RunAsync(_host.Services, ["--to", target], output);
        var creditedByThen = Volatile.Read(ref credited);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(0, code);
        Assert.Contains("integrity ok", output.ToString(), StringComparison.Ordinal);
        var (integrity, mismatches, volunteers) = await BackupCommand.CheckAsync(target);
        Assert.Equal(("ok", 0L), (integrity, mismatches));
        Assert.True(volunteers >= 4, $"{volunteers} volunteers in the copy");
        var inCopy = await AwardsInAsync(target);
        Assert.InRange(inCopy, 5, creditedByThen + 1); // one moment: those credited before it, none after the command returned

        // A second backup to the same file is refused and leaves the first as it was.
        var length = new FileInfo(target).Length;
        var again = new StringWriter();
        Assert.Equal(2, await BackupCommand.RunAsync(_host.Services, ["--to", target], again));
        Assert.Contains("exists already", again.ToString(), StringComparison.Ordinal);
        Assert.Equal(length, new FileInfo(target).Length);
    }

    [Fact]
    public async Task TheCheck_FindsACopyWhoseTotalsDisagreeWithItsLedgers()
    {
        var target = Path.Combine(_host.DataPath, "backups", "tampered.db");
        Assert.Equal(0, await BackupCommand.RunAsync(_host.Services, ["--to", target], new StringWriter()));
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = """UPDATE "VolunteerProfiles" SET "PointsBalance" = "PointsBalance" + 1 WHERE "UserId" = (SELECT MIN("UserId") FROM "VolunteerProfiles");""";
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        Assert.Equal(("ok", 1L), (await BackupCommand.CheckAsync(target)) is var (i, m, _) ? (i, m) : default);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--to")]
    [InlineData("--into x.db")]
    public async Task WithoutATarget_ItSaysHowToUseIt(string arguments)
    {
        var args = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var output = new StringWriter();

        Assert.Equal(2, await BackupCommand.RunAsync(_host.Services, args, output));
        Assert.StartsWith("Usage: backup --to <file>", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<long> AwardsInAsync(string file)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT COUNT(*) FROM "PointsEntries" WHERE "Reason" = '备份期间的奖励';""";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
