using Bunit;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Components;

public sealed class CultureSwitcherTests : IAsyncLifetime
{
    private readonly ComponentHost _host = ComponentHost.CreateBare();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void OffersEnglish_GivenChinese_AndComesBackToTheSamePage()
    {
        using var culture = CultureScope.Use("zh-CN");
        NavigateTo("/notifications?unread=true&page=2");

        var link = _host.Bunit.Render<CultureSwitcher>().Find("[data-testid=culture-switch]");

        Assert.Equal("English", link.TextContent.Trim());
        Assert.Equal("/culture/set?culture=en-US&redirectUri=%2Fnotifications%3Funread%3Dtrue%26page%3D2", link.GetAttribute("href"));
    }

    [Fact]
    public void OffersChinese_GivenEnglish()
    {
        using var culture = CultureScope.Use("en-US");
        NavigateTo("/account/profile");

        var link = _host.Bunit.Render<CultureSwitcher>().Find("[data-testid=culture-switch]");

        Assert.Equal("中文", link.TextContent.Trim());
        Assert.Equal("/culture/set?culture=zh-CN&redirectUri=%2Faccount%2Fprofile", link.GetAttribute("href"));
    }

    [Fact]
    public void Link_FollowsInteractiveNavigation()
    {
        using var culture = CultureScope.Use("zh-CN");
        var cut = _host.Bunit.Render<CultureSwitcher>();
        Assert.EndsWith("redirectUri=%2F", cut.Find("[data-testid=culture-switch]").GetAttribute("href"));

        NavigateTo("/admin/org");

        cut.WaitForAssertion(() =>
            Assert.EndsWith("redirectUri=%2Fadmin%2Forg", cut.Find("[data-testid=culture-switch]").GetAttribute("href")));
    }

    private void NavigateTo(string uri) => _host.Bunit.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
}
