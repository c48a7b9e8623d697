using AngleSharp.Dom;
using Bunit;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Features.Organization;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>The org picker on the real <see cref="OrgTreeService"/> and the demo city.</summary>
public sealed class OrgNodePickerTests : IAsyncLifetime
{
    private const string HongxingFullName = "测试市 / 测试区 / 测试街道 / 东湖社区";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;
    private IRenderedComponent<MudPopoverProvider> _popovers = default!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        // Options are rendered into the popover provider, as in the app's layout.
        _popovers = _host.Bunit.Render<MudPopoverProvider>();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Typing_OffersMatchingNodesByFullName()
    {
        using var culture = CultureScope.Use("zh-CN");
        var picker = _host.Bunit.Render<OrgNodePicker>();

        Type(picker, "东湖");

        _popovers.WaitForAssertion(() => Assert.Contains(HongxingFullName, OptionTexts()), Wait);
    }

    [Fact]
    public async Task ChoosingAnOption_RaisesValueChangedWithItsId()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hongxing = _host.City.Community.Id;
        int? chosen = null;
        OrgNodeOption? chosenOption = null;
        var picker = _host.Bunit.Render<OrgNodePicker>(p => p
            .Add(x => x.ValueChanged, id => chosen = id)
            .Add(x => x.SelectedChanged, option => chosenOption = option));

        Type(picker, "东湖");
        _popovers.WaitForAssertion(() => Assert.Contains(HongxingFullName, OptionTexts()), Wait);
        Option(HongxingFullName).Click();

        picker.WaitForAssertion(() => Assert.Equal(hongxing, chosen), Wait);
        Assert.Equal(HongxingFullName, chosenOption?.FullName);
        Assert.Equal(HongxingFullName, TextBox(picker).GetAttribute("value"));
    }

    [Fact]
    public void Levels_LimitWhatIsOffered()
    {
        using var culture = CultureScope.Use("zh-CN");
        var picker = _host.Bunit.Render<OrgNodePicker>(p => p.Add(x => x.Levels, [OrgLevel.GridCell]));

        Type(picker, "东湖");

        // The "no match" text shows once the search has answered.
        _popovers.WaitForAssertion(() => Assert.Contains(_host.Text("Org.NoMatch"), _popovers.Markup), Wait);
        Assert.Empty(OptionTexts());
    }

    [Fact]
    public void Levels_StillOfferGridCellsOfThatLevel()
    {
        using var culture = CultureScope.Use("zh-CN");
        var picker = _host.Bunit.Render<OrgNodePicker>(p => p.Add(x => x.Levels, [OrgLevel.GridCell]));

        Type(picker, "第一网格");

        _popovers.WaitForAssertion(() => Assert.Contains("测试市 / 测试区 / 测试街道 / 东湖社区 / 第一网格", OptionTexts()), Wait);
        Assert.All(OptionTexts(), text => Assert.EndsWith("/ 第一网格", text));
    }

    [Fact]
    public async Task Name_PostsTheChosenIdInAHiddenField()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hongxing = _host.City.Community.Id;
        var picker = _host.Bunit.Render<OrgNodePicker>(p => p.Add(x => x.Name, "Input.OrgNodeId"));
        Assert.True(string.IsNullOrEmpty(HiddenField(picker).GetAttribute("value")));

        Type(picker, "东湖");
        _popovers.WaitForAssertion(() => Assert.Contains(HongxingFullName, OptionTexts()), Wait);
        Option(HongxingFullName).Click();

        picker.WaitForAssertion(() => Assert.Equal(hongxing.ToString(), HiddenField(picker).GetAttribute("value")), Wait);
    }

    [Fact]
    public async Task InitialValue_ShowsItsFullName_AndFillsTheHiddenField()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hongxing = _host.City.Community.Id;

        var picker = _host.Bunit.Render<OrgNodePicker>(p => p.Add(x => x.Value, hongxing).Add(x => x.Name, "Input.OrgNodeId"));

        picker.WaitForAssertion(() => Assert.Equal(HongxingFullName, TextBox(picker).GetAttribute("value")), Wait);
        Assert.Equal(hongxing.ToString(), HiddenField(picker).GetAttribute("value"));
    }

    /// <summary>Types, then lets the search's debounce (250 ms, on the app's clock) run out.</summary>
    private void Type(IRenderedComponent<OrgNodePicker> picker, string text)
    {
        TextBox(picker).Input(text);
        _host.Features.Clock.Advance(TimeSpan.FromMilliseconds(300));
    }

    private static IElement TextBox(IRenderedComponent<OrgNodePicker> picker) => picker.Find("input:not([type=hidden])");

    private static IElement HiddenField(IRenderedComponent<OrgNodePicker> picker) => picker.Find("input[type=hidden][name='Input.OrgNodeId']");

    /// <summary>The full names ("测试市 / … / 东湖社区") of the options on offer.</summary>
    private List<string> OptionTexts() =>
        [.. _popovers.FindAll(".mud-popover-open .mud-list-item .mud-typography-caption").Select(e => e.TextContent.Trim())];

    private IElement Option(string fullName) =>
        _popovers.FindAll(".mud-popover-open .mud-list-item").Single(e => e.QuerySelector(".mud-typography-caption")?.TextContent.Trim() == fullName);
}
