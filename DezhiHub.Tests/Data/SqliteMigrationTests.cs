using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DezhiHub.Tests.Data;

/// <summary>
/// Data fixes inside SQLite's migrations, for deployments older than the change. PostgreSQL deployments start with
/// today's schema (its first migration), so these have no PostgreSQL twin.
/// </summary>
public sealed class SqliteMigrationTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync(engine: DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheWaitlistMigration_NumbersTodaysQueues_InTheirSignUpOrder_AndNewcomersJoinBehind()
    {
        var id = await _host.PublishedActivityAsync(FeatureHost.Start.UtcDateTime.AddDays(29).AddHours(3), "报名测试", capacity: 1);
        var signUps = _host.Scoped<SignUpService>();
        await signUps.SignUpAsync(await _host.SignInAsAsync(Demo.Admin), id);
        var (a, b, c) = (await UserIdAsync(Demo.Resident), await UserIdAsync(Demo.Volunteer), await UserIdAsync(Demo.Partner));
        var at = FeatureHost.Start.UtcDateTime;
        await using (var db = _host.NewDb())
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261207091609_UserSessions");
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM Registrations WHERE UserId IN ({a}, {b}, {c})");
            // Before numbers: the queue was sign-up time, then id. c and b signed up at the same moment, c first.
            foreach (var (user, signedUp) in new[] { (a, at.AddMinutes(2)), (c, at.AddMinutes(1)), (b, at.AddMinutes(1)) })
            {
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO Registrations (ActivityId, UserId, Status, SignedUpAtUtc) VALUES ({id}, {user}, 'Waitlisted', {signedUp})");
            }

            await migrator.MigrateAsync();
        }

        var roster = await signUps.RosterAsync(await _host.SignInAsAsync(Demo.OrganizerHongxing), id);
        Assert.Equal([(c, 1), (b, 2), (a, 3)], roster.Where(r => r.WaitlistPosition is not null).Select(r => (r.UserId, r.WaitlistPosition ?? 0)));
        var newcomer = await _host.SignInAsAsync(Demo.OrganizerHeping);
        Assert.Equal(new SignUpResult(SignUpOutcome.Waitlisted, 4), await signUps.SignUpAsync(newcomer, id));
    }

    private async Task<int> UserIdAsync(string phone)
    {
        await using var db = _host.NewDb();
        return await db.Users.Where(u => u.PhoneNumber == phone).Select(u => u.Id).SingleAsync();
    }
}
