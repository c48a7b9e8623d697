using System.Globalization;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Weddings;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

public sealed partial class DemoDataSeeder
{
    /// <summary>
    /// Wedding services of 太行市: three ceremony halls, two folk stewards (one from the partner 喜乐婚庆, one reviewed by
    /// the organizers), the registration hall with 30-minute slots on working days, two partner packages, two counselling
    /// classes, the pledge items, a lottery on 2027-05-20, and two bookings so the review queue and "my bookings" show
    /// something at once.
    /// </summary>
    private async Task SeedWeddingsAsync(AppDbContext db, Dictionary<string, OrgNode> byName, DateTime now, CancellationToken cancellationToken)
    {
        var partnerId = await db.Users.Where(u => u.PhoneNumber == Accounts[4].Phone).Select(u => u.Id).SingleAsync(cancellationToken);
        var today = DateOnly.FromDateTime(time.ToLocal(now));
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        var everyDay = Enum.GetValues<DayOfWeek>();
        var holidays = "2027-01-01,2027-02-06,2027-02-07,2027-02-08,2027-02-09,2027-02-10,2027-02-11,2027-02-12,2027-04-05,2027-05-01,2027-05-03";
        var saturdays = Enumerable.Range(1, 70).Select(today.AddDays).Where(d => d.DayOfWeek == DayOfWeek.Saturday).Take(8)
            .Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 09:00-11:30");

        WeddingResource Resource(WeddingServiceKind kind, string name, string orgName, string location, WeeklyHours hours, int slotMinutes, int buffer = 0,
            int capacity = 1, string description = "", int? seats = null, int? priceCap = null, string? counsellor = null, int? provider = null,
            string sessions = "", string blackout = "") =>
            WeddingResource.Create(new WeddingResourceDetails
            {
                Kind = kind,
                Name = name,
                Description = description,
                Location = location,
                Seats = seats,
                PriceCapYuan = priceCap,
                Counsellor = counsellor,
                ProviderUserId = provider,
                OrgNodeId = byName[orgName].Id,
                Hours = hours.ToString(),
                SlotMinutes = slotMinutes,
                BufferMinutes = buffer,
                Capacity = capacity,
                Sessions = sessions,
                BlackoutDates = blackout,
                Rules = BookingRules.DefaultFor(kind),
            }, byName[orgName].Path, now);

        var hall = Resource(WeddingServiceKind.CeremonyHall, "城区新时代文明实践中心礼堂", "城区", "城区东街 18 号党群服务中心三楼",
            WeeklyHours.Uniform(new(8, 0), new(20, 0), everyDay), 240, 60, seats: 120,
            description: "免费提供场地、音响和简约布置，倡导婚事新办、简办。上午场 8:00–12:00，下午场 13:00–17:00，每场之后留一小时保洁。");
        db.WeddingResources.AddRange(
            hall,
            Resource(WeddingServiceKind.CeremonyHall, "红星社区文明实践站礼堂", "红星社区", "红星社区党群服务中心一楼",
                WeeklyHours.Uniform(new(9, 0), new(18, 0), everyDay), 240, 30, seats: 60, description: "社区小型礼堂，适合 60 人以内的简约婚礼。"),
            Resource(WeddingServiceKind.CeremonyHall, "阳城县公共礼堂", "阳城县", "阳城县凤城镇文化广场东侧",
                WeeklyHours.Uniform(new(8, 0), new(20, 0), everyDay), 480, 60, seats: 200, description: "全天场 8:00–16:00，可容纳 200 人。"),
            Resource(WeddingServiceKind.FolkSteward, "喜乐婚庆·王总管", "城区", "城区、高新区",
                WeeklyHours.Uniform(new(6, 0), new(20, 0), everyDay), 840, provider: partnerId, description: "三十年民间婚礼主持经验，按新风俗操办，不搞铺张。按天预约。"),
            Resource(WeddingServiceKind.FolkSteward, "李德福总管", "凤台社区", "西街街道各社区",
                WeeklyHours.Uniform(new(6, 0), new(20, 0), everyDay), 420, description: "凤台社区热心居民，义务为新人操办婚礼。上午或下午半天预约。"),
            Resource(WeddingServiceKind.RegistrationAppointment, "太行市婚姻登记处", "太行市", "太行市民政局婚姻登记处（市政务服务中心二楼）",
                WeeklyHours.Uniform(new(9, 0), new(17, 0), weekdays), 30, capacity: 4, blackout: holidays,
                description: "工作日 9:00–17:00，每 30 分钟一个时段，每时段 4 对。法定节假日不办理。"),
            Resource(WeddingServiceKind.AlliancePackage, "喜乐婚庆·简约婚礼套餐", "城区", "喜乐婚庆（城区建设路 66 号）",
                WeeklyHours.Uniform(new(9, 0), new(18, 0), everyDay), 540, capacity: 2, priceCap: 9999, provider: partnerId,
                description: "含：主持人、简约场地布置、跟拍摄影一名、婚车一辆（本市内）。承诺价不超过 9999 元，不另收费。"),
            Resource(WeddingServiceKind.AlliancePackage, "喜乐婚庆·婚纱摄影套餐", "城区", "喜乐婚庆（城区建设路 66 号）",
                WeeklyHours.Uniform(new(9, 0), new(18, 0), everyDay), 540, capacity: 3, priceCap: 2999, provider: partnerId,
                description: "含：两套服装、外景一处、精修照片 30 张、相册一本。承诺价不超过 2999 元。"),
            Resource(WeddingServiceKind.CounselingSession, "婚前辅导课", "城区", "城区新时代文明实践中心二楼教室",
                WeeklyHours.Closed, 150, capacity: 30, counsellor: "周慧敏（国家二级心理咨询师）", sessions: string.Join('\n', saturdays),
                description: "沟通、家庭责任、家风家教与理性消费。登记前参加，夫妻同来。"),
            Resource(WeddingServiceKind.CounselingSession, "家庭关系辅导", "红星社区", "红星社区党群服务中心二楼",
                WeeklyHours.Uniform(new(19, 0), new(21, 0), DayOfWeek.Wednesday), 120, capacity: 12, counsellor: "李秀英",
                description: "每周三晚，小组形式，面向新婚和备婚家庭。"));
        string[] pledge =
        [
            "不索要、不攀比高价彩礼",
            "婚宴简约适度，不铺张浪费",
            "不搞低俗婚闹，尊重他人",
            "不大操大办，随礼量力而行",
            "孝老爱亲，传承良好家风",
        ];
        db.PledgeItems.AddRange(pledge.Select((text, i) => PledgeItem.Create(text, i + 1)));
        var peak = new DateOnly(2027, 5, 20);
        db.LotteryDates.Add(LotteryDate.Create(peak, time.ToUtc(new DateTime(2027, 4, 30, 18, 0, 0)), time.ToUtc(peak.ToDateTime(TimeOnly.MinValue)), now));
        await db.SaveChangesAsync(cancellationToken);

        // A requested hall booking of the demo resident 赵磊, three weeks ahead, for the review queue.
        var residentId = await db.Users.Where(u => u.PhoneNumber == Accounts[5].Phone).Select(u => u.Id).SingleAsync(cancellationToken);
        var slot = hall.SlotsOn(today.AddDays(21))[0];
        var booking = Booking.Request(hall, residentId, time.ToUtc(slot.Start), time.ToUtc(slot.End), "孙丽", "简约仪式，约 80 人。", now);
        db.Bookings.Add(booking);
        await db.SaveChangesAsync(cancellationToken);
        await BookingSql.ClaimAsync(db, hall.Id, booking.Id, hall.ClaimUnits(booking.SlotStartUtc, booking.SlotEndUtc), cancellationToken);
        db.BookingEvents.Add(BookingEvent.Of(booking, residentId, now));
        await db.SaveChangesAsync(cancellationToken);
    }
}
