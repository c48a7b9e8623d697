using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using System.Text;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>
/// The points market over real HTTP: the statically rendered voucher page a phone camera opens (nothing personal for
/// anyone but the holder and the provider; the provider hands over with an antiforgery form, once), the market pages
/// behind sign-in, and the Partner's settlement exports behind the Partner role.
/// </summary>
/// <remarks>Each test makes its own items and redeemers, so the shared demo database's other users are not touched.</remarks>
[Collection(WebCollection.Name)]
public sealed partial class MarketPageTests(AppFactory app)
{
    [Fact]
    public async Task TheVoucherPage_ToAnonymous_SaysOnlyThatItIsAVoucher()
    {
        var (token, holder, item) = await VoucherAsync("环保水杯（网页测试）");
        using var anonymous = app.NewClient();
        using var english = app.NewClient("en-US");

        var html = await PageAsync(anonymous, Vouchers.PathPrefix + token);
        var text = VisibleText(html);

        Assert.Contains("data-state=\"Stranger\"", html);
        Assert.Contains("这是一张积分超市兑换券", text);
        Assert.DoesNotContain(holder, html);
        Assert.DoesNotContain(item, html);
        Assert.DoesNotContain("voucher-details", html);
        Assert.DoesNotContain("data-testid=\"voucher-handover\"", html);
        Assert.DoesNotMatch(@"\d{3,}", text); // no phone, no points, no dates
        Assert.Contains("noindex", html);
        Assert.Contains($"/account/login?returnUrl={Uri.EscapeDataString(Vouchers.PathPrefix + token)}", html);
        Assert.Contains("This is a points market voucher", VisibleText(await PageAsync(english, Vouchers.PathPrefix + token)));
    }

    [Fact]
    public async Task TheVoucherPage_ToASignedInStranger_NamesNobody_AndAForgedCodeIsInvalid()
    {
        var (token, holder, item) = await VoucherAsync("节能灯（网页测试）");
        using var resident = await SignedInAsync(Demo.Resident);
        using var otherOrganizer = await SignedInAsync(Demo.OrganizerHeping);
        using var anonymous = app.NewClient();

        foreach (var client in new[] { resident, otherOrganizer })
        {
            var html = await PageAsync(client, Vouchers.PathPrefix + token);
            Assert.Contains("data-state=\"Stranger\"", html);
            Assert.DoesNotContain(holder, html);
            Assert.DoesNotContain(item, html);
            Assert.DoesNotContain("voucher-sign-in", html);
        }

        var forged = token[..5] + (token[5] == 'A' ? 'B' : 'A') + token[6..];
        var invalid = await PageAsync(anonymous, Vouchers.PathPrefix + forged);
        Assert.Contains("data-state=\"Invalid\"", invalid);
        Assert.Contains("无效的兑换码", VisibleText(invalid));
    }

    [Fact]
    public async Task TheProvider_HandsOverOnTheStaticPage_Once_AndTheHolderSeesItCollected()
    {
        var (token, holder, item) = await VoucherAsync("理发券（网页测试）", partner: true);
        using var partner = await SignedInAsync(Demo.Partner);
        var path = Vouchers.PathPrefix + token;

        var before = await PageAsync(partner, path);
        Assert.Contains("data-state=\"Provider\"", before);
        Assert.Matches($"data-testid=\"voucher-volunteer\"[^>]*>{holder}<", before);
        Assert.Matches($"data-testid=\"voucher-item\"[^>]*>{Regex.Escape(item)}<", before);
        Assert.Contains("data-testid=\"voucher-handover\"", before);

        using var first = await partner.SubmitFormAsync(path, new Dictionary<string, string>());
        var firstHtml = WebUtility.HtmlDecode(await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("data-state=\"Done\"", firstHtml);
        Assert.Contains("data-already=\"false\"", firstHtml);
        Assert.Contains("已发放", VisibleText(firstHtml));

        // A second tap (or a second phone) is told when it happened; nothing changes.
        using var second = await partner.SubmitFormAsync(path, new Dictionary<string, string>());
        var secondText = VisibleText(WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync()));
        Assert.Matches(@"该兑换券已于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 发放", secondText);
        var after = await PageAsync(partner, path);
        Assert.DoesNotContain("data-testid=\"voucher-handover\"", after);

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.True(scope.ServiceProvider.GetRequiredService<Vouchers>().TryVerify(token, out var id));
        Assert.Equal(RedemptionStatus.Fulfilled, (await db.Redemptions.SingleAsync(r => r.Id == id)).Status);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "market.handed-over" && a.EntityId == id.ToString()));
    }

    [Fact]
    public async Task TheFulfilPage_LooksUpAHandedOnCode_ForItsProvider_AndNamesNobodyToOthers()
    {
        var (token, holder, item) = await VoucherAsync("保温杯（网页测试）", partner: true);
        using var partner = await SignedInAsync(Demo.Partner);
        using var otherOrganizer = await SignedInAsync(Demo.OrganizerHeping);
        var path = $"/market/fulfil?code={Uri.EscapeDataString(token)}";

        var voucherPage = await PageAsync(partner, Vouchers.PathPrefix + token);
        var provider = await PageAsync(partner, path);
        var stranger = await PageAsync(otherOrganizer, path);

        Assert.Contains($"href=\"{path}\"", voucherPage);
        Assert.Matches($"data-testid=\"voucher-volunteer\"[^>]*>{holder}<", provider);
        Assert.Contains("data-testid=\"voucher-handover\"", provider);
        Assert.Contains("data-testid=\"voucher-cancel\"", provider);
        Assert.Contains("data-testid=\"voucher-not-yours\"", stranger);
        Assert.DoesNotContain(holder, stranger);
        Assert.DoesNotContain(item, stranger.Replace(token, "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHandOverPost_WithoutTheAntiforgeryToken_IsRefused()
    {
        var (token, _, _) = await VoucherAsync("毛巾（网页测试）", partner: true);
        using var partner = await SignedInAsync(Demo.Partner);

        using var response = await partner.SubmitFormAsync(Vouchers.PathPrefix + token, new Dictionary<string, string>(), includeAntiforgery: false);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"voucher-handover\"", await PageAsync(partner, Vouchers.PathPrefix + token));
    }

    [Theory]
    [InlineData("/market")]
    [InlineData("/market/mine")]
    [InlineData("/market/manage")]
    [InlineData("/market/fulfil")]
    [InlineData("/partner")]
    [InlineData("/partner/settlement.csv")]
    [InlineData("/partner/settlement.xlsx")]
    public async Task Anonymous_IsSentToSignIn(string path)
    {
        using var client = app.NewClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData(Demo.Volunteer, "/partner/settlement.csv")]
    [InlineData(Demo.OrganizerHongxing, "/partner/settlement.csv")]
    [InlineData(Demo.Admin, "/partner/settlement.xlsx")]
    [InlineData(Demo.Volunteer, "/partner")]
    [InlineData(Demo.Volunteer, "/market/manage")]
    [InlineData(Demo.Volunteer, "/market/fulfil")]
    [InlineData(Demo.Partner, "/market/manage")]
    public async Task TheWrongRole_IsSentToAccessDenied(string phone, string path)
    {
        using var client = await SignedInAsync(phone);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task TheSettlementCsvAndExcel_ListThePartnersHandOversOfTheMonth_AndNothingElse()
    {
        var item = "婚礼跟拍券（网页测试）";
        var itemId = await NewItemAsync(item, partner: true, cost: 260);
        var (token, _) = await RedeemAsync(itemId, 260);
        var (other, _) = await RedeemAsync(itemId, 260);
        var (community, _, communityItem) = await VoucherAsync("社区洗车券（网页测试）");
        await HandOverAsync(Demo.Partner, token);
        await HandOverAsync(Demo.Partner, other);
        await HandOverAsync(Demo.OrganizerHongxing, community);
        using var partner = await SignedInAsync(Demo.Partner);
        var month = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        using var response = await partner.GetAsync($"/partner/settlement.csv?month={month}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var csv = Encoding.UTF8.GetString(bytes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"settlement-{month}.csv", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"商品\",\"单价（分）\",\"核销数量\",\"积分合计\"", lines[0]);
        Assert.Contains($"\"{item}\",\"260\",\"2\",\"520\"", lines);
        Assert.DoesNotContain(communityItem, csv);
        Assert.StartsWith("\"合计\",\"\",", lines[^1]);

        using var xlsx = await partner.GetAsync($"/partner/settlement.xlsx?month={month}");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToList()).ToList();
        Assert.Equal(["商品", "单价（分）", "核销数量", "积分合计"], rows[0]);
        Assert.Contains(rows, r => r.SequenceEqual([item, "260", "2", "520"]));

        using var english = await SignedInAsync(Demo.Partner, "en-US");
        Assert.StartsWith("\"Item\",\"Points each\"", (await english.GetStringAsync($"/partner/settlement.csv?month={month}")).TrimStart('\uFEFF'));
        using var bad = await partner.GetAsync("/partner/settlement.csv?month=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var before = await partner.GetAsync("/partner/settlement.csv?month=2020-01");
        Assert.DoesNotContain(item, Encoding.UTF8.GetString(await before.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task TheMarketPages_ShowTheDemoRewards_AndTheHoldersVoucherQr()
    {
        var (token, _, item) = await VoucherAsync("雨伞（网页测试）", holderPhone: Demo.Volunteer);
        using var volunteer = await SignedInAsync(Demo.Volunteer);

        var market = await PageAsync(volunteer, "/market");
        var mine = await PageAsync(volunteer, "/market/mine");

        Assert.Contains("积分超市", market);
        Assert.Contains("环保购物袋", market);
        Assert.Contains("婚纱照优惠券", market);
        Assert.Contains(item, mine);
        var qr = QrImage().Matches(mine).Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups["data"].Value)));
        Assert.Contains(qr, svg => svg == DezhiHub.Web.Platform.Signing.QrImages.Svg($"{app.BaseAddress}market/vouchers/{token}"));
        Assert.Contains(Vouchers.Grouped(token), mine);

        using var english = await SignedInAsync(Demo.Volunteer, "en-US");
        var englishMine = VisibleText(await PageAsync(english, "/market/mine"));
        Assert.Contains("My redemptions", englishMine);
        Assert.Contains("Show this QR code or the voucher code to the provider", englishMine);
        using var organizer = await SignedInAsync(Demo.OrganizerHongxing, "en-US");
        Assert.Contains("Reward items", VisibleText(await PageAsync(organizer, "/market/manage")));
    }

    private async Task<AppClient> SignedInAsync(string phone, string? culture = null)
    {
        var client = app.NewClient(culture);
        Assert.True(await client.SignInAsync(phone));
        return client;
    }

    /// <summary>
    /// A new item of 红星社区 (or of the partner 陈静, offered in 城区) and a redemption of it by a new resident of 红星社区
    /// (or by <paramref name="holderPhone"/>). Returns the voucher's token, the holder's name and the item's name.
    /// </summary>
    private async Task<(string Token, string Holder, string Item)> VoucherAsync(string itemName, bool partner = false, int cost = 20, string? holderPhone = null)
    {
        var itemId = await NewItemAsync(itemName, partner, cost);
        var (token, holder) = await RedeemAsync(itemId, cost, holderPhone);
        return (token, holder, itemName);
    }

    private async Task<int> NewItemAsync(string itemName, bool partner, int cost)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var node = await db.OrgNodes.Where(n => n.Name == (partner ? "城区" : "红星社区")).Select(n => n.Id).SingleAsync();
        var partnerId = await db.Users.Where(u => u.PhoneNumber == Demo.Partner).Select(u => u.Id).SingleAsync();
        var manager = await PrincipalAsync(services, partner ? Demo.Admin : Demo.OrganizerHongxing);
        return await services.GetRequiredService<RewardCatalog>().CreateItemAsync(manager, new RewardItemDetails
        {
            Name = itemName,
            PointsCost = cost,
            Stock = 10,
            OrgNodeId = node,
            PartnerUserId = partner ? partnerId : null,
        });
    }

    /// <summary>A redemption of the item by a new resident of 红星社区 (or by <paramref name="holderPhone"/>), the points given through the ledger.</summary>
    private async Task<(string Token, string Holder)> RedeemAsync(int itemId, int cost, string? holderPhone = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.SingleAsync(n => n.Name == "红星社区");
        var market = services.GetRequiredService<MarketService>();

        AppUser holder;
        if (holderPhone is not null)
        {
            holder = await db.Users.SingleAsync(u => u.PhoneNumber == holderPhone);
        }
        else
        {
            var number = $"136{Random.Shared.Next(10_000_000, 99_999_999)}";
            holder = new AppUser
            {
                UserName = number,
                NormalizedUserName = number,
                PhoneNumber = number,
                RealName = $"兑换人{number[^4..]}",
                OrgNodeId = hongxing.Id,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAtUtc = DateTime.UtcNow,
            };
            db.Users.Add(holder);
            await db.SaveChangesAsync();
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await services.GetRequiredService<Ledger>().PostPointsAsync(db, holder.Id, cost, PointsKind.Earned, $"test:web:{Guid.NewGuid():N}", DateTime.UtcNow);
            await transaction.CommitAsync();
        }

        var redemption = await market.RedeemAsync(Principals.For(holder.Id, holder.RealName), itemId);
        return (services.GetRequiredService<Vouchers>().Issue(redemption), holder.RealName);
    }

    private async Task HandOverAsync(string providerPhone, string token)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var provider = await PrincipalAsync(scope.ServiceProvider, providerPhone);
        Assert.False((await scope.ServiceProvider.GetRequiredService<VoucherDesk>().HandOverAsync(provider, token)).AlreadyHandedOver);
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }

    private static async Task<string> PageAsync(AppClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The text a reader sees in the page's main part: tags (and the icons' path data) removed.</summary>
    private static string VisibleText(string html)
    {
        var main = html.IndexOf("<main", StringComparison.Ordinal) is var start and >= 0 ? html[start..] : html;
        return Regex.Replace(Tags().Replace(main, " "), @"\s+", " ");
    }

    [GeneratedRegex("<img[^>]*src=\"data:image/svg\\+xml;base64,(?<data>[A-Za-z0-9+/=]+)\"[^>]*data-testid=\"voucher-qr\"")]
    private static partial Regex QrImage();

    [GeneratedRegex("<script[^>]*>.*?</script>|<style[^>]*>.*?</style>|<[^>]+>", RegexOptions.Singleline)]
    private static partial Regex Tags();
}
