using Bunit;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>The app bar: what a visitor and a signed-in demo user see, and the account menu.</summary>
public sealed class LayoutTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;

    public async Task InitializeAsync() => _host = await ComponentHost.CreateWithCityAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Visitor_IsOfferedSignIn_AndNoBellOrAccountMenu()
    {
        using var culture = CultureScope.Use("zh-CN");

        var layout = RenderLayout();

        var signIn = layout.Find("a[href='/account/login']");
        Assert.Equal("登录", signIn.TextContent.Trim());
        Assert.Empty(layout.FindAll("[data-testid=notification-bell], [data-testid=user-menu]"));
        Assert.Contains("the page", layout.Markup);
    }

    [Fact]
    public async Task SignedIn_SeesBellAndAccountMenu_InsteadOfSignIn()
    {
        using var culture = CultureScope.Use("zh-CN");
        _host.SignIn(_host.City.Organizer.Principal);

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=notification-bell]")), Wait);
        Assert.Single(layout.FindAll("[data-testid=user-menu]"));
        Assert.Empty(layout.FindAll("a[href='/account/login']"));
        Assert.Single(layout.FindAll("a[href='/admin/org']"));
    }

    [Fact]
    public async Task AccountMenu_ShowsTheInitialOfTheRealName()
    {
        using var culture = CultureScope.Use("zh-CN");
        _host.SignIn(_host.City.Resident.Principal);

        var menu = _host.Bunit.Render<UserMenu>();

        Assert.Equal("居", menu.Find(".mud-avatar").TextContent.Trim()); // 居民
    }

    [Fact]
    public async Task AccountMenu_OpensOnClick_WithNameRoleAndSignOut()
    {
        using var culture = CultureScope.Use("zh-CN");
        _host.SignIn(_host.City.Resident.Principal);
        var popovers = _host.Bunit.Render<MudPopoverProvider>();
        var menu = _host.Bunit.Render<UserMenu>();

        menu.Find(".mud-menu-activator .mud-avatar").Click();

        popovers.WaitForAssertion(() =>
        {
            var open = popovers.Find(".mud-popover-open");
            Assert.Contains(_host.City.Resident.Name, open.TextContent);
            Assert.Contains("居民", open.TextContent);
            Assert.Equal(_host.Text("Account.SignOut"), open.QuerySelector("[data-testid=sign-out]")?.TextContent.Trim());
        }, Wait);
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        _host.Bunit.Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "the page"))));
}
