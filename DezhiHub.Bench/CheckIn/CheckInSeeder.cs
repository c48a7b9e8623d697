using DezhiHub.Bench.Coverage;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Bench.CheckIn;

/// <summary>A seeded volunteer: account id and sign-in phone number.</summary>
internal sealed record Volunteer(int Id, string Phone);

/// <summary>What <see cref="CheckInSeeder"/> put into the database.</summary>
internal sealed record CheckInData(IReadOnlyList<Volunteer> Volunteers, IReadOnlyList<int> WarmUpActivityIds, IReadOnlyList<int> ActivityIds);

/// <summary>
/// Fills the app's freshly migrated database, through its own <see cref="AppDbContext"/>, with what a busy check-in
/// needs: one city → district → street → community → grid cells branch, an organizer, volunteers (Volunteer role, all
/// with one shared password hashed once by the app's own hasher), and activities in progress right now — published,
/// started ten minutes ago, ending in two hours, sign-up required and every volunteer confirmed — so each
/// (volunteer, activity) scan is a first check-in that passes the sign-up check and inserts one attendance row.
/// </summary>
internal static class CheckInSeeder
{
    /// <summary>Every seeded account's password (not a common one, at least 8 characters, as the app requires).</summary>
    public const string Password = "qiandao-bench-2026";

    public static async Task<CheckInData> SeedAsync(string dataPath, int volunteers, int warmUpActivities, int activities, CancellationToken cancellationToken, string? postgres = null)
    {
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
            var cells = new List<OrgNode>();
            foreach (var name in new[] { "第一网格", "第二网格", "第三网格", "第四网格" })
            {
                cells.Add(await AddNodeAsync(db, OrgNode.CreateChild(community, name), community.Path, cancellationToken));
            }

            var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
            var organizer = NewUser("13700000000", "签到组织者", community.Id, hash, now);
            var people = Enumerable.Range(0, volunteers)
                .Select(i => NewUser($"139{i:D8}", $"志愿者{i + 1:D3}", cells[i % cells.Count].Id, hash, now))
                .ToList();
            db.Users.Add(organizer);
            db.Users.AddRange(people);
            var theme = ActivityTheme.Create("签到压测");
            db.ActivityThemes.Add(theme);
            await db.SaveChangesAsync(cancellationToken);

            db.UserRoles.Add(new IdentityUserRole<int> { UserId = organizer.Id, RoleId = roleIds[Roles.Organizer] });
            db.UserRoles.AddRange(people.Select(p => new IdentityUserRole<int> { UserId = p.Id, RoleId = roleIds[Roles.Volunteer] }));

            // The first ones are the warm-up's; the timed phase uses the others.
            var list = Enumerable.Range(0, warmUpActivities + activities).Select(k =>
            {
                var activity = Activity.Create(
                    new ActivityDetails
                    {
                        Title = k < warmUpActivities ? $"签到压测·预热 {k + 1}" : $"签到压测活动 {k + 1 - warmUpActivities}",
                        Description = "DezhiHub.Bench checkin: 进行中的活动，志愿者扫码签到。",
                        Entry = EightEntry.Communities,
                        ThemeIds = [theme.Id],
                        OrgNodeId = community.Id,
                        Place = "红星社区党群服务中心",
                        StartUtc = now.AddMinutes(-10),
                        EndUtc = now.AddHours(2),
                        Capacity = null,
                        SignUpRequired = true,
                        WalkInsAllowed = false,
                    },
                    community.Path,
                    organizer.Id,
                    now.AddDays(-2));
                activity.Publish(now.AddDays(-2));
                return activity;
            }).ToList();
            db.Activities.AddRange(list);
            await db.SaveChangesAsync(cancellationToken);

            var signedUpAt = now.AddDays(-1);
            foreach (var activity in list)
            {
                db.Registrations.AddRange(people.Select(p => Registration.Create(activity.Id, p.Id, confirmed: true, signedUpAt)));
            }

            await db.SaveChangesAsync(cancellationToken);
            await db.Activities.ExecuteUpdateAsync(
                s => s.SetProperty(a => a.ConfirmedCount, a => db.Registrations.Count(r => r.ActivityId == a.Id && r.Status == RegistrationStatus.Confirmed)),
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            return new CheckInData(
                [.. people.Select(p => new Volunteer(p.Id, p.PhoneNumber!))],
                [.. list.Take(warmUpActivities).Select(a => a.Id)],
                [.. list.Skip(warmUpActivities).Select(a => a.Id)]);
        }
        finally
        {
            // No pooled connection of the bench's may keep the file open while the app runs (or the folder is deleted).
            SqliteConnection.ClearAllPools();
        }
    }

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
