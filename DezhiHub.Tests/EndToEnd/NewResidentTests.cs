using System.Text.RegularExpressions;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
        await RegisterInGridCellAsync(page, "孙晓梅");
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
    public async Task ANewPerson_BooksTheDemoHallOnAPhone_AndResendingTheFormShowsTheSameReceipt_NotASecondBooking()
    {
        var page = await OpenAsync(phone: true);
        var phone = await RegisterInGridCellAsync(page, "钱晓雨");
        int hall, userId;
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            hall = await db.WeddingResources.Where(r => r.Kind == WeddingServiceKind.CeremonyHall && !r.IsRetired).OrderBy(r => r.Id).Select(r => r.Id).FirstAsync();
            userId = await db.Users.Where(u => u.PhoneNumber == phone).Select(u => u.Id).SingleAsync();
        }

        await page.GotoAsync($"/weddings/services/{hall}");
        var slot = page.Locator("[data-testid=slot][data-state=Free]").First;
        await slot.ScrollIntoViewIfNeededAsync();
        await slot.ClickAsync();
        await Expect(page.Locator("[data-testid=book-confirm]")).ToBeVisibleAsync();
        await page.Locator("#partner").FillAsync("李文");
        await page.Locator("[data-testid=book-confirm]").ClickAsync();
        await Expect(page.Locator("[data-testid=book-result]")).ToHaveAttributeAsync("data-outcome", "Requested");
        var shown = await page.Locator("[data-testid=book-result]").GetAttributeAsync("data-booking-id");

        // Reloading the receipt posts the form again, with its one request id: the same receipt, no second booking.
        var resent = await page.RunAndWaitForResponseAsync(() => page.ReloadAsync(), r => r.Request.Method == "POST");
        Assert.Equal(200, resent.Status);
        await Expect(page.Locator("[data-testid=book-result]")).ToHaveAttributeAsync("data-booking-id", shown!);
        await ShotAsync(page, "booked-after-resend");
        Assert.True(await ScrollWidthAsync(page) <= Phone.Width, "the receipt fits the phone's width");
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var booked = await db.Bookings.Where(b => b.ApplicantUserId == userId).Select(b => b.Id).ToListAsync();
            Assert.Equal([int.Parse(shown!, System.Globalization.CultureInfo.InvariantCulture)], booked);
        }

        await page.Locator("[data-testid=book-my-bookings]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/bookings$"));
        await Expect(page.Locator($"[data-testid=book-result]")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-booking-id='{shown}']")).ToBeVisibleAsync();
        await ShotAsync(page, "my-bookings");
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

    /// <summary>A new account made by the real form on this page, in 红星社区's first grid cell, signed in; returns its number.</summary>
    private async Task<string> RegisterInGridCellAsync(IPage page, string name)
    {
        var phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}";
        await page.GotoAsync("/account/register");
        await Expect(page.Locator("h1")).ToHaveTextAsync("注册");
        await page.Locator("#phone").FillAsync(phone);
        await page.Locator("#realName").FillAsync(name);
        await page.Locator("#password").FillAsync("hongxing-spring-2027");
        await page.Locator("#confirm").FillAsync("hongxing-spring-2027");

        await PickAsync(page, "第一网格", GridCell);
        await Expect(page.Locator("input[type=hidden][name='Input.OrgNodeId']")).Not.ToHaveValueAsync("");
        await ShotAsync(page, "register-filled");
        Assert.True(await ScrollWidthAsync(page) <= Phone.Width, "the register page scrolls sideways on a phone");
        await page.Locator("[data-testid=register-submit]").ClickAsync();

        await Expect(page).ToHaveURLAsync(App.BaseAddress.ToString());
        await InteractiveAsync(page);
        return phone;
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
