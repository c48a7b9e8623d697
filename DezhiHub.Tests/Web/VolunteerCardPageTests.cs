using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using System.Text;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Signing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StbImageSharp;
using ZXing.Common;
using ZXing;

namespace DezhiHub.Tests.Web;

/// <summary>
/// The volunteer card over real HTTP: the holder's own page (/volunteer/card) with the card's QR code, and the page
/// any phone camera opens from a card (/card/{token}), which names the holder only masked.
/// </summary>
/// <remarks>Reads 刘洋's (13800000004) card; reissues 陈静's (13800000005), so no test may keep a card of hers across tests.</remarks>
[Collection(WebCollection.Name)]
public sealed partial class VolunteerCardPageTests(AppFactory app)
{
    [Fact]
    public async Task Anonymous_IsSentToSignIn_AndComesBackToTheCard()
    {
        using var client = app.NewClient();

        using var response = await client.GetAsync("/volunteer/card");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=/volunteer/card", Uri.UnescapeDataString(response.Headers.Location!.Query), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AVolunteer_SeesTheirCard_WithMaskedPhone_AndAQrCodeOfTheCardUrl()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Volunteer));

        var html = await PageAsync(client, "/volunteer/card");
        var card = await CardOfAsync(Demo.Volunteer);
        var url = $"{app.BaseAddress}card/{card.Token}";

        Assert.Contains("我的志愿者卡", html);
        Assert.Contains("没带手机", html);
        Assert.Matches("data-testid=\"card-name\"[^>]*>刘洋<", html);
        Assert.Contains("138****0004", html);
        Assert.DoesNotContain(Demo.Volunteer, html);
        Assert.Matches($"data-testid=\"card-org\"[^>]*>{card.OrgName}<", html);
        Assert.Equal("第一网格", card.OrgName);
        Assert.Contains($"{card.Token[^8..^4]} {card.Token[^4..]}", html);
        Assert.DoesNotContain(card.Token, html.Replace(QrData(html), "", StringComparison.Ordinal)); // the full token is only inside the image
        Assert.Contains($"第 {card.Version} 版", html);

        // The image is exactly the code of the card's URL (QrImages is checked against ZXing below and in QrImageTests),
        // and that URL is a valid card of this person.
        var svg = Encoding.UTF8.GetString(Convert.FromBase64String(QrData(html)));
        Assert.Equal(QrImages.Svg(url), svg);
        Assert.Equal(url, Decode(QrImages.Png(url)));
        var (check, holder) = await ReadAsync(url);
        Assert.Equal(CardCheck.Valid, check);
        Assert.Equal(card.UserId, holder!.UserId);
    }

    [Fact]
    public async Task TheNavMenu_LinksToTheCard_ForSignedInPeople()
    {
        using var client = app.NewClient("en-US");
        Assert.True(await client.SignInAsync(Demo.Resident));

        var html = await PageAsync(client, "/activities");

        Assert.Matches("href=\"/volunteer/card\"[^>]*>(?s:.*?)My volunteer card", html);
    }

    [Fact]
    public async Task TheCardInfoPage_SaysValid_WithTheNameMasked_AndNoPhoneOrId_ToAnyone()
    {
        var card = await CardOfAsync(Demo.Volunteer);
        var path = $"{VolunteerCards.PathPrefix}{card.Token}";
        using var anonymous = app.NewClient();
        using var english = app.NewClient("en-US");
        using var organizer = app.NewClient();
        Assert.True(await organizer.SignInAsync(Demo.OrganizerHongxing));

        var html = await PageAsync(anonymous, path);
        var text = VisibleText(html);

        Assert.Contains("data-check=\"Valid\"", html);
        Assert.Contains("志愿者卡", text);
        Assert.Contains("有效的志愿者卡", text);
        Assert.Contains("刘*", text);
        Assert.DoesNotContain("刘洋", html);
        Assert.DoesNotMatch(@"\d", text); // no phone digits, no id, no version
        Assert.DoesNotContain("card-manage-link", html);
        Assert.Contains("noindex", html);
        Assert.Contains("Valid volunteer card", VisibleText(await PageAsync(english, path)));
        var organizerHtml = await PageAsync(organizer, path);
        Assert.Matches("href=\"/activities/manage\"[^>]*data-testid=\"card-manage-link\"|data-testid=\"card-manage-link\"[^>]*href=\"/activities/manage\"", organizerHtml);
    }

    [Fact]
    public async Task AfterAReissue_TheOldCardSaysReplaced_AndTheNewOneIsValid()
    {
        var old = await CardOfAsync(Demo.Partner);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var reissued = await scope.ServiceProvider.GetRequiredService<VolunteerCards>().ReissueAsync(await PrincipalAsync(Demo.Partner));
            Assert.Equal(old.Version + 1, reissued.Version);
        }

        var renewed = await CardOfAsync(Demo.Partner);
        using var client = app.NewClient();

        var oldText = VisibleText(await PageAsync(client, $"/card/{old.Token}"));
        var newText = VisibleText(await PageAsync(client, $"/card/{renewed.Token}"));
        var mine = await PageAsync(await SignedInAsync(Demo.Partner), "/volunteer/card");

        Assert.NotEqual(old.Token, renewed.Token);
        Assert.Contains("此卡已作废，请出示新卡", oldText);
        Assert.Contains("陈*", oldText);
        Assert.DoesNotContain("有效的志愿者卡", oldText);
        Assert.Contains("有效的志愿者卡", newText);
        Assert.Equal(QrImages.Svg($"{app.BaseAddress}card/{renewed.Token}"), Encoding.UTF8.GetString(Convert.FromBase64String(QrData(mine))));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%E5%BF%97%E6%84%BF%E8%80%85%E5%8D%A1")]
    [InlineData("forged")]
    [InlineData("screen-code")]
    public async Task AnythingButACard_IsInvalid_AndNamesNobody(string kind)
    {
        var card = await CardOfAsync(Demo.Volunteer);
        var token = kind switch
        {
            "forged" => card.Token[..10] + (card.Token[10] == 'A' ? 'B' : 'A') + card.Token[11..],
            "screen-code" => CheckInData.Token(app.Services, (await CheckInData.ActivityAsync(app.Services)).Id), // same length, other key
            _ => kind,
        };
        using var client = app.NewClient();

        var html = await PageAsync(client, $"/card/{token}");
        var text = VisibleText(html);

        Assert.Contains("data-check=\"Invalid\"", html);
        Assert.Contains("无效的志愿者卡", text);
        Assert.DoesNotContain("card-holder", html);
        Assert.DoesNotContain("刘", text);
    }

    private async Task<AppClient> SignedInAsync(string phone)
    {
        var client = app.NewClient();
        Assert.True(await client.SignInAsync(phone));
        return client;
    }

    private async Task<VolunteerCard> CardOfAsync(string phone)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VolunteerCards>().MineAsync(await PrincipalAsync(phone));
    }

    private async Task<(CardCheck, CardHolder?)> ReadAsync(string scanned)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VolunteerCards>().ReadAsync(scanned);
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(string phone)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }

    private static async Task<string> PageAsync(AppClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static string QrData(string html)
    {
        var match = QrImage().Match(html);
        Assert.True(match.Success, "the card's code is an <img> with an SVG data URI");
        return match.Groups["data"].Value;
    }

    /// <summary>The text a reader sees in the page's main part: tags (and the icons' path data) removed.</summary>
    private static string VisibleText(string html)
    {
        var main = html.IndexOf("<main", StringComparison.Ordinal) is var start and >= 0 ? html[start..] : html;
        return Regex.Replace(Tags().Replace(main, " "), @"\s+", " ");
    }

    private static string Decode(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        var source = new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGB24);
        var result = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object>
        {
            [DecodeHintType.POSSIBLE_FORMATS] = new[] { BarcodeFormat.QR_CODE },
        });
        return result?.Text ?? throw new InvalidOperationException("ZXing found no QR code in the image.");
    }

    [GeneratedRegex("<img[^>]*src=\"data:image/svg\\+xml;base64,(?<data>[A-Za-z0-9+/=]+)\"[^>]*data-testid=\"card-qr\"")]
    private static partial Regex QrImage();

    [GeneratedRegex("<script[^>]*>.*?</script>|<style[^>]*>.*?</style>|<[^>]+>", RegexOptions.Singleline)]
    private static partial Regex Tags();
}
