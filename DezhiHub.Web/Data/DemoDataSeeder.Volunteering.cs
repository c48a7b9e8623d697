using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

public sealed partial class DemoDataSeeder
{
    private const string Liu = "13800000004"; // 刘洋, the demo volunteer, 红星社区第一网格
    private const string Li = "13910007919"; // 李桂英, 红星社区第二网格
    private const string LiuYuzhen = "13910023757"; // 刘玉珍, 和平社区第一网格
    private const string Chen = "13910031676"; // 陈一诺, 和平社区第二网格

    /// <summary>The demo volunteers (mobile, skills, how many days ago they joined).</summary>
    private static readonly (string Phone, string Skills, int JoinedDaysAgo)[] Volunteers =
    [
        (Liu, "红色讲解,摄影,急救", 400),
        (Li, "政策宣讲,书法", 380),
        (LiuYuzhen, "家政,心理疏导", 300),
        (Chen, "文艺演出,电脑维修", 260),
    ];

    /// <summary>How one person's attendance went: late or early by minutes, no check-out, a check-in by hand.</summary>
    private sealed record Presence(string Phone, int LateMinutes = 0, int LeftEarlyMinutes = 0, bool NoCheckOut = false, string? ManualReason = null);

    /// <summary>
    /// A finished activity: when (days before today, local start hour, hours), who came, and how the attendance was
    /// confirmed — by its organizer soon after the end, or by the sweep a day later.
    /// </summary>
    private sealed record PastActivity(
        string Title, EightEntry Entry, int Theme, string Host, string Place, int DaysAgo, int Hour, int Hours, string Description,
        Presence[] People, bool AutoConfirmed = false, Guid? Series = null, bool ByCard = false);

    /// <summary>
    /// Ten months of finished activities of 红星社区 and 和平社区 — a monthly service day (8 h) and eight others, one of
    /// each of the eight entries — with sign-ups, check-in and check-out times (by the screen code, by volunteer card,
    /// one by hand with a reason), confirmed attendance and the hours and points that confirming credits, through the
    /// attendance service's own crediting and the ledger, dated when they happened. 刘洋 reaches 1★ (about 120 h).
    /// </summary>
    private async Task<int> SeedVolunteeringAsync(AppDbContext db, Dictionary<string, OrgNode> byName, DateTime now, CancellationToken cancellationToken)
    {
        // Every ledger post saves changes; with the city's hundreds of rows still tracked, each save would scan them all.
        db.ChangeTracker.Clear();
        string[] phones = [.. Volunteers.Select(v => v.Phone), Accounts[1].Phone, Accounts[2].Phone];
        var people = await db.Users.AsNoTracking()
            .Where(u => phones.Contains(u.PhoneNumber!))
            .ToDictionaryAsync(u => u.PhoneNumber!, u => (u.Id, u.RealName, u.OrgNodeId), cancellationToken);
        ClaimsPrincipal Actor(string phone) => new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, people[phone].Id.ToString(CultureInfo.InvariantCulture)), new Claim(ClaimsPrincipalExtensions.RealNameClaim, people[phone].RealName)],
            "demo"));

        var today = time.ToLocal(now).Date;
        foreach (var (phone, skills, joinedDaysAgo) in Volunteers)
        {
            // The form's own step: profile, ledger account and the Volunteer role, as if they joined back then.
            var joinedAt = time.ToUtc(today.AddDays(-joinedDaysAgo).AddHours(20));
            var (_, _, after) = await VolunteerService.CompleteInAsync(db, people[phone].Id, skills, null, joinedAt, cancellationToken);
            audit.Record(db, Actor(phone), "volunteer.joined", "User", people[phone].Id.ToString(CultureInfo.InvariantCulture), people[phone].OrgNodeId, null, after, joinedAt);
        }

        await db.SaveChangesAsync(cancellationToken);

        var themes = await db.ActivityThemes.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(cancellationToken);
        var serviceDay = Guid.NewGuid();
        var past = new List<PastActivity>();
        for (var k = 0; k < 12; k++)
        {
            // 刘洋 every month; 李桂英 most months; 刘玉珍 of 和平社区 now and then.
            var came = new List<Presence> { new(Liu) };
            if (k % 4 != 2)
            {
                came.Add(k == 5 ? new Presence(Li, NoCheckOut: true) : new Presence(Li, LateMinutes: k == 1 ? 25 : 0));
            }

            if (k % 4 == 1)
            {
                came.Add(new Presence(LiuYuzhen));
            }

            past.Add(new("红星社区新时代文明实践志愿服务日", EightEntry.Communities, 1, "红星社区", "红星社区新时代文明实践站", 6 + (28 * k), 9, 8,
                "每月一次：上午讲解红色故事、整理社区红色文化展板，下午政策宣讲与便民服务（理发、量血压、小家电维修）。午间在站内休息，计入服务时长。",
                [.. came], Series: serviceDay, ByCard: k % 2 == 1));
        }

        past.AddRange(
        [
            new("红色家风故事进家庭", EightEntry.Families, 3, "和平社区", "和平社区 3 号楼 2 单元王大爷家", 2, 19, 2,
                "走进老党员家中，听他讲述三代人的家风故事，志愿者整理成文。",
                [new(LiuYuzhen), new(Chen), new(Liu)]),
            new("党史知识进校园·小小讲解员", EightEntry.Campuses, 2, "红星社区", "红星小学阶梯教室", 20, 14, 3,
                "志愿者为小学生讲党史小故事，并辅导他们做红色文化小讲解员。",
                [new(Liu), new(Li)]),
            new("红色文化进企业·车间微党课", EightEntry.Enterprises, 1, "和平社区", "太行纺织厂二车间休息室", 41, 15, 2,
                "在工间休息时讲十五分钟微党课，志愿者协助布置展板、发放学习资料。",
                [new(Chen, LeftEarlyMinutes: 80), new(LiuYuzhen), new(Liu, LateMinutes: 20)]),
            new("红色故事进机关·政务大厅志愿讲解", EightEntry.Agencies, 0, "红星社区", "城区政务服务中心一楼大厅", 55, 9, 4,
                "在政务大厅红色文化展区为办事群众讲解太行精神。",
                [new(Liu), new(Li)]),
            new("党校开放日志愿引导", EightEntry.PartySchools, 2, "和平社区", "城区党校", 76, 9, 4,
                "党校开放日，志愿者负责签到引导、展馆讲解和秩序维护。",
                [new(Chen, ManualReason: "手机没电，组织者核对身份后手动签到"), new(LiuYuzhen), new(Liu)]),
            new("网格红色夜话", EightEntry.GridCells, 0, "红星社区/第一网格", "红星社区第一网格议事亭", 90, 19, 2,
                "夏夜纳凉，网格员和志愿者与邻居们聊身边的红色故事。",
                [new(Liu), new(Li, NoCheckOut: true)], AutoConfirmed: true),
            new("重走太行红色路·助农秋收", EightEntry.Villages, 0, "和平社区", "北石店村村委会门口集合", 120, 8, 4,
                "沿太行古道重走红色路线后，到村里帮孤寡老人收玉米。",
                [new(Chen), new(LiuYuzhen), new(Liu)]),
            new("清明祭英烈·烈士陵园志愿服务", EightEntry.Communities, 3, "和平社区", "太行烈士陵园", 240, 9, 3,
                "清明节前，志愿者为烈士墓献花、擦拭墓碑，并为祭扫群众提供引导。",
                [new(Liu), new(Chen), new(LiuYuzhen), new(Li)]),
        ]);

        var minimumShare = attendanceOptions.Value.MinimumShare;
        var random = new Random(2026);
        foreach (var plan in past.OrderBy(p => -p.DaysAgo))
        {
            var host = byName[plan.Host];
            var organizer = plan.Host.StartsWith("和平社区", StringComparison.Ordinal) ? Accounts[2].Phone : Accounts[1].Phone;
            var start = time.ToUtc(today.AddDays(-plan.DaysAgo).AddHours(plan.Hour));
            var end = start.AddHours(plan.Hours);
            var planned = start.AddDays(-14);
            var activity = Activity.Create(new ActivityDetails
            {
                Title = plan.Title,
                Description = plan.Description,
                Entry = plan.Entry,
                ThemeIds = [themes[plan.Theme]],
                OrgNodeId = host.Id,
                Place = plan.Place,
                StartUtc = start,
                EndUtc = end,
                Capacity = 20,
                SignUpDeadlineUtc = start.AddHours(-12),
                CancellationDeadlineUtc = start.AddHours(-24),
            }, host.Path, people[organizer].Id, planned, plan.Series);
            activity.Publish(planned);
            activity.CloseSignUpIfDue(activity.SignUpClosesAtUtc);
            activity.CompleteIfEnded(end.AddMinutes(1));
            db.Activities.Add(activity);
            await db.SaveChangesAsync(cancellationToken);

            for (var i = 0; i < plan.People.Length; i++)
            {
                var who = plan.People[i];
                var person = people[who.Phone].Id;
                db.Registrations.Add(Registration.Create(activity.Id, person, confirmed: true, planned.AddDays(1).AddHours(3 + (5 * i))));
                var inAt = start.AddMinutes(who.LateMinutes > 0 ? who.LateMinutes : -random.Next(3, 25));
                var method = who.ManualReason is not null ? CheckInMethod.Manual : plan.ByCard ? CheckInMethod.Card : CheckInMethod.Screen;
                var record = AttendanceRecord.CheckIn(activity.Id, person, method, inAt, method == CheckInMethod.Screen ? null : people[organizer].Id, who.ManualReason);
                if (!who.NoCheckOut)
                {
                    record.CheckOut(plan.ByCard ? CheckInMethod.Card : CheckInMethod.Screen, who.LeftEarlyMinutes > 0 ? end.AddMinutes(-who.LeftEarlyMinutes) : end.AddMinutes(random.Next(0, 12)));
                }

                db.Attendance.Add(record);
                if (method == CheckInMethod.Manual)
                {
                    audit.Record(db, Actor(organizer), "attendance.manual-check-in", "Attendance", $"{activity.Id}/{person}", activity.OrgNodeId, null,
                        new { Activity = activity.Title, UserId = person, Reason = record.ManualReason }, inAt.AddMinutes(1));
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await db.Activities.Where(a => a.Id == activity.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ConfirmedCount, plan.People.Length), cancellationToken);

            // The attendance is credited the way the app credits it: the organizer's confirmation soon after the end
            // (people who never checked out counted to the end), or the sweep's a day later (they get nothing).
            if (plan.AutoConfirmed)
            {
                var at = end.AddHours(attendanceOptions.Value.AutoConfirmAfterHours).AddMinutes(1);
                var result = await AttendanceService.CreditAsync(db, ledger, activity, at, minimumShare, _ => false, cancellationToken);
                audit.Record(db, null, "attendance.auto-confirmed", "Activity", activity.Id.ToString(CultureInfo.InvariantCulture), activity.OrgNodeId, null,
                    new { Activity = activity.Title, result.Credited, result.WithHours, NeverCheckedOut = result.Rejected }, at);
            }
            else
            {
                var at = end.AddMinutes(40);
                var result = await AttendanceService.CreditAsync(db, ledger, activity, at, minimumShare, _ => true, cancellationToken);
                audit.Record(db, Actor(organizer), "attendance.confirmed", "Activity", activity.Id.ToString(CultureInfo.InvariantCulture), activity.OrgNodeId, null,
                    new { Activity = activity.Title, result.Credited, result.WithHours, result.ConfirmedWithoutCheckOut, result.Rejected, RejectedUserIds = Array.Empty<int>() }, at);
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return past.Count;
    }

    /// <summary>
    /// What the demo people did with the app's own services once the city stood: 刘洋 issued himself a service record
    /// certificate for the last six months; 李桂英 redeemed the partner's wedding-photo voucher and 陈静 handed it over;
    /// 刘玉珍's voucher of the same waits to be handed over; 陈一诺 asked for the partner's photo package. So the partner's
    /// home page, settlement and review queue have something in them.
    /// </summary>
    private async Task SeedThroughServicesAsync(DateTime now, CancellationToken cancellationToken)
    {
        async Task<ClaimsPrincipal> SignedInAsync(string phone)
        {
            // The principal a sign-in would give: the app's own claims factory, roles from the database.
            var user = await userManager.Users.SingleAsync(u => u.PhoneNumber == phone, cancellationToken);
            return await claimsFactory.CreateAsync(user);
        }

        var liu = await SignedInAsync(Liu);
        var today = DateOnly.FromDateTime(time.ToLocal(now));
        await certificates.IssueAsync(liu, null, today.AddMonths(-6), today, cancellationToken);

        int photoVoucher;
        int photoPackage;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            photoVoucher = await db.RewardItems.Where(i => i.Name == "婚纱照优惠券").Select(i => i.Id).SingleAsync(cancellationToken);
            photoPackage = await db.WeddingResources.Where(r => r.Name == "喜乐婚庆·婚纱摄影套餐").Select(r => r.Id).SingleAsync(cancellationToken);
        }

        var partner = await SignedInAsync(Accounts[4].Phone);
        var handedOver = await market.RedeemAsync(await SignedInAsync(Li), photoVoucher, cancellationToken: cancellationToken);
        await voucherDesk.HandOverAsync(partner, vouchers.Issue(handedOver), cancellationToken);
        await market.RedeemAsync(await SignedInAsync(LiuYuzhen), photoVoucher, cancellationToken: cancellationToken);

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var package = await db.WeddingResources.AsNoTracking().SingleAsync(r => r.Id == photoPackage, cancellationToken);
            var slot = package.SlotsOn(today.AddDays(40))[0];
            await bookings.BookAsync(await SignedInAsync(Chen), photoPackage, time.ToUtc(slot.Start), "王磊", "想拍外景，希望安排在太行山大峡谷。", cancellationToken);
        }
    }
}
