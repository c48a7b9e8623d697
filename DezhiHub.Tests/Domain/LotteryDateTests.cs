using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;

namespace DezhiHub.Tests.Domain;

/// <summary>A lottery date collects entries until its deadline, then is drawn once.</summary>
public sealed class LotteryDateTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Peak = new(2027, 5, 20);
    private static readonly DateTime PeakStartUtc = new(2027, 5, 19, 16, 0, 0, DateTimeKind.Utc); // 00:00 on 20 May in Shanghai
    private static readonly DateTime Deadline = new(2027, 4, 30, 16, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void TheDeadline_MustBeAheadAndNoLaterThanTheDayItself()
    {
        Assert.Equal("Lottery.DeadlineInvalid", Assert.Throws<DomainException>(() => LotteryDate.Create(Peak, Now, PeakStartUtc, Now)).Code);
        Assert.Equal("Lottery.DeadlineInvalid", Assert.Throws<DomainException>(() => LotteryDate.Create(Peak, PeakStartUtc.AddTicks(1), PeakStartUtc, Now)).Code);
        Assert.Equal(PeakStartUtc, LotteryDate.Create(Peak, PeakStartUtc, PeakStartUtc, Now).DeadlineUtc);
    }

    [Fact]
    public void EntriesAreCollectedUntilTheDeadline_ThenItIsDrawnOnce_WithItsSeed()
    {
        var lottery = LotteryDate.Create(Peak, Deadline, PeakStartUtc, Now);

        Assert.True(lottery.IsCollecting(Deadline.AddTicks(-1)));
        Assert.False(lottery.IsCollecting(Deadline));
        Assert.Equal("Lottery.NotClosed", Assert.Throws<DomainException>(() => lottery.MarkDrawn(99, Deadline.AddTicks(-1))).Code);
        Assert.False(lottery.IsDrawn);

        lottery.MarkDrawn(-8_765_432_109_876L, Deadline);

        Assert.True(lottery.IsDrawn);
        Assert.Equal((-8_765_432_109_876L, Deadline), (lottery.Seed, lottery.DrawnAtUtc));
        Assert.False(lottery.IsCollecting(Now));
        Assert.Equal("Lottery.AlreadyDrawn", Assert.Throws<DomainException>(() => lottery.MarkDrawn(1, Deadline.AddDays(1))).Code);
        Assert.Equal(-8_765_432_109_876L, lottery.Seed);
    }
}
