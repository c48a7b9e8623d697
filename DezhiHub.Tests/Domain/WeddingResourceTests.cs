using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;

namespace DezhiHub.Tests.Domain;

/// <summary>A resource's slots (<see cref="WeddingResource.SlotsOn"/>, <see cref="WeddingResource.SlotAt"/>) and claim units.</summary>
public sealed class WeddingResourceTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Monday = new(2026, 11, 30);

    public static WeddingResourceDetails Hall(int slotMinutes = 240, int bufferMinutes = 60) => new()
    {
        Kind = WeddingServiceKind.CeremonyHall,
        Name = "红星社区公共礼堂",
        Location = "红星路 1 号",
        Seats = 120,
        OrgNodeId = 5,
        Hours = "08:00-20:00,08:00-20:00,08:00-20:00,08:00-20:00,08:00-20:00,08:00-20:00,08:00-20:00",
        SlotMinutes = slotMinutes,
        BufferMinutes = bufferMinutes,
    };

    private static WeddingResource Create(WeddingResourceDetails details) => WeddingResource.Create(details, "/1/5/", Now);

    private static LocalSlot At(DateOnly date, int fromHour, int fromMinute, int toHour, int toMinute) =>
        new(date.ToDateTime(new TimeOnly(fromHour, fromMinute)), date.ToDateTime(new TimeOnly(toHour, toMinute)));

    [Fact]
    public void Slots_AreTheSlotLengthPlusBuffer_AsLongAsTheyFitInsideTheHours()
    {
        var hall = Create(Hall(240, 60));

        // 08–12, cleaning until 13, 13–17, cleaning until 18; 18–22 would run past 20:00.
        Assert.Equal([At(Monday, 8, 0, 12, 0), At(Monday, 13, 0, 17, 0)], hall.SlotsOn(Monday));
    }

    [Theory]
    [InlineData(240, 0, new[] { "08:00", "12:00", "16:00" })] // three half-days that fill the day exactly
    [InlineData(720, 0, new[] { "08:00" })] // the whole day
    [InlineData(750, 0, new string[0])] // longer than the day: nothing
    [InlineData(30, 330, new[] { "08:00", "14:00" })] // 08:00–08:30, buffer to 14:00, 14:00–14:30, then 20:00 would end at 20:30
    [InlineData(360, 0, new[] { "08:00", "14:00" })]
    public void Slots_EndNoLaterThanClosing(int slotMinutes, int bufferMinutes, string[] starts)
    {
        var hall = Create(Hall(slotMinutes, bufferMinutes));

        var slots = hall.SlotsOn(Monday);

        Assert.Equal(starts, slots.Select(s => s.Start.ToString("HH:mm")));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(slotMinutes), s.End - s.Start));
        Assert.All(slots, s => Assert.True(s.End <= Monday.ToDateTime(new TimeOnly(20, 0))));
    }

    [Fact]
    public void ABlackoutDate_HasNoSlots_TheDaysAroundItStillDo()
    {
        var hall = Create(Hall() with { BlackoutDates = "2026-11-30, 2026-12-25" });

        Assert.True(hall.IsBlackedOut(Monday));
        Assert.Empty(hall.SlotsOn(Monday));
        Assert.Empty(hall.SlotsOn(new DateOnly(2026, 12, 25)));
        Assert.Equal(2, hall.SlotsOn(Monday.AddDays(1)).Count);
        Assert.Equal(2, hall.SlotsOn(Monday.AddDays(-1)).Count);
        Assert.Null(hall.SlotAt(Monday.ToDateTime(new TimeOnly(8, 0))));
    }

    [Fact]
    public void AClosedWeekday_HasNoSlots()
    {
        var office = Create(Hall(30, 0) with
        {
            Kind = WeddingServiceKind.RegistrationAppointment,
            Hours = "08:30-17:30,08:30-17:30,08:30-17:30,08:30-17:30,08:30-17:30,,",
            Capacity = 10,
        });

        Assert.Equal(18, office.SlotsOn(Monday).Count);
        Assert.Empty(office.SlotsOn(new DateOnly(2026, 11, 28))); // Saturday
        Assert.Empty(office.SlotsOn(new DateOnly(2026, 11, 29))); // Sunday
    }

    [Fact]
    public void DatedSessions_ReplaceTheWeeklyHours()
    {
        var counselling = Create(Hall(60, 0) with
        {
            Kind = WeddingServiceKind.CounselingSession,
            Capacity = 20,
            Counsellor = "周老师",
            Sessions = "2026-12-05 14:00-16:00\n2026-12-05 09:00-11:00; 2026-12-12 09:30-10:15",
        });

        Assert.Equal([At(new DateOnly(2026, 12, 5), 9, 0, 11, 0), At(new DateOnly(2026, 12, 5), 14, 0, 16, 0)], counselling.SlotsOn(new DateOnly(2026, 12, 5)));
        Assert.Equal([At(new DateOnly(2026, 12, 12), 9, 30, 10, 15)], counselling.SlotsOn(new DateOnly(2026, 12, 12)));

        // The weekly hours say open every day, but only the sessions count.
        Assert.Empty(counselling.SlotsOn(Monday));
        Assert.Equal("2026-12-05 09:00-11:00\n2026-12-05 14:00-16:00\n2026-12-12 09:30-10:15", counselling.ToDetails().Sessions);
        Assert.Equal(3, counselling.Sessions.Count);
    }

    [Fact]
    public void ASessionOnABlackoutDate_IsNotOffered()
    {
        var counselling = Create(Hall(60, 0) with
        {
            Kind = WeddingServiceKind.CounselingSession,
            Capacity = 20,
            Sessions = "2026-12-05 09:00-11:00",
            BlackoutDates = "2026-12-05",
        });

        Assert.Empty(counselling.SlotsOn(new DateOnly(2026, 12, 5)));
    }

    [Fact]
    public void SlotAt_FindsOnlyASlotThatStartsExactlyThere()
    {
        var hall = Create(Hall(240, 60));

        Assert.Equal(At(Monday, 8, 0, 12, 0), hall.SlotAt(Monday.ToDateTime(new TimeOnly(8, 0))));
        Assert.Equal(At(Monday, 13, 0, 17, 0), hall.SlotAt(Monday.ToDateTime(new TimeOnly(13, 0))));
        Assert.Null(hall.SlotAt(Monday.ToDateTime(new TimeOnly(9, 0)))); // inside a slot
        Assert.Null(hall.SlotAt(Monday.ToDateTime(new TimeOnly(12, 0)))); // the cleaning buffer
        Assert.Null(hall.SlotAt(Monday.ToDateTime(new TimeOnly(18, 0)))); // would end after closing
        Assert.Null(hall.SlotAt(Monday.ToDateTime(new TimeOnly(8, 0, 1))));
    }

    [Fact]
    public void Update_StoresTheCanonicalForm()
    {
        var hall = Create(Hall() with
        {
            Name = "  红星礼堂 ",
            Hours = " 08:00 - 20:00 ,,,,,,",
            Capacity = 7,
            BlackoutDates = "2026-12-25，2026-12-01 2026-12-25",
        });

        Assert.Equal("红星礼堂", hall.Name);
        Assert.Equal("08:00-20:00,,,,,,", hall.Hours.ToString());
        Assert.Equal(1, hall.Capacity); // an exclusive resource takes one couple, whatever was typed
        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 25)], hall.BlackoutDates);
        Assert.Equal(("08:00-20:00,,,,,,", "2026-12-01,2026-12-25"), (hall.ToDetails().Hours, hall.ToDetails().BlackoutDates));
    }

    [Fact]
    public void Update_RefusesBadDetails_AndAChangeOfKind()
    {
        var hall = Create(Hall());

        Assert.Equal("Wedding.NameInvalid", Assert.Throws<DomainException>(() => hall.Update(Hall() with { Name = " " }, "/1/5/")).Code);
        Assert.Equal(
            "Wedding.KindFixed",
            Assert.Throws<DomainException>(() => hall.Update(Hall() with { Kind = WeddingServiceKind.FolkSteward }, "/1/5/")).Code);
        Assert.Equal("红星社区公共礼堂", hall.Name);
    }

    // ----- Claim units: the guarantee behind "never double-booked" -----

    [Fact]
    public void ClaimUnits_CoverTheSlotAndTheBufferAfterIt_InHalfHours()
    {
        var hall = Create(Hall(240, 60));
        var start = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);

        var units = hall.ClaimUnits(start, start.AddHours(4));

        Assert.Equal(10, units.Count); // 4 h slot + 1 h buffer
        Assert.Equal(start, units[0]);
        Assert.Equal(start.AddHours(4.5), units[^1]);
        Assert.All(units, u => Assert.Equal(DateTimeKind.Utc, u.Kind));
    }

    [Fact]
    public void ClaimUnits_OfNeighbouringSlots_DoNotTouch_ButTheBufferIsHeld()
    {
        var hall = Create(Hall(240, 60));
        var day = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);

        var morning = hall.ClaimUnits(day, day.AddHours(4));
        var afternoon = hall.ClaimUnits(day.AddHours(5), day.AddHours(9));
        var inTheBuffer = hall.ClaimUnits(day.AddHours(4.5), day.AddHours(5));

        Assert.Empty(morning.Intersect(afternoon));
        Assert.NotEmpty(morning.Intersect(inTheBuffer));
    }

    /// <summary>
    /// Over many random pairs of bookings (fixed seed, any buffer, any minute and second, half of them off the half
    /// hour): when their times with buffers overlap, their claim units always intersect, so the unique index refuses
    /// the second. On the half-hour grid the converse holds too (no slot is refused for nothing); off the grid the
    /// claim may be at most one unit wider on each side.
    /// </summary>
    [Fact]
    public void ClaimUnits_IntersectWheneverTheTimesWithBuffersOverlap()
    {
        var random = new Random(20261127);
        var epoch = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);
        var unit = TimeSpan.FromMinutes(WeddingResource.ClaimUnitMinutes);
        int overlapping = 0, apart = 0, unaligned = 0, conservative = 0;

        for (var i = 0; i < 20_000; i++)
        {
            var buffer = 30 * random.Next(0, 5);
            var hall = Create(Hall(240, buffer));
            var aligned = i % 2 == 0;
            var (s1, e1) = RandomInterval(random, epoch, aligned);
            var (s2, e2) = RandomInterval(random, epoch, aligned);

            var timesOverlap = s1 < e2.AddMinutes(buffer) && s2 < e1.AddMinutes(buffer);
            var units1 = hall.ClaimUnits(s1, e1);
            var units2 = hall.ClaimUnits(s2, e2);
            var unitsIntersect = units1.Intersect(units2).Any();

            if (timesOverlap)
            {
                overlapping++;
                Assert.True(unitsIntersect, $"[{s1:O}, {e1:O}) and [{s2:O}, {e2:O}) with a {buffer}-minute buffer overlap but share no unit");
            }
            else
            {
                apart++;
            }

            if (aligned)
            {
                Assert.Equal(timesOverlap, unitsIntersect);
            }
            else
            {
                unaligned++;
                if (unitsIntersect && !timesOverlap)
                {
                    // Refused although the times do not overlap: only because both touch the same half hour.
                    conservative++;
                    Assert.True(Floor(s1, unit) < Ceiling(e2.AddMinutes(buffer), unit) && Floor(s2, unit) < Ceiling(e1.AddMinutes(buffer), unit));
                }
            }

            // Every claim: distinct half hours in order, covering [start, end + buffer) and nothing more.
            foreach (var (s, e, units) in new[] { (s1, e1, units1), (s2, e2, units2) })
            {
                Assert.Equal(units.Distinct().Order(), units);
                Assert.All(units, u => Assert.Equal(0, u.Ticks % unit.Ticks));
                Assert.Equal(Floor(s, unit), units[0]);
                Assert.Equal(Ceiling(e.AddMinutes(buffer), unit), units[^1] + unit);
            }
        }

        // The sample exercised both sides of the property.
        Assert.InRange(overlapping, 2_000, 18_000);
        Assert.InRange(apart, 2_000, 18_000);
        Assert.Equal(10_000, unaligned);
        Assert.True(conservative > 0);
    }

    private static (DateTime Start, DateTime End) RandomInterval(Random random, DateTime epoch, bool aligned)
    {
        // Two days of start times and up to ten hours of length, so pairs overlap often.
        if (aligned)
        {
            var start = epoch.AddMinutes(30 * random.Next(0, 96));
            return (start, start.AddMinutes(30 * random.Next(1, 21)));
        }

        var from = epoch.AddSeconds(random.Next(0, 2 * 24 * 3600));
        return (from, from.AddSeconds(random.Next(1, 10 * 3600)));
    }

    private static DateTime Floor(DateTime t, TimeSpan unit) => new(t.Ticks - (t.Ticks % unit.Ticks), DateTimeKind.Utc);

    private static DateTime Ceiling(DateTime t, TimeSpan unit) => t.Ticks % unit.Ticks == 0 ? t : Floor(t, unit) + unit;
}
