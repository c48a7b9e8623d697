using DezhiHub.Domain;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;

namespace DezhiHub.Tests.Domain;

/// <summary>
/// The one rule for text people enter and others read: invisible characters and control characters go silently,
/// direction embeddings, overrides and isolates are refused (they change what a reader sees), the rest is kept.
/// </summary>
public sealed class PersonTextTests
{
    [Theory]
    [InlineData('\u200B')] // zero-width space
    [InlineData('\u200C')] // zero-width non-joiner
    [InlineData('\u200D')] // zero-width joiner
    [InlineData('\u2060')] // word joiner
    [InlineData('\u2062')] // invisible times
    [InlineData('\uFEFF')] // byte-order mark / zero-width no-break space
    [InlineData('\u00AD')] // soft hyphen
    [InlineData('\u180E')] // Mongolian vowel separator
    [InlineData('\u200E')] // left-to-right mark
    [InlineData('\u200F')] // right-to-left mark
    [InlineData('\u061C')] // Arabic letter mark
    public void InvisibleCharacters_AreRemovedSilently(char invisible)
    {
        var typed = $"{invisible}王{invisible}建国{invisible}";

        Assert.Equal("王建国", PersonText.Checked(typed));
        Assert.Equal("王建国", PersonText.CheckedMultiline(typed));
        Assert.Equal("王建国", PersonText.Clean(typed));
        Assert.False(PersonText.HasDirectionControl(typed));
    }

    [Theory]
    [InlineData('\u202A')] // left-to-right embedding
    [InlineData('\u202B')] // right-to-left embedding
    [InlineData('\u202C')] // pop directional formatting
    [InlineData('\u202D')] // left-to-right override
    [InlineData('\u202E')] // right-to-left override
    [InlineData('\u2066')] // left-to-right isolate
    [InlineData('\u2067')] // right-to-left isolate
    [InlineData('\u2068')] // first strong isolate
    [InlineData('\u2069')] // pop directional isolate
    public void DirectionControls_AreRefused_WhereSomeoneCanBeTold_AndRemovedElsewhere(char control)
    {
        var typed = $"红星{control}社区";

        Assert.True(PersonText.HasDirectionControl(typed));
        Assert.Equal(PersonText.DirectionControlCode, Assert.Throws<DomainException>(() => PersonText.Checked(typed)).Code);
        Assert.Equal(PersonText.DirectionControlCode, Assert.Throws<DomainException>(() => PersonText.CheckedMultiline(typed)).Code);
        Assert.Equal("红星社区", PersonText.Clean(typed));
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("\u0007")] // bell
    [InlineData("\u001B")] // escape
    [InlineData("\u007F")] // delete
    [InlineData("\u0085")] // C1 next line
    [InlineData("\u009B")] // C1 control sequence introducer
    public void ControlCharacters_AreRemoved(string control)
    {
        Assert.Equal("李秀英", PersonText.Checked($"李{control}秀英"));
        Assert.Equal("李秀英", PersonText.CheckedMultiline($"李{control}秀英"));
    }

    [Fact]
    public void LineBreaksAndTabs_BecomeSpacesOnOneLine_AndStayInMultiLineText()
    {
        Assert.Equal("红星社区 活动室 二楼", PersonText.Checked("  红星社区\r\n活动室\t二楼\n"));
        Assert.Equal("第一行\n第二行\n\t第三行", PersonText.CheckedMultiline("第一行\r\n第二行\r\t第三行"));
    }

    [Theory]
    [InlineData("王建国")]
    [InlineData("Zhang Wei")]
    [InlineData("红色歌曲教唱（第 2 期）")]
    [InlineData("👍🏽 ❤️ 志愿者")]     // emoji with a skin tone and a variation selector
    [InlineData("中华人民共和国　国歌")] // an ideographic space inside
    public void OrdinaryText_IsKeptAsTyped(string text)
    {
        Assert.Equal(text, PersonText.Checked(text));
        Assert.Equal(text, PersonText.CheckedMultiline(text));
    }

    [Fact]
    public void Nothing_IsEmpty()
    {
        Assert.Equal("", PersonText.Checked(null));
        Assert.Equal("", PersonText.Checked("\u200B \uFEFF"));
    }

    [Fact]
    public void EntitiesUseTheRule_ForNamesTitlesAndPlaces()
    {
        var node = OrgNode.CreateRoot("太行\u200B市");
        Assert.Equal("太行市", node.Name);
        Assert.Equal(PersonText.DirectionControlCode, Assert.Throws<DomainException>(() => node.Rename("\u202E市行太")).Code);
        Assert.Equal("太行市", node.Name);

        Assert.Equal("党史学习", ActivityTheme.Create("\uFEFF党史学习").Name);

        var details = new ActivityDetails
        {
            Title = "红色\u200D歌曲",
            Entry = EightEntry.Communities,
            ThemeIds = [1],
            OrgNodeId = 1,
            Place = "活动室\u202E",
            StartUtc = new DateTime(2027, 1, 1, 1, 0, 0, DateTimeKind.Utc),
            EndUtc = new DateTime(2027, 1, 1, 2, 0, 0, DateTimeKind.Utc),
        };
        Assert.Equal([(nameof(ActivityDetails.Place), PersonText.DirectionControlCode)], details.Validate());
        Assert.Equal("红色歌曲", (details with { Place = "活动室" }).Checked().Title);
    }
}
