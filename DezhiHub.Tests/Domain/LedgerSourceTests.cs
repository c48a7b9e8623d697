using DezhiHub.Domain.Volunteering;

namespace DezhiHub.Tests.Domain;

/// <summary>
/// The ledgers' source keys: the unique index holds each source to one entry, so the keys the app makes must stay
/// exactly what earlier versions wrote, or a retried source would post a second time.
/// </summary>
public sealed class LedgerSourceTests
{
    [Fact]
    public void TheKeys_AreTheOnesEarlierVersionsWrote()
    {
        Assert.Equal("attendance:7", LedgerSource.Attendance(7));
        Assert.Equal("redemption:12", LedgerSource.Redemption(12));
        Assert.Equal("refund:12", LedgerSource.Refund(12));
        Assert.Equal("award:3", LedgerSource.Award(3));
        Assert.Equal("reversal:40", LedgerSource.Reversal(40));
        Assert.Equal("correction:41", LedgerSource.Correction(41));
        Assert.Equal("pledge:1001", LedgerSource.Pledge(1001));
        Assert.Equal("attendance:12345678901", LedgerSource.Attendance(12_345_678_901));
    }

    [Theory]
    [InlineData("redemption:12", 12L)]
    [InlineData("attendance:12345678901", 12_345_678_901L)]
    [InlineData("test:seed", null)]
    [InlineData("reversal:-4", null)]
    [InlineData("", null)]
    public void TheNumberOfAKey_IsReadBack(string key, long? expected) => Assert.Equal(expected, LedgerSource.NumberOf(key));
}
