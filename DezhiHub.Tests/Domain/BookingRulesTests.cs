using DezhiHub.Domain.Weddings;

namespace DezhiHub.Tests.Domain;

/// <summary>When a slot may be booked (<see cref="BookingRules.RefusalFor"/>): counted in whole local days.</summary>
public sealed class BookingRulesTests
{
    private static readonly BookingRules Rules = new() { MinNoticeDays = 3, MaxAdvanceDays = 180 };

    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static DateTime Local(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0);

    [Theory]
    [InlineData(11, 27, 9, 0, "Booking.SlotPast")] // the very moment
    [InlineData(11, 27, 8, 0, "Booking.SlotPast")]
    [InlineData(11, 20, 9, 0, "Booking.SlotPast")]
    [InlineData(11, 27, 23, 30, "Booking.TooSoon")] // later today
    [InlineData(11, 29, 23, 30, "Booking.TooSoon")] // two days ahead, however late in the day
    [InlineData(11, 30, 0, 0, null)] // three days ahead from the first minute of the day
    [InlineData(11, 30, 8, 0, null)]
    public void NoticeIsCountedInLocalDays(int month, int day, int hour, int minute, string? refusal) =>
        Assert.Equal(refusal, Rules.RefusalFor(Local(month, day, hour, minute), Local(11, 27, 9)));

    [Fact]
    public void ExactlyTheMinimumNotice_IsAllowed_AtAnyTimeOfToday()
    {
        var slot = Local(11, 30, 8);

        Assert.Null(Rules.RefusalFor(slot, Local(11, 27, 0, 0)));
        Assert.Null(Rules.RefusalFor(slot, Local(11, 27, 23, 59)));
        Assert.Equal("Booking.TooSoon", Rules.RefusalFor(slot, Local(11, 28, 0, 0)));
    }

    [Fact]
    public void ExactlyTheMaximumAdvance_IsAllowed_OneDayMoreIsNot()
    {
        var now = Local(11, 27, 9);
        var last = DateOnly.FromDateTime(now).AddDays(180);

        Assert.Equal(new DateOnly(2027, 5, 26), last);
        Assert.Null(Rules.RefusalFor(last.ToDateTime(new TimeOnly(23, 30)), now));
        Assert.Equal("Booking.TooFarAhead", Rules.RefusalFor(last.AddDays(1).ToDateTime(TimeOnly.MinValue), now));
        Assert.Equal("Booking.TooFarAhead", Rules.RefusalFor(Local(11, 27, 9, year: 2028), now));
    }

    [Fact]
    public void NoNotice_AllowsLaterToday_ButNotThePast()
    {
        var sameDay = new BookingRules { MinNoticeDays = 0, MaxAdvanceDays = 90 };
        var now = Local(11, 27, 9);

        Assert.Null(sameDay.RefusalFor(now.AddMinutes(1), now));
        Assert.Equal("Booking.SlotPast", sameDay.RefusalFor(now, now));
        Assert.Equal("Booking.SlotPast", sameDay.RefusalFor(now.AddTicks(-1), now));
    }

    /// <summary>
    /// The caller converts to the deployment's zone first: 16:30 UTC on 27 November is already 28 November in
    /// Shanghai, so a slot on 30 November is two local days away and too soon, although it is three UTC days away.
    /// </summary>
    [Fact]
    public void DayBoundaries_AreTheLocalOnes()
    {
        var nowUtc = new DateTime(2026, 11, 27, 16, 30, 0, DateTimeKind.Utc);
        var slotUtc = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc); // 08:00 on 30 November in Shanghai
        var nowLocal = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, Shanghai);
        var slotLocal = TimeZoneInfo.ConvertTimeFromUtc(slotUtc, Shanghai);

        Assert.Equal(new DateTime(2026, 11, 28, 0, 30, 0), nowLocal);
        Assert.Null(Rules.RefusalFor(slotUtc, nowUtc)); // what a UTC day count would wrongly allow
        Assert.Equal("Booking.TooSoon", Rules.RefusalFor(slotLocal, nowLocal));
        Assert.Null(Rules.RefusalFor(slotLocal, TimeZoneInfo.ConvertTimeFromUtc(nowUtc.AddHours(-1), Shanghai))); // 23:30 on the 27th
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        Assert.Equal(new BookingRules { MinNoticeDays = 3, MaxAdvanceDays = 180, HouseholdLimit = 1, CancelCutoffHours = 48, RequiresApproval = true, ReviewWithinHours = 72 }, new BookingRules());
        Assert.Equal(new BookingRules(), BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall));

        var registration = BookingRules.DefaultFor(WeddingServiceKind.RegistrationAppointment);
        Assert.False(registration.RequiresApproval); // a registration slot is confirmed at once
        Assert.Equal((1, 30), (registration.MinNoticeDays, registration.MaxAdvanceDays));
        Assert.False(BookingRules.DefaultFor(WeddingServiceKind.CounselingSession).RequiresApproval);
        Assert.True(BookingRules.DefaultFor(WeddingServiceKind.AlliancePackage).RequiresApproval);
        Assert.True(BookingRules.DefaultFor(WeddingServiceKind.FolkSteward).RequiresApproval);
    }
}
