using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;

namespace DezhiHub.Tests.Domain;

/// <summary>Weekly opening hours (<see cref="WeeklyHours"/>): seven entries, Monday first, on the half hour.</summary>
public sealed class WeddingHoursTests
{
    private const string OfficeWeek = "08:30-17:30,08:30-17:30,08:30-17:30,08:30-17:30,08:30-17:30,,";

    [Theory]
    [InlineData(OfficeWeek)]
    [InlineData(",,,,,,")]
    [InlineData("00:00-23:30,08:00-12:00,,13:30-14:00,,09:00-21:00,10:00-10:30")]
    public void ParseThenFormat_GivesTheSameText(string text)
    {
        var hours = WeeklyHours.Parse(text);

        Assert.Equal(text, hours.ToString());
        Assert.Equal(hours, WeeklyHours.Parse(hours.ToString()));
    }

    [Fact]
    public void Parse_ToleratesSpaces_AndFormatsThemAway()
    {
        var hours = WeeklyHours.Parse(" 08:00 - 12:00 ,, , ,,,09:00-10:00 ");

        Assert.Equal("08:00-12:00,,,,,,09:00-10:00", hours.ToString());
    }

    [Fact]
    public void EmptyEntries_AreClosedDays_MondayFirst()
    {
        var hours = WeeklyHours.Parse(OfficeWeek);

        Assert.Equal((new TimeOnly(8, 30), new TimeOnly(17, 30)), hours.On(DayOfWeek.Monday));
        Assert.Equal((new TimeOnly(8, 30), new TimeOnly(17, 30)), hours.On(DayOfWeek.Friday));
        Assert.Null(hours.On(DayOfWeek.Saturday));
        Assert.Null(hours.On(DayOfWeek.Sunday));
        Assert.Equal(hours.On(DayOfWeek.Monday), hours[0]);
        Assert.Null(hours[6]);
        Assert.Equal(",,,,,,", WeeklyHours.Closed.ToString());
    }

    [Fact]
    public void OnlySundayOpen_LandsInTheLastEntry()
    {
        var hours = WeeklyHours.Uniform(new TimeOnly(9, 0), new TimeOnly(11, 0), DayOfWeek.Sunday);

        Assert.Equal(",,,,,,09:00-11:00", hours.ToString());
        Assert.Equal(hours, WeeklyHours.Parse(",,,,,,09:00-11:00"));
        Assert.NotEqual(hours, WeeklyHours.Parse("09:00-11:00,,,,,,"));
    }

    [Theory]
    [InlineData("08:15-12:00,,,,,,")] // not on the half hour
    [InlineData("08:00-12:10,,,,,,")]
    [InlineData("12:00-12:00,,,,,,")] // closes when it opens
    [InlineData("13:00-12:00,,,,,,")] // closes before it opens
    [InlineData("08:00-12:00,,,,,")] // six entries
    [InlineData("08:00-12:00,,,,,,,")] // eight entries
    [InlineData("")]
    [InlineData(null)]
    [InlineData("every day")]
    [InlineData("8-12,,,,,,")]
    [InlineData("08:00,,,,,,")]
    [InlineData("08:00-12:00-14:00,,,,,,")]
    [InlineData("08:00–12:00,,,,,,")] // an en dash, as a phone keyboard may type it
    [InlineData("24:00-25:00,,,,,,")]
    [InlineData("aa:bb-cc:dd,,,,,,")]
    public void BadText_IsRefusedWithoutAnException(string? text)
    {
        Assert.False(WeeklyHours.TryParse(text, out var hours));
        Assert.Equal(WeeklyHours.Closed, hours);
        Assert.Equal("Wedding.HoursInvalid", Assert.Throws<DomainException>(() => WeeklyHours.Parse(text!)).Code);
    }

    [Fact]
    public void Create_RefusesAWeekThatIsNotSevenDays_OrOffTheHalfHour()
    {
        var day = (new TimeOnly(8, 0), new TimeOnly(12, 0));

        Assert.Equal("Wedding.HoursInvalid", Assert.Throws<DomainException>(() => WeeklyHours.Create([day, day])).Code);
        Assert.Equal(
            "Wedding.HoursInvalid",
            Assert.Throws<DomainException>(() => WeeklyHours.Create([(new TimeOnly(8, 0, 30), new TimeOnly(12, 0)), null, null, null, null, null, null])).Code);
        Assert.Equal("08:00-12:00,,,,,,", WeeklyHours.Create([day, null, null, null, null, null, null]).ToString());
    }
}
