using DezhiHub.Bench.Coverage;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DezhiHub.Bench.Booking;

/// <summary>A seeded resident: account id and sign-in phone number.</summary>
internal sealed record Resident(int Id, string Phone);

/// <summary>One booking the load will make: a free slot of a service (its start in UTC) and the resident who books it.</summary>
internal sealed record SlotTarget(int ResourceId, WeddingServiceKind Kind, DateTime StartUtc, int ResidentIndex);

/// <summary>The same-slot race: one slot that <see cref="Places"/> couples can have, and everyone else is refused.</summary>
internal sealed record RaceSlot(int ResourceId, WeddingServiceKind Kind, DateTime StartUtc, int Places);

/// <summary>What <see cref="BookingSeeder"/> put into the database and the bookings it planned.</summary>
internal sealed record BookingData(
    IReadOnlyList<Resident> Residents,
    IReadOnlyDictionary<WeddingServiceKind, int> Services,
    IReadOnlyList<SlotTarget> WarmUp,
    IReadOnlyList<SlotTarget> Timed,
    RaceSlot HallRace,
    RaceSlot OfficeRace);

/// <summary>How many of what to seed.</summary>
internal sealed record BookingPlan(int Residents, int Halls, int Stewards, int Offices, int WarmUp, int Bookings, int Racers);

/// <summary>
/// Fills the app's freshly migrated database, through its own <see cref="AppDbContext"/> and domain factories, with a
/// community full of wedding services and residents, and plans the bookings so that every request is for a distinct
/// free slot the rules allow:
/// <list type="bullet">
/// <item>ceremony halls (exclusive): open 08:00–20:00 every day, 2-hour slots with a 30-minute cleaning buffer (5 a day);</item>
/// <item>folk stewards (exclusive): 08:00–20:00, half-days of 4 hours (3 a day);</item>
/// <item>registration offices (10 couples per slot): 08:30–17:30, 30-minute slots (18 a day), approved at once;</item>
/// <item>one more hall and one more office for the same-slot race.</item>
/// </list>
/// Slots start two local days from now (the rules ask for one day's notice) and are handed out round-robin over the
/// services, so the requests in flight are for many different services; each resident is given at most a few bookings
/// of a kind, far below the household limit of 20, and one booking of each kind is left free for the race.
/// </summary>
internal static class BookingSeeder
{
    /// <summary>Every seeded account's password (not a common one, at least 8 characters, as the app requires).</summary>
    public const string Password = "yuyue-bench-2026";

    public const int HouseholdLimit = 20;

    public static async Task<BookingData> SeedAsync(string dataPath, BookingPlan plan, CancellationToken cancellationToken, string? postgres = null)
    {
        var time = new DisplayTime(Options.Create(new DezhiHubOptions()), TimeProvider.System);
        await using var services = AppServices.Build(dataPath, postgres);
        try
        {
            // One PBKDF2 hash (210,000 rounds, as configured by the app) shared by every account.
            var hash = services.GetRequiredService<IPasswordHasher<AppUser>>().HashPassword(new AppUser(), Password);
            await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = DateTime.UtcNow;

            var city = await AddNodeAsync(db, OrgNode.CreateRoot("太行市"), "/", cancellationToken);
            var district = await AddNodeAsync(db, OrgNode.CreateChild(city, "城区"), city.Path, cancellationToken);
            var street = await AddNodeAsync(db, OrgNode.CreateChild(district, "东街街道"), district.Path, cancellationToken);
            var community = await AddNodeAsync(db, OrgNode.CreateChild(street, "红星社区"), street.Path, cancellationToken);

            var people = Enumerable.Range(0, plan.Residents)
                .Select(i => NewUser($"136{i:D8}", $"预约居民{i + 1:D3}", community.Id, hash, now))
                .ToList();
            db.Users.AddRange(people);

            var halls = Enumerable.Range(1, plan.Halls).Select(i => Hall($"公共礼堂 {i}", community, now)).ToList();
            var stewards = Enumerable.Range(1, plan.Stewards).Select(i => Steward($"民间总管 {i}", community, now)).ToList();
            var offices = Enumerable.Range(1, plan.Offices).Select(i => Office($"办证大厅 {i}", community, now)).ToList();
            var raceHall = Hall("抢约礼堂", community, now);
            var raceOffice = Office("抢约办证大厅", community, now);
            db.WeddingResources.AddRange([.. halls, .. stewards, .. offices, raceHall, raceOffice]);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            // The first two days ahead are left alone: a run that crosses midnight still books allowed days only.
            var firstDay = DateOnly.FromDateTime(time.LocalNow).AddDays(2);
            List<WeddingResource> all = [.. halls, .. stewards, .. offices];
            var slots = all.Select(r => FreeSlots(r, firstDay, time).GetEnumerator()).ToList();
            var planned = new List<SlotTarget>(plan.WarmUp + plan.Bookings);
            while (planned.Count < plan.WarmUp + plan.Bookings)
            {
                for (var i = 0; i < all.Count && planned.Count < plan.WarmUp + plan.Bookings; i++)
                {
                    slots[i].MoveNext();
                    planned.Add(new SlotTarget(all[i].Id, all[i].Kind, slots[i].Current, -1));
                }
            }

            // Residents take turns per kind, so each holds about the same number of bookings of each kind.
            var turn = new Dictionary<WeddingServiceKind, int>();
            var held = new Dictionary<(int, WeddingServiceKind), int>();
            for (var i = 0; i < planned.Count; i++)
            {
                var kind = planned[i].Kind;
                var resident = turn.GetValueOrDefault(kind) % plan.Residents;
                turn[kind] = turn.GetValueOrDefault(kind) + 1;
                held[(resident, kind)] = held.GetValueOrDefault((resident, kind)) + 1;
                planned[i] = planned[i] with { ResidentIndex = resident };
            }

            var most = held.Values.DefaultIfEmpty(0).Max();
            if (most >= HouseholdLimit)
            {
                throw new BenchException(
                    $"booking: {plan.WarmUp + plan.Bookings} bookings over {plan.Residents} residents give one resident {most} bookings of a kind; " +
                    $"the household limit is {HouseholdLimit} and the race needs one more. Pass a larger --residents.");
            }

            var raceDay = firstDay.AddDays(1);
            return new BookingData(
                [.. people.Select(p => new Resident(p.Id, p.PhoneNumber!))],
                all.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Count()),
                planned.GetRange(0, plan.WarmUp),
                planned.GetRange(plan.WarmUp, plan.Bookings),
                new RaceSlot(raceHall.Id, raceHall.Kind, time.ToUtc(raceHall.SlotsOn(raceDay)[0].Start), 1),
                new RaceSlot(raceOffice.Id, raceOffice.Kind, time.ToUtc(raceOffice.SlotsOn(raceDay)[0].Start), raceOffice.Capacity));
        }
        finally
        {
            // No pooled connection of the bench's may keep the file open while the app runs (or the folder is deleted).
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>The slots of a service from <paramref name="firstDay"/> on, day after day, as UTC starts.</summary>
    private static IEnumerable<DateTime> FreeSlots(WeddingResource resource, DateOnly firstDay, DisplayTime time)
    {
        for (var day = firstDay; ; day = day.AddDays(1))
        {
            foreach (var slot in resource.SlotsOn(day))
            {
                yield return time.ToUtc(slot.Start);
            }
        }
    }

    private static readonly string EveryDay = WeeklyHours.Uniform(new TimeOnly(8, 0), new TimeOnly(20, 0), Enum.GetValues<DayOfWeek>()).ToString();

    private static BookingRules Rules(bool approval) => new()
    {
        MinNoticeDays = 1,
        MaxAdvanceDays = 365,
        HouseholdLimit = HouseholdLimit,
        CancelCutoffHours = 48,
        RequiresApproval = approval,
        ReviewWithinHours = 72,
    };

    private static WeddingResource Hall(string name, OrgNode node, DateTime now) => WeddingResource.Create(new WeddingResourceDetails
    {
        Kind = WeddingServiceKind.CeremonyHall,
        Name = name,
        Description = "DezhiHub.Bench booking: 公共礼堂。",
        Location = "红星社区党群服务中心",
        Seats = 120,
        OrgNodeId = node.Id,
        Hours = EveryDay,
        SlotMinutes = 120,
        BufferMinutes = 30,
        Rules = Rules(approval: true),
    }, node.Path, now);

    private static WeddingResource Steward(string name, OrgNode node, DateTime now) => WeddingResource.Create(new WeddingResourceDetails
    {
        Kind = WeddingServiceKind.FolkSteward,
        Name = name,
        Description = "DezhiHub.Bench booking: 民间总管，按半天预约。",
        Location = "城区",
        OrgNodeId = node.Id,
        Hours = EveryDay,
        SlotMinutes = 240,
        Rules = Rules(approval: true),
    }, node.Path, now);

    private static WeddingResource Office(string name, OrgNode node, DateTime now) => WeddingResource.Create(new WeddingResourceDetails
    {
        Kind = WeddingServiceKind.RegistrationAppointment,
        Name = name,
        Description = "DezhiHub.Bench booking: 婚姻登记办证大厅，每 30 分钟 10 对。",
        Location = "城区民政局",
        OrgNodeId = node.Id,
        Hours = WeeklyHours.Uniform(new TimeOnly(8, 30), new TimeOnly(17, 30), Enum.GetValues<DayOfWeek>()).ToString(),
        SlotMinutes = 30,
        Capacity = 10,
        Rules = Rules(approval: false),
    }, node.Path, now);

    private static async Task<OrgNode> AddNodeAsync(AppDbContext db, OrgNode node, string parentPath, CancellationToken cancellationToken)
    {
        db.OrgNodes.Add(node);
        await db.SaveChangesAsync(cancellationToken);
        node.AssignPath(parentPath);
        await db.SaveChangesAsync(cancellationToken);
        return node;
    }

    // The same shape as the app's own accounts (see DemoDataSeeder): phone number as user name, normalized name,
    // security and concurrency stamps, lockout enabled.
    private static AppUser NewUser(string phone, string name, int orgNodeId, string passwordHash, DateTime createdAtUtc) => new()
    {
        UserName = phone,
        NormalizedUserName = phone,
        PhoneNumber = phone,
        RealName = name,
        OrgNodeId = orgNodeId,
        PasswordHash = passwordHash,
        SecurityStamp = Guid.NewGuid().ToString("N"),
        ConcurrencyStamp = Guid.NewGuid().ToString(),
        LockoutEnabled = true,
        CreatedAtUtc = createdAtUtc,
    };
}
