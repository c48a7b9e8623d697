using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StbImageSharp;
using Xunit.Abstractions;
using ZXing.Common;
using ZXing;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// The points market end to end: a volunteer on a phone redeems a partner's reward and gets a voucher QR code; the
/// partner, at a desk, opens the URL that code holds (as a phone camera would) and hands the item over; the
/// volunteer's redemption then reads collected.
/// </summary>
/// <remarks>
/// Adds its own item of 陈静 (13800000005) and gives 刘洋 (13800000004) the points for it through the ledger, so it
/// depends on no other test's state.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed class MarketTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task AVolunteerRedeemsAnItem_AndAPartnerFulfilsTheVoucher()
    {
        var phone = await OpenAsync(phone: true);
        const int Cost = 80;
        var item = await PartnerItemAsync(Cost);

        // The volunteer, on a phone, finds the item in the market and redeems it.
        await SignInAsync(phone, Demo.Volunteer);
        await GoAsync(phone, "/market");
        var card = phone.Locator("[data-testid=reward-item]", new() { HasText = item });
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.Locator("[data-testid=reward-cost]")).ToHaveTextAsync($"{Cost} 分");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the market fits the phone's width");
        var balance = int.Parse(await phone.Locator(".dz-market-balance-value").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
        await card.ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "market-phone");

        await card.Locator("[data-testid=reward-redeem]").ClickAsync();
        var dialog = phone.Locator("[data-testid=redeem-dialog]");
        await Expect(dialog.Locator("[data-testid=redeem-item]")).ToHaveTextAsync(item);
        await Expect(dialog.Locator("[data-testid=redeem-before]")).ToHaveTextAsync(balance.ToString(CultureInfo.InvariantCulture));
        await Expect(dialog.Locator("[data-testid=redeem-after]")).ToHaveTextAsync((balance - Cost).ToString(CultureInfo.InvariantCulture));
        await ShotAsync(phone, "redeem-dialog-phone");
        await phone.Locator("[data-testid=redeem-confirm]").ClickAsync();

        // The voucher: a QR code large enough to scan from the screen.
        await Expect(phone).ToHaveURLAsync(new Regex("/market/mine$"));
        var redemption = phone.Locator("[data-testid=redemption]", new() { HasText = item });
        await Expect(redemption).ToHaveAttributeAsync("data-status", nameof(RedemptionStatus.Pending));
        var qr = redemption.Locator("[data-testid=voucher-qr]");
        await Expect(qr).ToBeVisibleAsync();
        var box = (await qr.BoundingBoxAsync())!;
        Assert.True(box.Width >= 200 && box.X >= 0 && box.X + box.Width <= Phone.Width, $"the code is large and within the phone's width ({box.X} + {box.Width})");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "my redemptions fit the phone's width");
        var url = await ReadCodeAsync(qr);
        Assert.StartsWith($"{App.BaseAddress}market/vouchers/", url);
        await redemption.ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "voucher-phone");

        // Anyone else's phone camera: a voucher, and nothing about whose or what for.
        var camera = await OpenAsync(phone: true);
        await camera.GotoAsync(url);
        await Expect(camera.Locator("[data-testid=voucher-title]")).ToHaveTextAsync("这是一张积分超市兑换券");
        await Expect(camera.Locator("[data-testid=voucher-page]")).Not.ToContainTextAsync("刘洋");
        await Expect(camera.Locator("[data-testid=voucher-page]")).Not.ToContainTextAsync(item);
        Assert.True(await ScrollWidthAsync(camera) <= Phone.Width, "the voucher page fits the phone's width");
        await ShotAsync(camera, "voucher-stranger-phone");

        // The partner, at a desk, opens what the code holds and hands the item over.
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.Partner);
        await desk.GotoAsync(url);
        await Expect(desk.Locator("[data-testid=voucher-item]")).ToHaveTextAsync(item);
        await Expect(desk.Locator("[data-testid=voucher-volunteer]")).ToHaveTextAsync("刘洋");
        await ShotAsync(desk, "voucher-provider-desktop");
        await desk.Locator("[data-testid=voucher-handover]").ClickAsync();
        await Expect(desk.Locator("[data-testid=handover-result]")).ToHaveAttributeAsync("data-already", "false");
        await Expect(desk.Locator("[data-testid=voucher-title]")).ToHaveTextAsync("已发放");
        await ShotAsync(desk, "handed-over-desktop");

        // Scanned again: it says when it was handed over, and offers nothing to press.
        await desk.GotoAsync(url);
        await Expect(desk.Locator("[data-testid=voucher-status]")).ToContainTextAsync("领取");
        await Expect(desk.Locator("[data-testid=voucher-handover]")).ToHaveCountAsync(0);

        // Typed instead of scanned, on the fulfil page: the same voucher, handed over already.
        await GoAsync(desk, "/market/fulfil");
        await FillFieldAsync(desk.Locator("input[data-testid=voucher-code-input]"), Vouchers.Grouped(url.Split('/')[^1]));
        await desk.Locator("[data-testid=voucher-lookup]").ClickAsync();
        await Expect(desk.Locator("[data-testid=voucher-volunteer]")).ToHaveTextAsync("刘洋");
        await Expect(desk.Locator("[data-testid=voucher-status]")).ToContainTextAsync("领取");
        await Expect(desk.Locator("[data-testid=voucher-handover]")).ToHaveCountAsync(0);
        await ShotAsync(desk, "fulfil-typed-desktop");

        // The partner's own page counts it.
        await GoAsync(desk, "/partner");
        await Expect(desk.Locator("[data-testid=partner-item]", new() { HasText = item })).ToContainTextAsync("已领取 1");
        await Expect(desk.Locator("[data-testid=settlement-table]")).ToContainTextAsync(item);
        await ShotAsync(desk, "partner-desktop");

        // The volunteer sees it collected.
        await GoAsync(phone, "/market/mine");
        var collected = phone.Locator("[data-testid=redemption]", new() { HasText = item });
        await Expect(collected).ToHaveAttributeAsync("data-status", nameof(RedemptionStatus.Fulfilled));
        await Expect(collected.Locator("[data-testid=redemption-status]")).ToHaveTextAsync("已领取");
        await Expect(collected.Locator("[data-testid=voucher-qr]")).ToHaveCountAsync(0);
        await collected.ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "collected-phone");

        // The same pages on a desktop and on a phone, for review.
        var review = await OpenAsync();
        await SignInAsync(review, Demo.Volunteer);
        await GoAsync(review, "/market");
        await ShotAsync(review, "market-desktop");
        var manager = await OpenAsync();
        await SignInAsync(manager, Demo.OrganizerHongxing);
        await GoAsync(manager, "/market/manage");
        await Expect(manager.Locator("[data-testid=reward-table]")).ToContainTextAsync("环保购物袋");
        await ShotAsync(manager, "manage-desktop");
        await GoAsync(manager, "/market/manage/new");
        await Expect(manager.Locator("[data-testid=reward-form]")).ToBeVisibleAsync();
        await ShotAsync(manager, "new-item-desktop");
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task AnOrganizer_AddsAnItem_WhichAResidentOfTheCommunityFindsInTheMarket()
    {
        var name = $"E2E 雨伞 {Random.Shared.Next(1000, 9999)}";
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, "/market/manage");
        await desk.Locator("[data-testid=new-reward]").ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("/market/manage/new$"));
        await InteractiveAsync(desk);
        await FillFieldAsync(desk.Locator("input[data-testid=reward-name-input]"), name);
        await FillFieldAsync(desk.Locator("input[data-testid=reward-cost-input]"), "15");
        await FillFieldAsync(desk.Locator("input[data-testid=reward-stock-input]"), "6");
        await ShotAsync(desk, "new-item-filled");
        await desk.Locator("[data-testid=reward-save]").ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("/market/manage$"));
        await Expect(desk.Locator("[data-testid=reward-table]")).ToContainTextAsync(name);

        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, Demo.Resident);
        await GoAsync(phone, "/market");
        var card = phone.Locator("[data-testid=reward-item]", new() { HasText = name });
        await Expect(card.Locator("[data-testid=reward-stock]")).ToHaveTextAsync("剩余 6 件");
        await card.ScrollIntoViewIfNeededAsync();
        await ShotAsync(phone, "resident-market-phone");
        AssertNoProblems();
    }

    /// <summary>A new reward of the partner 陈静 offered in 城区, and the points for it on 刘洋's account.</summary>
    private async Task<string> PartnerItemAsync(int cost)
    {
        var name = $"婚礼花束券 {Random.Shared.Next(1000, 9999)}";
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var chengqu = await db.OrgNodes.Where(n => n.Name == "城区").Select(n => n.Id).SingleAsync();
        var partner = await db.Users.Where(u => u.PhoneNumber == Demo.Partner).Select(u => u.Id).SingleAsync();
        var volunteer = await db.Users.Where(u => u.PhoneNumber == Demo.Volunteer).Select(u => u.Id).SingleAsync();
        await services.GetRequiredService<RewardCatalog>().CreateItemAsync(await PrincipalAsync(services, Demo.Admin), new RewardItemDetails
        {
            Name = name,
            Description = "喜乐婚庆提供：婚礼当天手捧花一束。",
            PointsCost = cost,
            Stock = 3,
            PerPersonLimit = 1,
            OrgNodeId = chengqu,
            PartnerUserId = partner,
        });
        await using var transaction = await db.Database.BeginTransactionAsync();
        await services.GetRequiredService<Ledger>().PostPointsAsync(db, volunteer, cost, PointsKind.Awarded, $"test:e2e-market:{Guid.NewGuid():N}", DateTime.UtcNow, reason: "端到端测试");
        await transaction.CommitAsync();
        return name;
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }

    /// <summary>What a phone camera would read: the voucher's QR image as the browser draws it, decoded by ZXing.</summary>
    private static Task<string> ReadCodeAsync(ILocator image) => ReadQrAsync(image, "the voucher");
}
