using DezhiHub.Domain.Accounts;

namespace DezhiHub.Tests.Domain;

public sealed class MainlandMobileTests
{
    [Theory]
    [InlineData("13800000001", "13800000001")]
    [InlineData(" 138 0000 0001 ", "13800000001")]
    [InlineData("138-0000-0001", "13800000001")]
    [InlineData("+86 138 0000 0001", "13800000001")]
    [InlineData("0086 13800000001", "13800000001")]
    [InlineData("8613800000001", "13800000001")]
    [InlineData("19912345678", "19912345678")]
    public void TryNormalize_AcceptsTheFormsPeopleType(string input, string expected)
    {
        Assert.True(MainlandMobile.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12800000001")] // second digit 2 is not a mobile prefix
    [InlineData("1380000000")] // 10 digits
    [InlineData("138000000012")] // 12 digits
    [InlineData("23800000001")]
    [InlineData("1380000000a")]
    [InlineData("０１３８００００００１")] // full-width digits are not silently accepted
    [InlineData("13800000001; DROP TABLE")]
    public void TryNormalize_RefusesWhatIsNotAMainlandMobile(string? input)
    {
        Assert.False(MainlandMobile.TryNormalize(input, out var normalized));
        Assert.Null(normalized);
    }

    [Fact]
    public void Mask_HidesTheMiddleFourDigits() => Assert.Equal("138****0001", MainlandMobile.Mask("13800000001"));
}
