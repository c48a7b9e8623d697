using DezhiHub.Domain.Volunteering;

namespace DezhiHub.Tests.Domain;

public sealed class VolunteerAccountTests
{
    [Theory]
    [InlineData(PointsKind.Earned, 15, 15)]
    [InlineData(PointsKind.Awarded, 20, 20)]
    [InlineData(PointsKind.PledgeBonus, 50, 50)]
    [InlineData(PointsKind.Reversed, -20, -20)] // a reversed earning leaves the board too
    [InlineData(PointsKind.Redeemed, -50, 0)] // spending moves the balance, not what was earned
    [InlineData(PointsKind.Refunded, 50, 0)]
    public void ThePointsBoard_CountsEarningsAndTheirReversals_NotSpendingOrRefunds(PointsKind kind, int delta, int earned) =>
        Assert.Equal(earned, VolunteerAccount.EarnedDelta(kind, delta));

    [Fact]
    public void OnlyEarnings_AreEarnings_AndSoReversible() =>
        Assert.Equal([PointsKind.Earned, PointsKind.Awarded, PointsKind.PledgeBonus], Enum.GetValues<PointsKind>().Where(k => k.IsEarning()));

    [Theory]
    [InlineData(90, 10, 15)]
    [InlineData(45, 10, 8)] // 7.5 rounds half up
    [InlineData(1, 10, 0)]
    [InlineData(3, 10, 1)] // 0.5 rounds up
    [InlineData(0, 10, 0)]
    [InlineData(120, 0, 0)]
    public void PointsFor_CreditedMinutes_AreWholePointsRoundedHalfUp(int minutes, int perHour, int points) =>
        Assert.Equal(points, VolunteerAccount.PointsFor(minutes, perHour));

    [Fact]
    public void ANewStarLevel_IsAnnouncedGoingUp_AndACorrectionLowersItQuietly()
    {
        var firstStar = StarLevel.ThresholdHours[0] * 60L;

        Assert.Equal((1, true), VolunteerAccount.StarAfter(firstStar, 0));
        Assert.Equal((1, false), VolunteerAccount.StarAfter(firstStar + 30, 1));
        Assert.Equal((0, false), VolunteerAccount.StarAfter(firstStar - 1, 1));
    }
}
