using DezhiHub.Domain.Attendance;

namespace DezhiHub.Tests.Domain;

public sealed class ServiceHoursTests
{
    private static readonly DateTime Start = new(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai
    private static readonly DateTime End = Start.AddHours(2);

    [Theory]
    [InlineData(-30, 150, 120)] // early and late: only the scheduled time counts
    [InlineData(0, 120, 120)]
    [InlineData(48, 120, 72)] // exactly 60 %: credited
    [InlineData(49, 120, 0)] // just under 60 %: nothing
    [InlineData(0, 60, 0)] // left halfway
    [InlineData(-60, -10, 0)] // gone before it started
    [InlineData(130, 180, 0)] // came after it ended
    public void Minutes_AreTheOverlapWithTheSchedule_IfItReachesTheShare(int inMinutes, int outMinutes, int expected) =>
        Assert.Equal(expected, ServiceHours.CreditedMinutes(Start, End, Start.AddMinutes(inMinutes), Start.AddMinutes(outMinutes)));

    [Fact]
    public void NoCheckOut_CreditsNothing_UntilAnOrganizerConfirms() =>
        Assert.Equal(0, ServiceHours.CreditedMinutes(Start, End, Start, null));

    [Fact]
    public void TheShare_IsConfigurable() =>
        Assert.Equal(60, ServiceHours.CreditedMinutes(Start, End, Start, Start.AddMinutes(60), minimumShare: 0.5));

    [Fact]
    public void ACheckOutBeforeTheCheckIn_CreditsNothing() =>
        Assert.Equal(0, ServiceHours.CreditedMinutes(Start, End, Start.AddMinutes(90), Start.AddMinutes(10)));

    [Theory]
    [InlineData(0, 72, 72, 60, true)] // exactly 60 %
    [InlineData(0, 71, 71, 59, false)]
    [InlineData(0, 71.9, 71, 59, false)] // 59.9 % reads 59 %, as it does not count
    [InlineData(-30, 150, 120, 100, true)]
    [InlineData(130, 180, 0, 0, false)]
    public void ThePresence_SaysTheShareInWholePercent_RoundedDown_AndAgreesWithTheRule(double inMinutes, double outMinutes, int minutes, int percent, bool counts)
    {
        var presence = ServiceHours.Measure(Start, End, Start.AddMinutes(inMinutes), Start.AddMinutes(outMinutes));

        Assert.Equal((minutes, 120, percent, counts), (presence.Minutes, presence.ScheduledMinutes, presence.SharePercent, presence.Counts));
        Assert.Equal(counts ? minutes : 0, presence.CreditedMinutes);
    }

    [Fact]
    public void AShareOf7Percent_CountsAtExactly7Percent() =>
        Assert.True(ServiceHours.Measure(Start, Start.AddMinutes(100), Start, Start.AddMinutes(7), minimumShare: 0.07).Counts);

    [Theory]
    [InlineData(0, "0")]
    [InlineData(2, "0")]
    [InlineData(3, "0.1")] // 0.05 h: half up
    [InlineData(4, "0.1")]
    [InlineData(9, "0.2")] // 0.15 h, which a double holds as 0.1499… and would round down
    [InlineData(15, "0.3")] // 0.25 h: half up, not to even
    [InlineData(90, "1.5")]
    [InlineData(-9, "-0.2")]
    public void Hours_AreShownToOneDecimal_RoundedHalfUp_FromMinutes(long minutes, string hours) =>
        Assert.Equal(hours, ServiceHours.RoundedHours(minutes).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture));
}
