using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// The first minutes of a person nobody seeded: registering on a phone, finding their grid cell by typing, and
/// reaching the pages that need a community. The community picker once showed no suggestions here (its island had
/// no popover provider) and 886 tests did not notice, because every test used a demo account.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class NewResidentTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    private const string GridCell = "太行市 / 城区 / 东街街道 / 红星社区 / 第一网格";

    [SkippableFact]
    public async Task ANewPerson_RegistersOnAPhone_PicksTheirGridCellByTyping_AndOpensTheMarket()
    {
        var page = await OpenAsync(phone: true);
        var phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}";
        await page.GotoAsync("/account/register");
        await Expect(page.Locator("h1")).ToHaveTextAsync("注册");
        await page.Locator("#phone").FillAsync(phone);
        await page.Locator("#realName").FillAsync("孙晓梅");
        await page.Locator("#password").FillAsync("hongxing-spring-2027");
        await page.Locator("#confirm").FillAsync("hongxing-spring-2027");

        await PickAsync(page, "第一网格", GridCell);
        await Expect(page.Locator("input[type=hidden][name='Input.OrgNodeId']")).Not.ToHaveValueAsync("");
        await ShotAsync(page, "register-filled");
        Assert.True(await ScrollWidthAsync(page) <= Phone.Width, "the register page scrolls sideways on a phone");
        await page.Locator("[data-testid=register-submit]").ClickAsync();

        await Expect(page).ToHaveURLAsync(App.BaseAddress.ToString());
        await InteractiveAsync(page);
        await Expect(page.Locator("[data-testid=home-me]")).ToContainTextAsync("您好，孙晓梅");
        await Expect(page.Locator("[data-testid=home-me]")).ToContainTextAsync("第一网格");
        await ShotAsync(page, "home");

        await GoAsync(page, "/market");
        await Expect(page).ToHaveURLAsync(new Regex("/market$"));
        // A grid cell shops in its community and every level above it.
        await Expect(page.Locator("[data-testid=market-area]")).ToContainTextAsync("红星社区");
        await Expect(page.Locator("[data-testid=market-no-area]")).ToHaveCountAsync(0);
        await ShotAsync(page, "market");
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task APersonWithoutACommunity_ChoosesItOnTheProfile_ByTyping()
    {
        var page = await OpenAsync(phone: true);
        await SignInAsync(page, await RegisterWithoutCommunityAsync(page));
        await page.GotoAsync("/account/profile");
        await Expect(page.Locator("h1")).ToHaveTextAsync("个人资料");

        await PickAsync(page, "和平", "太行市 / 城区 / 东街街道 / 和平社区");
        await page.Locator("[data-testid=profile-submit]").ClickAsync();

        await Expect(page.Locator("[data-testid=profile-saved]")).ToBeVisibleAsync();
        await GoAsync(page, "/");
        await Expect(page.Locator("[data-testid=home-me]")).ToContainTextAsync("和平社区");

        // Signed in on a borrowed computer too? One button ends every session of the account.
        await page.GotoAsync("/account/profile");
        await page.Locator("[data-testid=sign-out-everywhere]").ScrollIntoViewIfNeededAsync();
        await ShotAsync(page, "sign-out-everywhere");
        await page.Locator("[data-testid=sign-out-everywhere]").ClickAsync();
        await Expect(page.Locator("[data-testid=signed-out-everywhere]")).ToHaveTextAsync("已在所有设备上退出登录。请重新登录。");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "dezhihub.auth");
        AssertNoProblems();
    }

    /// <summary>Types part of a name into the community picker and taps the suggestion with this full path.</summary>
    private async Task PickAsync(IPage page, string typed, string fullName)
    {
        var picker = page.Locator("input[data-testid=org-picker]");
        // The picker is an interactive island in a static form: typing before its circuit is up would be lost.
        await Expect(picker).ToBeEditableAsync();
        // Its suggestions are drawn by a popover provider that the island must bring along (the static layout has none).
        try
        {
            await page.WaitForFunctionAsync("() => document.querySelector('.mud-popover-provider')");
        }
        catch (TimeoutException)
        {
            Assert.Fail("The community picker came up without a popover provider: its suggestions can never show.");
        }

        await picker.PressSequentiallyAsync(typed, new() { Delay = 50 });
        var option = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = fullName }).First;
        await Expect(option).ToBeVisibleAsync();
        await ShotAsync(page, "suggestions");
        await option.ClickAsync();
        await Expect(picker).ToHaveValueAsync(fullName);
    }

    /// <summary>A new account made by the real form without a community; returns its number.</summary>
    private static async Task<string> RegisterWithoutCommunityAsync(IPage page)
    {
        var phone = $"137{Random.Shared.Next(10_000_000, 99_999_999)}";
        await page.GotoAsync("/account/register");
        await page.Locator("#phone").FillAsync(phone);
        await page.Locator("#realName").FillAsync("周文博");
        await page.Locator("#password").FillAsync(Demo.Password);
        await page.Locator("#confirm").FillAsync(Demo.Password);
        await page.Locator("[data-testid=register-submit]").ClickAsync();
        await Expect(page.Locator("[data-testid=home-me]")).ToBeVisibleAsync();
        await page.Context.ClearCookiesAsync();
        return phone;
    }
}
