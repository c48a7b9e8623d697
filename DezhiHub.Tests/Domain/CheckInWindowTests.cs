using DezhiHub.Domain.Activities;

namespace DezhiHub.Tests.Domain;

/// <summary>When an activity takes scans: the one rule the check-in service, the scanner and the check-in screen apply.</summary>
public sealed class CheckInWindowTests
{
    private static readonly DateTime Start = new(2027, 3, 5, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime End = Start.AddHours(2);

    [Theory]
    [InlineData(-31, CheckInWindowState.NotYetOpen)]
    [InlineData(-30, CheckInWindowState.Open)] // opens 30 minutes before the start, inclusive
    [InlineData(120, CheckInWindowState.Open)] // the end itself still counts
    [InlineData(121, CheckInWindowState.Over)]
    public void CheckIn_IsTakenFromItsOpeningUntilTheEnd(int minutesFromStart, CheckInWindowState expected)
    {
        var window = CheckInWindow.For(Start, End, opensMinutesBefore: 30, CheckInPurpose.CheckIn);

        Assert.Equal(expected, window.At(Start.AddMinutes(minutesFromStart)));
    }

    [Fact]
    public void CheckOut_IsTakenUntilThreeHoursAfterTheEnd()
    {
        var window = CheckInWindow.For(Start, End, opensMinutesBefore: 30, CheckInPurpose.CheckOut);

        Assert.Equal(End.AddHours(3), window.ClosesAtUtc);
        Assert.Equal(CheckInWindowState.Open, window.At(End.AddHours(3)));
        Assert.Equal(CheckInWindowState.Over, window.At(End.AddHours(3).AddSeconds(1)));
    }
}
