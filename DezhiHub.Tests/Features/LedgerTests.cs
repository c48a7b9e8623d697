using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DezhiHub.Tests.Features;

/// <summary>The append-only ledgers on real SQLite: invariants, triggers, once-only sources, star levels.</summary>
public sealed class LedgerTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 12, 31, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Ledger Ledger => _host.Services.GetRequiredService<Ledger>();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomSequences_OfEarnRedeemRefundReverse_KeepTheBalanceEqualToTheSum_AndNeverNegative(int seed)
    {
        var random = new Random(seed);
        var people = new[] { _city.Volunteer.Id, _city.Resident.Id };
        var refused = 0;
        for (var step = 0; step < 150; step++)
        {
            var person = people[random.Next(people.Length)];
            await using var db = _host.NewDb();
            await using var transaction = await db.Database.BeginTransactionAsync();
            try
            {
                switch (random.Next(4))
                {
                    case 0:
                        await Ledger.PostPointsAsync(db, person, random.Next(1, 40), PointsKind.Earned, $"test:earn:{step}", Start);
                        break;
                    case 1:
                        await Ledger.PostPointsAsync(db, person, -random.Next(1, 60), PointsKind.Redeemed, $"test:redeem:{step}", Start);
                        break;
                    case 2:
                        // A refund of an earlier redemption of this person, at most once.
                        var redemption = await db.PointsEntries.Where(e => e.UserId == person && e.Kind == PointsKind.Redeemed)
                            .OrderBy(e => e.Id).Skip(random.Next(3)).FirstOrDefaultAsync();
                        if (redemption is not null)
                        {
                            await Ledger.PostPointsAsync(db, person, -redemption.Delta, PointsKind.Refunded, $"refund:{redemption.SourceKey}", Start);
                        }

                        break;
                    default:
                        var earning = await db.PointsEntries.Where(e => e.UserId == person && e.Kind == PointsKind.Earned)
                            .OrderBy(e => e.Id).Skip(random.Next(3)).FirstOrDefaultAsync();
                        if (earning is not null)
                        {
                            await Ledger.PostPointsAsync(db, person, -earning.Delta, PointsKind.Reversed, $"reversal:{earning.Id}", Start, reason: "测试");
                        }

                        break;
                }

                await transaction.CommitAsync();
            }
            catch (DomainException ex) when (ex.Code == "Points.InsufficientBalance")
            {
                refused++;
                await transaction.RollbackAsync();
            }

            await AssertConsistentAsync(person);
        }

        Assert.True(refused > 0, "the sequence tried to overdraw at least once");
    }

    [Fact]
    public async Task ParallelDebits_NeverOverdraw()
    {
        var person = _city.Partner.Id;
        await PostAsync(db => Ledger.PostPointsAsync(db, person, 100, PointsKind.Earned, "test:seed", Start));

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            try
            {
                await PostAsync(db => Ledger.PostPointsAsync(db, person, -10, PointsKind.Redeemed, $"test:debit:{i}", Start));
                return true;
            }
            catch (DomainException)
            {
                return false;
            }
        }));

        Assert.Equal(10, results.Count(ok => ok));
        await AssertConsistentAsync(person);
        await using var check = _host.NewDb();
        Assert.Equal(0, await check.VolunteerProfiles.Where(p => p.UserId == person).Select(p => p.PointsBalance).SingleAsync());
    }

    [Fact]
    public async Task TheDatabase_RefusesUpdateAndDelete_OfLedgerRows_AndANegativeBalance()
    {
        var person = _city.Partner.Id;
        await PostAsync(db => Ledger.PostPointsAsync(db, person, 30, PointsKind.Earned, "test:a", Start));
        await PostAsync(db => Ledger.PostHoursAsync(db, person, 90, HoursKind.Attendance, "test:a", Start));
        await using var db = _host.NewDb();

        string[] refused =
        [
            "UPDATE \"PointsEntries\" SET \"Delta\" = 3000",
            "DELETE FROM \"PointsEntries\"",
            "UPDATE \"HoursEntries\" SET \"Minutes\" = 9000",
            "DELETE FROM \"HoursEntries\"",
            "UPDATE \"VolunteerProfiles\" SET \"PointsBalance\" = -1",
            // SQLite has no TRUNCATE (its DELETE without WHERE is refused above); PostgreSQL's skips row triggers.
            .. TestEngine.IsPostgres ? ["TRUNCATE \"PointsEntries\"", "TRUNCATE \"HoursEntries\""] : Array.Empty<string>(),
        ];
        foreach (var sql in refused)
        {
            var ex = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync(sql));
            // SQLITE_CONSTRAINT (RAISE(ABORT) or the CHECK); PostgreSQL's restrict_violation (the PL/pgSQL trigger) or check_violation.
            Assert.True(ex is SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23001" or "23514" }, $"{sql}: {ex.Message}");
        }

        Assert.Equal(30, await db.PointsEntries.Where(e => e.UserId == person).SumAsync(e => e.Delta));
        Assert.Equal(90, await db.HoursEntries.Where(e => e.UserId == person).SumAsync(e => e.Minutes));
    }

    /// <summary>
    /// Rule 15 of decision 0014: the same source posted by twenty requests at once (a double tap, a sweep racing a
    /// confirmation) credits once, and every other request is answered "already posted" (null), not an error. On
    /// PostgreSQL each request's "already posted?" read ran before the others committed until the profile row became
    /// the ledger's lock.
    /// </summary>
    [Fact]
    public async Task TwentyParallelPostsOfOneSource_CreditOnce_AndTheOthersAreToldItIsPostedAlready()
    {
        var person = _city.Partner.Id;
        var mark = _host.Logs.Mark;
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await using var db = _host.NewDb();
            await using var transaction = await db.Database.BeginTransactionAsync();
            object? entry = i % 2 == 0
                ? await Ledger.PostPointsAsync(db, person, 15, PointsKind.Earned, "attendance:9191", Start)
                : await Ledger.PostHoursAsync(db, person, 90, HoursKind.Attendance, "attendance:9191", Start);
            await transaction.CommitAsync();
            return entry is not null;
        })));

        Assert.Equal(2, results.Count(posted => posted));
        await using var check = _host.NewDb();
        Assert.Equal(1, await check.PointsEntries.CountAsync(e => e.SourceKey == "attendance:9191"));
        Assert.Equal(1, await check.HoursEntries.CountAsync(e => e.SourceKey == "attendance:9191"));
        await AssertConsistentAsync(person);
        Assert.DoesNotContain(_host.Logs.Since(mark), e => e.Level >= LogLevel.Error);
    }

    /// <summary>
    /// Rule 19 of decision 0014: the reconciliation runs while people earn and spend. A post committed between its
    /// ledger sums and its cache read looked like drift, and the cache was "corrected" back to the stale sum. Now each
    /// suspect is locked and read again before anything is corrected.
    /// </summary>
    [Fact]
    public async Task TheReconciliation_WhilePostsGoOn_CorrectsNothing_AndLeavesEveryCacheEqualToItsLedger()
    {
        var people = new[] { _city.Partner.Id, _city.Resident.Id, _city.Volunteer.Id };
        using var stop = new CancellationTokenSource();
        var posts = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var person = people[(worker + i) % people.Length];
                await PostAsync(async db =>
                {
                    await Ledger.PostPointsAsync(db, person, 3, PointsKind.Earned, $"test:busy:{worker}:{i}", Start);
                    await Ledger.PostHoursAsync(db, person, 5, HoursKind.Attendance, $"test:busy:{worker}:{i}", Start);
                });
            }
        })).ToList();

        var corrected = new List<LedgerDrift>();
        for (var run = 0; run < 15; run++)
        {
            corrected.AddRange(await _host.Scoped<LedgerReconciliation>().RunAsync());
        }

        await stop.CancelAsync();
        await Task.WhenAll(posts);
        Assert.Empty(corrected);
        foreach (var person in people)
        {
            await AssertConsistentAsync(person);
        }
    }

    [Fact]
    public async Task ASource_CreditsOnce()
    {
        var person = _city.Partner.Id;
        await PostAsync(db => Ledger.PostPointsAsync(db, person, 30, PointsKind.Earned, "attendance:4242", Start));
        PointsEntry? again = null;
        await PostAsync(async db => again = await Ledger.PostPointsAsync(db, person, 30, PointsKind.Earned, "attendance:4242", Start));

        Assert.Null(again);
        await using var db = _host.NewDb();
        Assert.Equal(30, await db.VolunteerProfiles.Where(p => p.UserId == person).Select(p => p.PointsBalance).SingleAsync());
    }

    [Fact]
    public async Task ConfirmedAttendance_ReachesBothLedgersOnce_WithThePointsOfItsActivity_AndTheSweepAddsNothing()
    {
        var id = await _city.PublishedActivityAsync(Start, "积分测试");
        var person = _city.Partner.Principal;
        await _host.Scoped<SignUpService>().SignUpAsync(person, id);
        _host.Clock.SetUtcNow(Start);
        await _host.Scoped<CheckInService>().ScanAsync(person, id, CheckInPurpose.CheckIn);
        _host.Clock.SetUtcNow(Start.AddMinutes(90));
        await _host.Scoped<CheckInService>().ScanAsync(person, id, CheckInPurpose.CheckOut);
        _host.Clock.SetUtcNow(Start.AddHours(3));
        var organizer = _city.Organizer.Principal;

        await _host.Scoped<AttendanceService>().ConfirmAsync(organizer, id, []);
        _host.Clock.SetUtcNow(Start.AddDays(3));
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<ActivitySweeps>(scope.ServiceProvider).RunAsync(Start.AddDays(3));
        }

        await using var db = _host.NewDb();
        var userId = person.RequiredUserId();
        var hours = await db.HoursEntries.Where(e => e.UserId == userId).ToListAsync();
        var points = await db.PointsEntries.Where(e => e.UserId == userId).ToListAsync();
        Assert.Equal((90, HoursKind.Attendance, id), (Assert.Single(hours).Minutes, hours[0].Kind, hours[0].ActivityId));
        Assert.Equal((15, PointsKind.Earned), (Assert.Single(points).Delta, points[0].Kind)); // 1.5 h × 10 points
        Assert.Equal(hours[0].SourceKey, points[0].SourceKey);
        var totals = await db.VolunteerPeriodTotals.Where(t => t.UserId == userId).OrderBy(t => t.Period).ToListAsync();
        Assert.Equal(["2026", "2026-12"], totals.Select(t => t.Period));
        Assert.All(totals, t => Assert.Equal((90L, 15), (t.Minutes, t.PointsEarned)));
    }

    [Fact]
    public async Task ReachingAStarLevel_IsAnnouncedOnce_AndACorrectionLowersItQuietly()
    {
        var person = _city.Partner.Id;
        await PostAsync(db => Ledger.PostHoursAsync(db, person, 99 * 60, HoursKind.Attendance, "test:1", Start));
        await PostAsync(db => Ledger.PostHoursAsync(db, person, 60, HoursKind.Attendance, "test:2", Start));
        await PostAsync(db => Ledger.PostHoursAsync(db, person, 30, HoursKind.Attendance, "test:3", Start));
        await PostAsync(db => Ledger.PostHoursAsync(db, person, -120, HoursKind.Correction, "correction:test", Start, reason: "重复登记"));

        await using var db = _host.NewDb();
        var notices = await db.Notifications.Where(n => n.UserId == person && n.MessageKey == "Volunteer.StarReached").ToListAsync();
        Assert.Equal(["1", "100"], Assert.Single(notices).Args);
        var profile = await db.VolunteerProfiles.SingleAsync(p => p.UserId == person);
        Assert.Equal((99L * 60 + 90 - 120, 0), (profile.TotalMinutes, profile.StarLevel));
    }

    [Fact]
    public async Task TheNightlyCheck_FindsDrift_SetsItRightFromTheLedger_AndAlertsTheAdmins_ThenFindsNothing()
    {
        var person = _city.Partner.Id;
        await PostAsync(db => Ledger.PostPointsAsync(db, person, 40, PointsKind.Earned, "test:b", Start));
        await PostAsync(db => Ledger.PostHoursAsync(db, person, 120, HoursKind.Attendance, "test:b", Start));
        var reconciliation = _host.Scoped<LedgerReconciliation>();
        Assert.Empty(await reconciliation.RunAsync());
        await using (var db = _host.NewDb())
        {
            // Drift that only a bug (or a hand in the database) could cause: the cache, not the ledger, is changed.
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"VolunteerProfiles\" SET \"PointsBalance\" = 1000 WHERE \"UserId\" = {person}");
        }

        var drift = Assert.Single(await reconciliation.RunAsync());

        Assert.Equal((person, 1000, 40), (drift.UserId, drift.CachedBalance, drift.LedgerBalance));
        await using (var db = _host.NewDb())
        {
            Assert.Equal(40, await db.VolunteerProfiles.Where(p => p.UserId == person).Select(p => p.PointsBalance).SingleAsync());
            var admin = await db.Users.Where(u => u.PhoneNumber == _city.Admin.Phone).Select(u => u.Id).SingleAsync();
            Assert.True(await db.Notifications.AnyAsync(n => n.UserId == admin && n.MessageKey == "Ledger.DriftAlert"));
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "ledger.drift-corrected"));
        }

        Assert.Empty(await reconciliation.RunAsync());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100 * 60 - 1, 0)]
    [InlineData(100 * 60, 1)]
    [InlineData(300 * 60, 2)]
    [InlineData(600 * 60, 3)]
    [InlineData(1000 * 60, 4)]
    [InlineData(1500 * 60, 5)]
    [InlineData(9000 * 60, 5)]
    public void StarLevels_FollowTheNationalScheme(long minutes, int level) => Assert.Equal(level, StarLevel.ForMinutes(minutes));

    private async Task PostAsync(Func<AppDbContext, Task> post)
    {
        await using var db = _host.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await post(db);
        await transaction.CommitAsync();
    }

    private async Task AssertConsistentAsync(int person)
    {
        await using var db = _host.NewDb();
        var sum = await db.PointsEntries.Where(e => e.UserId == person).SumAsync(e => (int?)e.Delta) ?? 0;
        var balance = await db.VolunteerProfiles.Where(p => p.UserId == person).Select(p => (int?)p.PointsBalance).SingleOrDefaultAsync() ?? 0;
        var last = await db.PointsEntries.Where(e => e.UserId == person).OrderByDescending(e => e.Id).Select(e => (int?)e.BalanceAfter).FirstOrDefaultAsync() ?? 0;
        Assert.Equal(sum, balance);
        Assert.Equal(sum, last);
        Assert.True(balance >= 0);
    }
}
