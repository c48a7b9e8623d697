using DezhiHub.Domain.Weddings;

namespace DezhiHub.Tests.Domain;

/// <summary>What an Admin types for a resource: each broken rule gives its own field and code, and only that one.</summary>
public sealed class WeddingResourceDetailsTests
{
    private static readonly WeddingResourceDetails Hall = WeddingResourceTests.Hall();

    private static readonly WeddingResourceDetails Package = Hall with
    {
        Kind = WeddingServiceKind.AlliancePackage,
        Seats = null,
        PriceCapYuan = 3000,
        ProviderUserId = 5,
        Capacity = 2,
    };

    private static readonly WeddingResourceDetails Office = Hall with
    {
        Kind = WeddingServiceKind.RegistrationAppointment,
        Seats = null,
        SlotMinutes = 30,
        BufferMinutes = 0,
        Capacity = 10,
    };

    public static TheoryData<string, WeddingResourceDetails, string, string> Broken() => new()
    {
        { "blank name", Hall with { Name = "  " }, "Name", "Wedding.NameInvalid" },
        { "name of 61", Hall with { Name = new string('礼', 61) }, "Name", "Wedding.NameInvalid" },
        { "description of 1001", Hall with { Description = new string('x', 1001) }, "Description", "Wedding.DescriptionTooLong" },
        { "location of 121", Hall with { Location = new string('路', 121) }, "Location", "Wedding.LineTooLong" },
        { "counsellor of 61", Hall with { Counsellor = new string('周', 61) }, "Counsellor", "Wedding.LineTooLong" },
        { "no seats", Hall with { Seats = 0 }, "Seats", "Wedding.SeatsInvalid" },
        { "too many seats", Hall with { Seats = 100_001 }, "Seats", "Wedding.SeatsInvalid" },
        { "negative price cap", Hall with { PriceCapYuan = -1 }, "PriceCapYuan", "Wedding.PriceCapInvalid" },
        { "huge price cap", Hall with { PriceCapYuan = 10_000_001 }, "PriceCapYuan", "Wedding.PriceCapInvalid" },
        { "package without a price cap", Package with { PriceCapYuan = null }, "PriceCapYuan", "Wedding.PriceCapInvalid" },
        { "package without a partner", Package with { ProviderUserId = null }, "ProviderUserId", "Wedding.PartnerRequired" },
        { "garbage hours", Hall with { Hours = "every day" }, "Hours", "Wedding.HoursInvalid" },
        { "hours off the half hour", Hall with { Hours = "08:10-12:00,,,,,," }, "Hours", "Wedding.HoursInvalid" },
        { "slot of 15 minutes", Hall with { SlotMinutes = 15 }, "SlotMinutes", "Wedding.SlotLengthInvalid" },
        { "slot of 45 minutes", Hall with { SlotMinutes = 45 }, "SlotMinutes", "Wedding.SlotLengthInvalid" },
        { "slot longer than a day", Hall with { SlotMinutes = (24 * 60) + 30 }, "SlotMinutes", "Wedding.SlotLengthInvalid" },
        { "negative buffer", Hall with { BufferMinutes = -30 }, "BufferMinutes", "Wedding.BufferInvalid" },
        { "buffer of 45 minutes", Hall with { BufferMinutes = 45 }, "BufferMinutes", "Wedding.BufferInvalid" },
        { "buffer over 8 hours", Hall with { BufferMinutes = 510 }, "BufferMinutes", "Wedding.BufferInvalid" },
        { "no places", Office with { Capacity = 0 }, "Capacity", "Wedding.CapacityInvalid" },
        { "too many places", Office with { Capacity = 10_001 }, "Capacity", "Wedding.CapacityInvalid" },
        { "session without times", Office with { Sessions = "2026-12-05" }, "Sessions", "Wedding.SessionsInvalid" },
        { "session ending before it starts", Office with { Sessions = "2026-12-05 11:00-09:00" }, "Sessions", "Wedding.SessionsInvalid" },
        { "session on no real day", Office with { Sessions = "2026-02-30 09:00-10:00" }, "Sessions", "Wedding.SessionsInvalid" },
        { "sessions too long", Office with { Sessions = string.Join('\n', Enumerable.Repeat("2026-12-05 09:00-10:00", 200)) }, "Sessions", "Wedding.SessionsInvalid" },
        { "blackout not a date", Hall with { BlackoutDates = "2026-12-01,tomorrow" }, "BlackoutDates", "Wedding.DatesInvalid" },
        { "blackout in another format", Hall with { BlackoutDates = "2026/12/01" }, "BlackoutDates", "Wedding.DatesInvalid" },
        { "negative notice", Hall with { Rules = new() { MinNoticeDays = -1 } }, "MinNoticeDays", "Wedding.NoticeInvalid" },
        { "notice over a year", Hall with { Rules = new() { MinNoticeDays = 366, MaxAdvanceDays = 400 } }, "MinNoticeDays", "Wedding.NoticeInvalid" },
        { "no advance", Hall with { Rules = new() { MinNoticeDays = 0, MaxAdvanceDays = 0 } }, "MaxAdvanceDays", "Wedding.AdvanceInvalid" },
        { "advance over two years", Hall with { Rules = new() { MaxAdvanceDays = 731 } }, "MaxAdvanceDays", "Wedding.AdvanceInvalid" },
        { "advance shorter than notice", Hall with { Rules = new() { MinNoticeDays = 10, MaxAdvanceDays = 9 } }, "MaxAdvanceDays", "Wedding.AdvanceInvalid" },
        { "household limit 0", Hall with { Rules = new() { HouseholdLimit = 0 } }, "HouseholdLimit", "Wedding.HouseholdLimitInvalid" },
        { "household limit 21", Hall with { Rules = new() { HouseholdLimit = 21 } }, "HouseholdLimit", "Wedding.HouseholdLimitInvalid" },
        { "negative cut-off", Hall with { Rules = new() { CancelCutoffHours = -1 } }, "CancelCutoffHours", "Wedding.CutoffInvalid" },
        { "cut-off over 30 days", Hall with { Rules = new() { CancelCutoffHours = 721 } }, "CancelCutoffHours", "Wedding.CutoffInvalid" },
        { "no review window", Hall with { Rules = new() { ReviewWithinHours = 0 } }, "ReviewWithinHours", "Wedding.ReviewWindowInvalid" },
        { "review window over 30 days", Hall with { Rules = new() { ReviewWithinHours = 721 } }, "ReviewWithinHours", "Wedding.ReviewWindowInvalid" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void EachBrokenRule_GivesItsFieldAndCode(string because, WeddingResourceDetails details, string field, string code)
    {
        Assert.True(Hall.Validate().Count == 0, because);

        Assert.Equal([(field, code)], details.Validate());
    }

    [Fact]
    public void TheLimits_ThemselvesAreAllowed()
    {
        Assert.Empty(Hall.Validate());
        Assert.Empty(Package.Validate());
        Assert.Empty(Office.Validate());
        Assert.Empty((Hall with
        {
            Name = new string('礼', 60),
            Description = new string('x', 1000),
            Location = new string('路', 120),
            Seats = 100_000,
            PriceCapYuan = 0,
            SlotMinutes = 24 * 60,
            BufferMinutes = 480,
            Capacity = 0, // ignored for an exclusive resource
            Rules = new() { MinNoticeDays = 0, MaxAdvanceDays = 730, HouseholdLimit = 20, CancelCutoffHours = 720, ReviewWithinHours = 720 },
        }).Validate());
        Assert.Empty((Office with { Capacity = 10_000, Hours = ",,,,,,", Sessions = "2026-12-05 09:00-09:20" }).Validate());
    }

    [Fact]
    public void EveryBrokenRule_IsReportedAtOnce()
    {
        var details = Package with { Name = "", Seats = 0, ProviderUserId = null, Hours = "x", SlotMinutes = 1, Capacity = 0 };

        Assert.Equal(
            ["Name", "Seats", "ProviderUserId", "Hours", "SlotMinutes", "Capacity"],
            details.Validate().Select(e => e.Field));
    }

    [Theory]
    [InlineData(WeddingServiceKind.CeremonyHall)]
    [InlineData(WeddingServiceKind.FolkSteward)]
    [InlineData(WeddingServiceKind.RegistrationAppointment)]
    [InlineData(WeddingServiceKind.AlliancePackage)]
    [InlineData(WeddingServiceKind.CounselingSession)]
    public void TheDefaultRules_OfEveryKind_AreValid(WeddingServiceKind kind) => Assert.Empty(BookingRules.DefaultFor(kind).Validate());

    [Fact]
    public void OnlyHallsAndStewards_AreExclusive()
    {
        Assert.Equal(
            [WeddingServiceKind.CeremonyHall, WeddingServiceKind.FolkSteward],
            Enum.GetValues<WeddingServiceKind>().Where(k => k.IsExclusive()));
    }
}
