using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// The demo city 太行市 (fictional) with districts, streets, communities and grid cells, one account per role
/// and a few dozen residents. Only for Development or when DezhiHub:SeedDemoData is true, and only into an empty database.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<AppDbContext> dbFactory,
    IPasswordHasher<AppUser> passwordHasher,
    AuditTrail audit,
    NotificationService notifications,
    TimeProvider clock)
{
    public const string DemoPassword = "taihang-2026";

    public sealed record DemoAccount(string Phone, string Name, string? Role, string OrgName, string Label);

    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("13800000001", "王建国", Roles.Admin, "太行市", "Admin 管理员"),
        new("13800000002", "李秀英", Roles.Organizer, "红星社区", "Organizer 组织者（红星社区）"),
        new("13800000003", "张伟", Roles.Organizer, "和平社区", "Organizer 组织者（和平社区）"),
        new("13800000004", "刘洋", Roles.Volunteer, "红星社区/第一网格", "Volunteer 志愿者"),
        new("13800000005", "陈静", Roles.Partner, "城区", "Partner 合作伙伴（喜乐婚庆）"),
        new("13800000006", "赵磊", null, "红星社区/第二网格", "Resident 居民"),
    ];

    // District → street → community → number of grid cells.
    private static readonly (string District, (string Street, (string Community, int Cells)[] Communities)[] Streets)[] City =
    [
        ("城区", [
            ("东街街道", [("红星社区", 3), ("和平社区", 3), ("建设路社区", 2)]),
            ("西街街道", [("文昌社区", 2), ("凤台社区", 2)]),
            ("北石店镇", [("北石店村", 2), ("吕匠村", 2)]),
        ]),
        ("高新区", [
            ("钟家庄街道", [("兰花社区", 2), ("书院社区", 2)]),
            ("金村镇", [("金村", 2), ("府城村", 2)]),
        ]),
        ("阳城县", [
            ("凤城镇", [("南关社区", 2), ("西关社区", 2)]),
            ("润城镇", [("上庄村", 2), ("屯城村", 2)]),
        ]),
    ];

    private static readonly string[] GridNames = ["第一网格", "第二网格", "第三网格"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "郭", "马", "胡", "朱"];
    private static readonly string[] GivenNames = ["秀兰", "国强", "丽娟", "志刚", "海燕", "建华", "春梅", "晓东", "玉珍", "红军", "桂英", "文博", "子涵", "浩然", "雨桐", "一诺"];

    public async Task<bool> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.OrgNodes.AnyAsync(cancellationToken))
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var byName = new Dictionary<string, OrgNode>();
        var city = await AddAsync(db, OrgNode.CreateRoot("太行市"), "/", cancellationToken);
        byName["太行市"] = city;
        foreach (var (districtName, streets) in City)
        {
            var district = await AddAsync(db, OrgNode.CreateChild(city, districtName), city.Path, cancellationToken);
            byName[districtName] = district;
            foreach (var (streetName, communities) in streets)
            {
                var street = await AddAsync(db, OrgNode.CreateChild(district, streetName), district.Path, cancellationToken);
                foreach (var (communityName, cells) in communities)
                {
                    var community = await AddAsync(db, OrgNode.CreateChild(street, communityName), street.Path, cancellationToken);
                    byName[communityName] = community;
                    for (var i = 0; i < cells; i++)
                    {
                        byName[$"{communityName}/{GridNames[i]}"] = await AddAsync(db, OrgNode.CreateChild(community, GridNames[i]), community.Path, cancellationToken);
                    }
                }
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
        // Demo accounts share one password, so one hash (210,000 PBKDF2 rounds) serves them all.
        var hash = passwordHasher.HashPassword(new AppUser(), DemoPassword);
        foreach (var account in Accounts)
        {
            var user = NewUser(account.Phone, account.Name, byName[account.OrgName].Id, hash, now);
            db.Users.Add(user);
            await db.SaveChangesAsync(cancellationToken);
            if (account.Role is not null)
            {
                db.UserRoles.Add(new IdentityUserRole<int> { UserId = user.Id, RoleId = roleIds[account.Role] });
            }

            notifications.Add(db, user.Id, "Notify.Welcome", [user.RealName], "/account/profile");
        }

        var cellsList = byName.Where(kv => kv.Value.Level == OrgLevel.GridCell).Select(kv => kv.Value).ToArray();
        for (var i = 0; i < 48; i++)
        {
            var name = Surnames[i % Surnames.Length] + GivenNames[(i * 7 + 3) % GivenNames.Length];
            db.Users.Add(NewUser($"139{10000000 + (i * 7919 % 90000000):D8}", name, cellsList[i % cellsList.Length].Id, hash, now.AddDays(-i)));
        }

        audit.Record(db, null, "demo.seeded", "System", "demo", city.Id, null, new { Nodes = byName.Count, Accounts = Accounts.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<OrgNode> AddAsync(AppDbContext db, OrgNode node, string parentPath, CancellationToken cancellationToken)
    {
        db.OrgNodes.Add(node);
        await db.SaveChangesAsync(cancellationToken);
        node.AssignPath(parentPath);
        return node;
    }

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
