using DezhiHub.Domain.Market;

namespace DezhiHub.Tests.Domain;

/// <summary>When a reward is on offer: the one rule the catalogue query and the guarded stock update both apply.</summary>
public sealed class RewardItemTests
{
    private static readonly DateTime From = new(2027, 5, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Until = new(2027, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(-1, false)] // a moment before it opens
    [InlineData(0, true)] // from is inclusive
    [InlineData(60, true)]
    [InlineData(31 * 24 * 60, false)] // until is exclusive
    public void AnItemWithAWindow_IsOnOfferFromItsStartUntilBeforeItsEnd(int minutesAfterFrom, bool expected)
    {
        var item = Item(From, Until);

        Assert.Equal(expected, RewardItem.OnOfferAt(From.AddMinutes(minutesAfterFrom)).Compile()(item));
    }

    [Fact]
    public void AnItemWithoutAWindow_IsAlwaysOnOffer_UntilRetired()
    {
        var item = Item(null, null);
        var isOnOffer = RewardItem.OnOfferAt(From).Compile();
        Assert.True(isOnOffer(item));

        item.Retire();

        Assert.False(isOnOffer(item));
    }

    private static RewardItem Item(DateTime? from, DateTime? until) => RewardItem.Create(
        new RewardItemDetails { Name = "红色经典读本", PointsCost = 20, Stock = 5, OrgNodeId = 1, ValidFromUtc = from, ValidUntilUtc = until },
        "/1/", From.AddDays(-1));
}
