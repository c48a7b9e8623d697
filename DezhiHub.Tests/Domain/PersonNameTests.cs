using DezhiHub.Domain.Accounts;

namespace DezhiHub.Tests.Domain;

public sealed class PersonNameTests
{
    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("李小明", "李*明")]
    [InlineData("欧阳娜娜", "欧**娜")]
    [InlineData("王", "王")]
    [InlineData("  赵磊 ", "赵*")]
    [InlineData("", "")]
    [InlineData("Anna Li", "A*****i")]
    [InlineData("𠀋小明", "𠀋*明")] // a letter outside the basic plane is kept whole
    public void Masked_KeepsTheFirstAndLastLetter(string name, string expected) =>
        Assert.Equal(expected, PersonName.Masked(name));

    [Theory]
    [InlineData("刘洋", "刘*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("王", "王*")]
    [InlineData("   ", "*")]
    [InlineData("𠀋小明", "𠀋**")]
    public void FirstOnly_ShowsTheFirstLetterAndHidesHowLongTheNameIs_ButNeverShowsAll(string name, string expected) =>
        Assert.Equal(expected, PersonName.FirstOnly(name));
}
