using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>The ids of <see cref="TestCity.WeddingServicesAsync"/>'s services.</summary>
public sealed record WeddingServices(int Hall, int Steward, int Office, int Course);

/// <summary>Someone a test made: the account's id, phone and name, and the principal a signed-in session would carry.</summary>
public sealed record Person(int Id, string Phone, string Name, ClaimsPrincipal Principal);

/// <summary>
/// A small city a test builds for itself on an empty, migrated database — instead of leaning on the demo city, whose
/// activities, accounts and history change as the demo grows (decision 0017). The tree is
/// 测试市 / 测试区 / 测试街道 / 东湖社区 (第一网格, 第二网格) and 西湖社区 (第一网格), and an empty 高新区; one theme; six people in the demo's roles;
/// anyone else is made on demand with <see cref="PersonAsync"/>.
/// </summary>
public sealed class TestCity
{
    // Each test has its own database, so the six may have fixed numbers (numbered like the demo's, in 137 not 138);
    // people made on demand count on from 13700000100.
    public const string AdminPhone = "13700000001";
    public const string OrganizerPhone = "13700000002";
    public const string OtherOrganizerPhone = "13700000003";
    public const string VolunteerPhone = "13700000004";
    public const string PartnerPhone = "13700000005";
    public const string ResidentPhone = "13700000006";

    private readonly FeatureHost _host;
    private int _phones = 99;

    private TestCity(FeatureHost host) => _host = host;

    public OrgNode City { get; private set; } = default!;

    public OrgNode District { get; private set; } = default!;

    /// <summary>高新区, a second district with nothing in it: somewhere to move a street to.</summary>
    public OrgNode OtherDistrict { get; private set; } = default!;

    public OrgNode Street { get; private set; } = default!;

    /// <summary>东湖社区: where <see cref="Organizer"/> works and <see cref="Volunteer"/> and <see cref="Resident"/> live.</summary>
    public OrgNode Community { get; private set; } = default!;

    public OrgNode Grid1 { get; private set; } = default!;

    public OrgNode Grid2 { get; private set; } = default!;

    /// <summary>西湖社区, a sibling: its organizer may not act in 东湖社区 and the other way round.</summary>
    public OrgNode OtherCommunity { get; private set; } = default!;

    public OrgNode OtherGrid { get; private set; } = default!;

    public int ThemeId { get; private set; }

    public Person Admin { get; private set; } = default!;

    public Person Organizer { get; private set; } = default!;

    public Person OtherOrganizer { get; private set; } = default!;

    public Person Volunteer { get; private set; } = default!;

    public Person Resident { get; private set; } = default!;

    public Person Partner { get; private set; } = default!;

    /// <summary>One of the six by their property's name, for theories: <c>[InlineData(nameof(TestCity.Partner))]</c>.</summary>
    public Person this[string who] => who switch
    {
        nameof(Admin) => Admin,
        nameof(Organizer) => Organizer,
        nameof(OtherOrganizer) => OtherOrganizer,
        nameof(Volunteer) => Volunteer,
        nameof(Resident) => Resident,
        nameof(Partner) => Partner,
        _ => throw new ArgumentOutOfRangeException(nameof(who), who, "Not one of the test city's people."),
    };

    /// <summary>Builds the city in the host's (empty) database.</summary>
    public static async Task<TestCity> CreateAsync(FeatureHost host)
    {
        var city = new TestCity(host);
        await using (var db = host.NewDb())
        {
            if (await db.OrgNodes.AnyAsync())
            {
                throw new InvalidOperationException("A test city is built on an empty database: FeatureHost.CreateAsync(demoData: false).");
            }

            city.City = await AddAsync(db, OrgNode.CreateRoot("测试市"), "/");
            city.District = await AddAsync(db, OrgNode.CreateChild(city.City, "测试区"), city.City.Path);
            city.OtherDistrict = await AddAsync(db, OrgNode.CreateChild(city.City, "高新区"), city.City.Path);
            var street = city.Street = await AddAsync(db, OrgNode.CreateChild(city.District, "测试街道"), city.District.Path);
            city.Community = await AddAsync(db, OrgNode.CreateChild(street, "东湖社区"), street.Path);
            city.Grid1 = await AddAsync(db, OrgNode.CreateChild(city.Community, "第一网格"), city.Community.Path);
            city.Grid2 = await AddAsync(db, OrgNode.CreateChild(city.Community, "第二网格"), city.Community.Path);
            city.OtherCommunity = await AddAsync(db, OrgNode.CreateChild(street, "西湖社区"), street.Path);
            city.OtherGrid = await AddAsync(db, OrgNode.CreateChild(city.OtherCommunity, "第一网格"), city.OtherCommunity.Path);
            var theme = ActivityTheme.Create("测试主题");
            db.ActivityThemes.Add(theme);
            await db.SaveChangesAsync();
            city.ThemeId = theme.Id;
        }

        city.Admin = await city.PersonAsync(AdminPhone, city.City, "管理员", Roles.Admin);
        city.Organizer = await city.PersonAsync(OrganizerPhone, city.Community, "东湖组织者", Roles.Organizer);
        city.OtherOrganizer = await city.PersonAsync(OtherOrganizerPhone, city.OtherCommunity, "西湖组织者", Roles.Organizer);
        city.Volunteer = await city.PersonAsync(VolunteerPhone, city.Grid1, "志愿者", Roles.Volunteer);
        city.Partner = await city.PersonAsync(PartnerPhone, city.District, "合作伙伴", Roles.Partner);
        city.Resident = await city.PersonAsync(ResidentPhone, city.Grid2, "居民");
        return city;
    }

    /// <summary>A new account of <paramref name="node"/> with the next free phone number, in the given roles.</summary>
    public Task<Person> PersonAsync(OrgNode node, string name, params string[] roles) =>
        PersonAsync($"137{Interlocked.Increment(ref _phones):D8}", node, name, roles);

    /// <summary>A new account with this phone number.</summary>
    public async Task<Person> PersonAsync(string phone, OrgNode node, string name, params string[] roles)
    {
        await using var db = _host.NewDb();
        var user = new AppUser
        {
            UserName = phone,
            NormalizedUserName = phone,
            PhoneNumber = phone,
            RealName = name,
            OrgNodeId = node.Id,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
            CreatedAtUtc = _host.Clock.GetUtcNow().UtcDateTime,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        if (roles.Length > 0)
        {
            var roleIds = await db.Roles.Where(r => roles.Contains(r.Name!)).Select(r => r.Id).ToListAsync();
            db.UserRoles.AddRange(roleIds.Select(id => new IdentityUserRole<int> { UserId = user.Id, RoleId = id }));
            await db.SaveChangesAsync();
        }

        return new Person(user.Id, phone, name, Principals.For(user.Id, name, roles));
    }

    /// <summary>
    /// A published activity of 东湖社区, two hours long unless <paramref name="duration"/> says otherwise, made by its
    /// organizer through the app's own service.
    /// </summary>
    public Task<int> PublishedActivityAsync(
        DateTime startUtc, string title = "测试活动", int? capacity = 10, bool walkIns = false, int checkInOpensMinutesBefore = 30, TimeSpan? duration = null) =>
        _host.PublishActivityAsync(Organizer.Principal, Community.Id, ThemeId, startUtc, title, capacity, walkIns, checkInOpensMinutesBefore, duration);

    /// <summary>A reward of <paramref name="node"/> in the points market, stocked and on offer, added as its manager would.</summary>
    public async Task<int> RewardAsync(OrgNode node, string name = "测试商品", int points = 50, int stock = 10)
    {
        await using var db = _host.NewDb();
        var item = RewardItem.Create(new RewardItemDetails { Name = name, PointsCost = points, Stock = stock, OrgNodeId = node.Id }, node.Path, _host.Clock.GetUtcNow().UtcDateTime);
        db.RewardItems.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
    }

    /// <summary>A ceremony hall of <paramref name="node"/>, open every day 08:00–20:00 in four-hour slots, with the kind's default rules.</summary>
    public async Task<int> HallAsync(OrgNode node, string name = "测试礼堂")
    {
        await using var db = _host.NewDb();
        var hall = WeddingResource.Create(new WeddingResourceDetails
        {
            Kind = WeddingServiceKind.CeremonyHall,
            Name = name,
            Seats = 100,
            OrgNodeId = node.Id,
            Hours = string.Join(',', Enumerable.Repeat("08:00-20:00", 7)),
            SlotMinutes = 240,
            Rules = BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall),
        }, node.Path, _host.Clock.GetUtcNow().UtcDateTime);
        db.WeddingResources.Add(hall);
        await db.SaveChangesAsync();
        return hall.Id;
    }

    /// <summary>
    /// The four parts of a wedding plan, shaped like a city's: <paramref name="hallName"/> of the community (every day
    /// 09:00–18:00, four-hour slots with half an hour's cleaning), a partner's folk steward by the day (06:00–20:00), the
    /// city's registration office (working days 09:00–17:00, 30-minute slots for four couples) and a counselling class
    /// on the next eight Saturdays 09:00–11:30 for thirty; and a hall lottery on 2027-05-20. Each with its kind's rules.
    /// </summary>
    public async Task<WeddingServices> WeddingServicesAsync(string hallName = "东湖社区礼堂")
    {
        var now = _host.Clock.GetUtcNow().UtcDateTime;
        var time = _host.Get<DezhiHub.Web.Platform.Localization.DisplayTime>();
        var today = DateOnly.FromDateTime(time.ToLocal(now));
        var everyDay = Enum.GetValues<DayOfWeek>();
        WeddingResource Resource(WeddingServiceKind kind, string name, OrgNode node, WeeklyHours hours, int slotMinutes, int buffer = 0,
            int capacity = 1, int? seats = null, int? provider = null, string sessions = "") =>
            WeddingResource.Create(new WeddingResourceDetails
            {
                Kind = kind,
                Name = name,
                Location = node.Name,
                Seats = seats,
                ProviderUserId = provider,
                OrgNodeId = node.Id,
                Hours = hours.ToString(),
                SlotMinutes = slotMinutes,
                BufferMinutes = buffer,
                Capacity = capacity,
                Sessions = sessions,
                Rules = BookingRules.DefaultFor(kind),
            }, node.Path, now);

        var saturdays = Enumerable.Range(1, 70).Select(today.AddDays).Where(d => d.DayOfWeek == DayOfWeek.Saturday).Take(8)
            .Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + " 09:00-11:30");
        var hall = Resource(WeddingServiceKind.CeremonyHall, hallName, Community, WeeklyHours.Uniform(new(9, 0), new(18, 0), everyDay), 240, 30, seats: 60);
        var steward = Resource(WeddingServiceKind.FolkSteward, "喜乐婚庆·王总管", District, WeeklyHours.Uniform(new(6, 0), new(20, 0), everyDay), 840, provider: Partner.Id);
        var office = Resource(WeddingServiceKind.RegistrationAppointment, "测试市婚姻登记处", City,
            WeeklyHours.Uniform(new(9, 0), new(17, 0), DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday), 30, capacity: 4);
        var course = Resource(WeddingServiceKind.CounselingSession, "婚前辅导课", District, WeeklyHours.Closed, 150, capacity: 30, sessions: string.Join('\n', saturdays));
        await using var db = _host.NewDb();
        db.WeddingResources.AddRange(hall, steward, office, course);
        var peak = new DateOnly(2027, 5, 20);
        db.LotteryDates.Add(LotteryDate.Create(peak, time.ToUtc(new DateTime(2027, 4, 30, 18, 0, 0)), time.ToUtc(peak.ToDateTime(TimeOnly.MinValue)), now));
        await db.SaveChangesAsync();
        return new WeddingServices(hall.Id, steward.Id, office.Id, course.Id);
    }

    private static async Task<OrgNode> AddAsync(AppDbContext db, OrgNode node, string parentPath)
    {
        db.OrgNodes.Add(node);
        await db.SaveChangesAsync();
        node.AssignPath(parentPath);
        await db.SaveChangesAsync();
        return node;
    }
}
