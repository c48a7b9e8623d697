using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DezhiHub.Tests.Data;

/// <summary>
/// The <c>ScheduleJson</c> migration on each engine: a deployment's delimited hours, sessions, closed dates and photos
/// become JSON (jsonb on PostgreSQL) with every value kept, and going back restores the text exactly.
/// </summary>
public sealed class ScheduleJsonMigrationTests : IAsyncDisposable
{
    private FeatureHost _host = default!;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSQL)]
    public async Task DelimitedSchedules_BecomeJson_WithEveryValueKept_AndGoingBackRestoresTheText(DatabaseProvider engine)
    {
        _host = await FeatureHost.CreateAsync(demoData: false, engine);
        var (hallId, classId) = await TwoServicesAsync();
        var before = await ReadAsync();

        await using (var db = _host.NewDb())
        {
            await db.GetService<IMigrator>().MigrateAsync("RequestIds");
            var text = await db.Database.SqlQuery<Columns>($"""SELECT "Id", "Hours", "Sessions", "BlackoutDates", "Photos" FROM "WeddingResources" ORDER BY "Id" """).ToListAsync();
            Assert.Equal(
                [
                    new Columns(hallId, "08:30-17:30,08:30-17:30,,,,09:00-12:00,", "", "2027-01-01,2027-02-17", "7-0a1b.webp,7-2c3d.png"),
                    new Columns(classId, ",,,,,,", "2027-03-06 09:00-11:00\n2027-03-06 14:00-16:30\n2027-03-13 09:30-10:00", "", ""),
                ],
                text);

            await db.GetService<IMigrator>().MigrateAsync();
        }

        Assert.Equal(before, await ReadAsync());
        await using var check = _host.NewDb();
        var hall = await check.WeddingResources.SingleAsync(r => r.Id == hallId);
        Assert.Equal([new LocalSlot(new DateTime(2027, 1, 2, 9, 0, 0), new DateTime(2027, 1, 2, 11, 0, 0))], hall.SlotsOn(new DateOnly(2027, 1, 2)));
        Assert.Empty(hall.SlotsOn(new DateOnly(2027, 1, 1))); // a closed date
        var counselling = await check.WeddingResources.SingleAsync(r => r.Id == classId);
        Assert.Equal(2, counselling.SlotsOn(new DateOnly(2027, 3, 6)).Count);
    }

    private async Task<(int Hall, int Class)> TwoServicesAsync()
    {
        await using var db = _host.NewDb();
        var city = OrgNode.CreateRoot("测试市");
        db.OrgNodes.Add(city);
        await db.SaveChangesAsync();
        city.AssignPath("/");
        var hall = WeddingResource.Create(new WeddingResourceDetails
        {
            Kind = WeddingServiceKind.CeremonyHall,
            Name = "礼堂",
            Seats = 80,
            OrgNodeId = city.Id,
            Hours = "08:30-17:30,08:30-17:30,,,,09:00-12:00,",
            SlotMinutes = 120,
            BlackoutDates = "2027-02-17,2027-01-01",
            Rules = BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall),
        }, city.Path, DateTime.UtcNow);
        hall.AddPhoto("7-0a1b.webp");
        hall.AddPhoto("7-2c3d.png");
        var counselling = WeddingResource.Create(new WeddingResourceDetails
        {
            Kind = WeddingServiceKind.CounselingSession,
            Name = "婚前辅导",
            OrgNodeId = city.Id,
            Hours = ",,,,,,",
            SlotMinutes = 120,
            Capacity = 10,
            Sessions = "2027-03-13 09:30-10:00\n2027-03-06 09:00-11:00\n2027-03-06 14:00-16:30",
            Rules = BookingRules.DefaultFor(WeddingServiceKind.CounselingSession),
        }, city.Path, DateTime.UtcNow);
        db.WeddingResources.AddRange(hall, counselling);
        await db.SaveChangesAsync();
        return (hall.Id, counselling.Id);
    }

    private async Task<List<(int, string, string, string, string)>> ReadAsync()
    {
        await using var db = _host.NewDb();
        var all = await db.WeddingResources.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        return [.. all.Select(r => (r.Id, r.Hours.ToString(), WeddingResource.FormatSessions(r.Sessions), WeddingResource.FormatDates(r.BlackoutDates), string.Join('|', r.Photos)))];
    }

    private sealed record Columns(int Id, string Hours, string Sessions, string BlackoutDates, string Photos);
}
