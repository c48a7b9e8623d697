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
}
