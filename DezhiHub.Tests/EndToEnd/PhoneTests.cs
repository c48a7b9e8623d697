using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// On a phone (390×844, the size most residents have): no sideways scrolling, and the menu stays out of the
/// way until asked for.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PhoneTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task OnAPhone_PagesFitTheWidth_AndTheMenuOpensOnlyWhenAsked()
    {
        var page = await OpenAsync(phone: true);
        await page.GotoAsync("/account/login");
        await Expect(page.Locator("[data-testid=login-submit]")).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.True(await ScrollWidthAsync(page) <= Phone.Width, "the sign-in page scrolls sideways on a phone");
        await ShotAsync(page, "login", "login-phone");

        await SignInAsync(page, Demo.Admin);
        await GoAsync(page, "/");
        var homeLink = page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "首页", Exact = true });
        var peopleLink = page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "人员管理", Exact = true });
        await Expect(page.Locator("[data-testid=home-managed]")).ToBeInViewportAsync();
        await Expect(homeLink).Not.ToBeInViewportAsync();
        Assert.True(await ScrollWidthAsync(page) <= Phone.Width, "the home page scrolls sideways on a phone");
        await ShotAsync(page, "home", "home-phone");

        await page.Locator("[data-testid=drawer-toggle]").ClickAsync();
        await Expect(homeLink).ToBeInViewportAsync();
        await ShotAsync(page, "menu-open");
        // An admin's menu is longer than a phone screen: the drawer scrolls to the link.
        await peopleLink.ScrollIntoViewIfNeededAsync();
        await Expect(peopleLink).ToBeInViewportAsync();
        await peopleLink.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/admin/users$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("人员管理");
        await Expect(peopleLink).Not.ToBeInViewportAsync();
        await Expect(page.Locator("[data-testid=users-table]")).ToContainTextAsync("王建国");
        Assert.True(await ScrollWidthAsync(page) <= Phone.Width, "the people page scrolls sideways on a phone");
        await ShotAsync(page, "users");
        AssertNoProblems();
    }
}
