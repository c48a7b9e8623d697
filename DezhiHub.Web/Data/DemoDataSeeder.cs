using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// The demo city 太行市 (fictional) with districts, streets, communities and grid cells, one account per role
/// and a few dozen residents. Only for Development or when DezhiHub:SeedDemoData is true, and only into an empty database.
/// </summary>
public sealed partial class DemoDataSeeder(
    IDbContextFactory<AppDbContext> dbFactory,
    IPasswordHasher<AppUser> passwordHasher,
    AuditTrail audit,
    NotificationService notifications,
    DisplayTime time,
    TimeProvider clock,
    Features.Volunteering.Ledger ledger,
    Microsoft.Extensions.Options.IOptions<Features.CheckIn.AttendanceOptions> attendanceOptions,
    UserManager<AppUser> userManager,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    Features.Certificates.CertificateService certificates,
    Features.Market.MarketService market,
    Features.Market.VoucherDesk voucherDesk,
    Features.Market.Vouchers vouchers,
    Features.Weddings.BookingService bookings,
    ILogger<DemoDataSeeder> logger)
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

        var started = clock.GetTimestamp();
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

        await db.SaveChangesAsync(cancellationToken);
        var activityCount = await SeedActivitiesAsync(db, byName, now, cancellationToken);
        await SeedMarketAsync(db, byName, now, cancellationToken);
        await SeedWeddingsAsync(db, byName, now, cancellationToken);
        var history = clock.GetTimestamp();
        activityCount += await SeedVolunteeringAsync(db, byName, now, cancellationToken);
        audit.Record(db, null, "demo.seeded", "System", "demo", city.Id, null, new { Nodes = byName.Count, Accounts = Accounts.Count, Activities = activityCount });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // The rest goes through the services people use, each in its own transaction (SQLite has one writer at a time).
        await SeedThroughServicesAsync(now, cancellationToken);
        logger.LogInformation("Demo data seeded in {Elapsed} ms, of which the volunteers' service history {History} ms",
            (int)clock.GetElapsedTime(started).TotalMilliseconds, (int)clock.GetElapsedTime(history).TotalMilliseconds);
        return true;
    }

    /// <summary>A month of red-culture activities around "now": upcoming, a weekly series, a full one with a waitlist, a draft, a cancelled and a past one.</summary>
    private async Task<int> SeedActivitiesAsync(AppDbContext db, Dictionary<string, OrgNode> byName, DateTime now, CancellationToken cancellationToken)
    {
        string[] themeNames = ["太行精神", "红色基因传承", "党史学习教育", "家风家教"];
        var themes = themeNames.Select(ActivityTheme.Create).ToList();
        db.ActivityThemes.AddRange(themes);
        await db.SaveChangesAsync(cancellationToken);
        var organizerId = await db.Users.Where(u => u.PhoneNumber == Accounts[1].Phone).Select(u => u.Id).SingleAsync(cancellationToken);
        var today = time.ToLocal(now).Date;

        Activity Plan(string title, EightEntry entry, int theme, string host, string place, int inDays, int hour, double hours, int? capacity, string description, DateTime? createdAt = null, Guid? series = null)
        {
            var start = time.ToUtc(today.AddDays(inDays).AddHours(hour));
            var details = new ActivityDetails
            {
                Title = title,
                Description = description,
                Entry = entry,
                ThemeIds = [themes[theme].Id],
                OrgNodeId = byName[host].Id,
                Place = place,
                StartUtc = start,
                EndUtc = start.AddHours(hours),
                Capacity = capacity,
                SignUpDeadlineUtc = start.AddHours(-12),
                CancellationDeadlineUtc = start.AddHours(-24),
            };
            return Activity.Create(details, byName[host].Path, organizerId, createdAt ?? now, series);
        }

        var published = new List<Activity>
        {
            Plan("太行精神宣讲进社区", EightEntry.Communities, 0, "红星社区", "红星社区党群服务中心二楼", 3, 9, 2, 40, "老党员讲述太行山上的抗战故事，欢迎居民携家人参加。\n请提前十分钟到场签到。"),
            Plan("红色家书诵读会", EightEntry.Families, 3, "和平社区", "和平社区文化活动室", 5, 15, 1.5, 30, "诵读革命先辈家书，传承好家风。"),
            Plan("党史学习教育专题党课", EightEntry.PartySchools, 2, "城区", "城区党校报告厅", 6, 9, 3, 120, "邀请市委党校教授讲授专题党课。"),
            Plan("红色电影进校园", EightEntry.Campuses, 1, "文昌社区", "文昌小学多功能厅", 8, 14, 2, 200, "为小学生放映红色经典影片并组织观后分享。"),
            Plan("红色基因传承·企业微党课", EightEntry.Enterprises, 1, "兰花社区", "太行重工三楼会议室", 9, 16, 1.5, 50, "走进企业车间，讲好身边的红色故事。"),
            Plan("田间地头话党史", EightEntry.Villages, 2, "北石店村", "北石店村文化广场", 10, 9, 2, null, "在村文化广场与村民面对面学党史。"),
            Plan("网格员红色故事分享", EightEntry.GridCells, 0, "红星社区/第一网格", "红星社区第一网格议事亭", 12, 19, 1, 20, "网格员分享身边的红色故事与邻里互助。"),
            Plan("机关干部参观八路军太行纪念馆", EightEntry.Agencies, 0, "城区", "八路军太行纪念馆", 14, 8, 4, 60, "统一乘车前往，请着正装。"),
            Plan("红色文化小讲解员培训", EightEntry.Communities, 1, "红星社区", "红星社区党群服务中心一楼", 4, 15, 2, 3, "培训青少年红色文化讲解员，名额有限，额满可候补。"),
        };

        var seriesId = Guid.NewGuid();
        var toSaturday = ((int)DayOfWeek.Saturday - (int)today.DayOfWeek + 7) % 7 is var days and > 0 ? days : 7;
        for (var week = 0; week < 4; week++)
        {
            published.Add(Plan("周末红色读书会", EightEntry.Communities, 2, "红星社区", "红星社区书屋", toSaturday + (7 * week), 10, 1.5, 25, "每周六上午共读红色经典。", series: seriesId));
        }

        foreach (var activity in published)
        {
            activity.Publish(now);
        }

        var past = Plan("十月红色观影", EightEntry.Communities, 1, "和平社区", "和平社区文化活动室", -20, 19, 2, 50, "观看红色经典影片。", now.AddDays(-30));
        past.Publish(now.AddDays(-30));
        past.CompleteIfEnded(now);
        var cancelled = Plan("红色徒步（因天气取消）", EightEntry.Villages, 0, "吕匠村", "吕匠村村委会门口集合", 7, 8, 3, 80, "沿太行古道重走红色路线。");
        cancelled.Publish(now);
        cancelled.Cancel("天气预报有大风降温，为安全起见取消。", now);
        var draft = Plan("春节红色文化庙会（筹备中）", EightEntry.Communities, 3, "红星社区", "红星社区广场", 25, 9, 5, null, "筹备中，节目单待定。");
        db.Activities.AddRange([.. published, past, cancelled, draft]);
        await db.SaveChangesAsync(cancellationToken);

        // Residents of each host's area sign up; the small training is full with two people waiting.
        var people = await db.Users.AsNoTracking().Select(u => new { u.Id, u.OrgNodeId }).ToListAsync(cancellationToken);
        var paths = await db.OrgNodes.AsNoTracking().ToDictionaryAsync(n => n.Id, n => n.Path, cancellationToken);
        var signUpAt = now.AddHours(-6);
        foreach (var activity in published.Append(past))
        {
            var nearby = people.Where(p => p.OrgNodeId is { } o && paths[o].StartsWith(activity.OrgPath, StringComparison.Ordinal)).ToList();
            var take = activity.Capacity is { } capacity ? Math.Min(nearby.Count, capacity + (capacity <= 3 ? 2 : 0)) : nearby.Count;
            for (var i = 0; i < take && i < 8; i++)
            {
                var confirmed = activity.Capacity is not { } cap || i < cap;
                db.Registrations.Add(Registration.Create(activity.Id, nearby[i].Id, confirmed, signUpAt.AddMinutes(i)));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Activities.ExecuteUpdateAsync(
            s => s.SetProperty(a => a.ConfirmedCount, a => db.Registrations.Count(r => r.ActivityId == a.Id && r.Status == RegistrationStatus.Confirmed)),
            cancellationToken);
        return published.Count + 3;
    }

    /// <summary>
    /// A small points market: two rewards of 红星社区 and a wedding-photo voucher of the partner 陈静 (喜乐婚庆) for the
    /// whole district. The demo volunteers' points come from their credited service (<see cref="SeedVolunteeringAsync"/>).
    /// </summary>
    private static async Task SeedMarketAsync(AppDbContext db, Dictionary<string, OrgNode> byName, DateTime now, CancellationToken cancellationToken)
    {
        var partnerId = await db.Users.Where(u => u.PhoneNumber == Accounts[4].Phone).Select(u => u.Id).SingleAsync(cancellationToken);
        RewardItem Item(string name, string description, int cost, int stock, int? limit, string orgName, int? partner = null) =>
            RewardItem.Create(new RewardItemDetails
            {
                Name = name,
                Description = description,
                PointsCost = cost,
                Stock = stock,
                PerPersonLimit = limit,
                PartnerUserId = partner,
                OrgNodeId = byName[orgName].Id,
            }, byName[orgName].Path, now);

        db.RewardItems.AddRange(
            Item("环保购物袋", "可重复使用的帆布购物袋，印有红星社区标识。到社区党群服务中心一楼领取。", 50, 30, 2, "红星社区"),
            Item("理发券", "社区便民理发点单次理发，周二、周四上午服务。", 120, 10, 1, "红星社区"),
            Item("婚纱照优惠券", "喜乐婚庆提供：新人婚纱照套餐立减 500 元，文明婚俗承诺新人优先。", 300, 5, 1, "城区", partnerId));
        await db.SaveChangesAsync(cancellationToken);
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
