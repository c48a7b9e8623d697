using System.Buffers.Text;
using System.Net;
using System.Text.RegularExpressions;
using System.Text;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Certificates;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>
/// Certificates over real HTTP: the public verification page (anonymous, statically rendered, name and totals only), what
/// it says for tampered codes, and the printable page, which only its owner and the managers of the owner's area open.
/// </summary>
/// <remarks>Each test makes its own volunteer of 红星社区/第一网格 with activities of the last weeks, so no other test's hours count.</remarks>
[Collection(WebCollection.Name)]
public sealed partial class CertificatePageTests(AppFactory app)
{
    [Fact]
    public async Task TheVerificationPage_ShowsAGenuineCertificate_ToAnyone_WithTheNameAndTotals_AndNoPhone()
    {
        var (certificate, person, titles) = await CertificateAsync("核验测试");
        using var anonymous = app.NewClient();

        using var response = await anonymous.GetAsync($"/verify/{certificate.Token}");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var text = VisibleText(html);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-check=\"Genuine\"", html);
        Assert.Contains("真实有效", text);
        Assert.Contains(person.Name, text);
        Assert.Contains("3.5 小时", text); // 150 + 60 minutes
        Assert.Matches("data-testid=\"verify-activities\"[^>]*>2 项<", html);
        Assert.Contains("红星社区", text);
        Assert.Contains($"{Chinese(certificate.PeriodFrom)} 至 {Chinese(certificate.PeriodTo)}", text);
        Assert.DoesNotContain(person.Phone, html);
        Assert.DoesNotContain(person.Phone[^4..], text);
        Assert.DoesNotMatch(@"\d{4}\*|\*{4}", text);
        Assert.All(titles, t => Assert.DoesNotContain(t, html)); // no activity list
        Assert.Contains("noindex", html);
        Assert.DoesNotContain("dz-render", html); // statically rendered: no app shell, no circuit

        using var english = app.NewClient("en-US");
        var englishText = VisibleText(WebUtility.HtmlDecode(await english.GetStringAsync($"/verify/{certificate.Token}")));
        Assert.Contains("Genuine", englishText);
        Assert.Contains("3.5 hours", englishText);
    }

    [Theory]
    [InlineData("changed")]
    [InlineData("truncated")]
    [InlineData("extended")]
    [InlineData("other-tag")]
    [InlineData("garbage")]
    [InlineData("card")]
    [InlineData("encoded")]
    public async Task ATamperedCode_SaysItCannotBeVerified_AndNothingElse(string kind)
    {
        var (certificate, person, _) = await CertificateAsync("篡改测试");
        var other = await OtherTokenAsync(person.Phone);
        var token = certificate.Token;
        var path = "/verify/" + kind switch
        {
            "changed" => token[..9] + (token[9] == 'Q' ? 'R' : 'Q') + token[10..],
            "truncated" => token[..^2],
            "extended" => token + "AA",
            "other-tag" => Base64Url.EncodeToString([.. Base64Url.DecodeFromChars(token)[..4], .. Base64Url.DecodeFromChars(other)[4..]]),
            "garbage" => "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "card" => await CardTokenAsync(person.Phone),
            _ => Uri.EscapeDataString("志愿服务记录证明"),
        };
        using var anonymous = app.NewClient();

        using var response = await anonymous.GetAsync(path);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var text = VisibleText(html);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode}");
        Assert.Contains("无法验证", text);
        Assert.DoesNotContain(person.Name, html);
        Assert.DoesNotContain("verify-details", html);
        Assert.DoesNotContain("真实有效", text);
        Assert.DoesNotContain("<script>alert", html);
    }

    [Fact]
    public async Task ARevokedCertificate_SaysSo()
    {
        var (certificate, person, _) = await CertificateAsync("作废测试");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CertificateService>().RevokeAsync(await CertificateData.PrincipalAsync(app.Services, person.Phone), certificate.Id);
        }

        using var anonymous = app.NewClient();
        var html = WebUtility.HtmlDecode(await anonymous.GetStringAsync($"/verify/{certificate.Token}"));

        Assert.Contains("data-check=\"Revoked\"", html);
        Assert.Contains("此证明已作废", VisibleText(html));
        Assert.DoesNotContain("真实有效", VisibleText(html));
    }

    [Fact]
    public async Task ThePrintablePage_OpensForItsOwnerAndTheirOrganizer_AndIsRefusedToEveryoneElse()
    {
        var (certificate, person, titles) = await CertificateAsync("打印测试");
        var path = $"/certificates/{certificate.Id}";

        using (var owner = await SignedInAsync(person.Phone))
        {
            var html = await PageAsync(owner, path);
            Assert.Contains("志愿服务记录证明", html);
            Assert.Matches($"data-testid=\"certificate-name\"[^>]*>{person.Name}<", html);
            Assert.All(titles, t => Assert.Contains(t, html));
            Assert.Matches("data-testid=\"certificate-total-cell\"[^>]*>3.5<", html);
            Assert.Contains("@page { size: A4", html);
            var svg = Encoding.UTF8.GetString(Convert.FromBase64String(QrImage().Match(html).Groups["data"].Value));
            Assert.Equal(QrImages.Svg($"{app.BaseAddress}verify/{certificate.Token}"), svg);
        }

        using (var organizer = await SignedInAsync(Demo.OrganizerHongxing))
        {
            Assert.Matches($"data-testid=\"certificate-name\"[^>]*>{person.Name}<", await PageAsync(organizer, path));
        }

        foreach (var stranger in new[] { Demo.Resident, Demo.Volunteer, Demo.OrganizerHeping })
        {
            using var client = await SignedInAsync(stranger);
            var html = await PageAsync(client, path);
            Assert.Contains("data-testid=\"access-denied\"", html);
            Assert.DoesNotContain(person.Name, html);
            Assert.DoesNotContain(certificate.Token, html);
            Assert.DoesNotContain("certificate-qr", html);
        }

        using var anonymous = app.NewClient();
        using var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task TheListPage_ShowsTheVolunteersCertificates_AndTheNavMenuLinksToIt()
    {
        var (certificate, person, _) = await CertificateAsync("列表测试");
        using var owner = await SignedInAsync(person.Phone);

        var html = await PageAsync(owner, "/volunteer/certificates");

        Assert.Contains("开具证明", html);
        Assert.Contains($"href=\"/certificates/{certificate.Id}\"", html);
        Assert.Contains(CertificateText.Number(certificate.Id), html);
        Assert.Matches("href=\"/volunteer/certificates\"[^>]*>(?s:.*?)服务证明", html);

        using var heping = await SignedInAsync(Demo.OrganizerHeping);
        Assert.Contains("data-testid=\"access-denied\"", await PageAsync(heping, $"/volunteers/{person.Id}/certificates"));
        using var hongxing = await SignedInAsync(Demo.OrganizerHongxing);
        Assert.Contains($"href=\"/certificates/{certificate.Id}\"", await PageAsync(hongxing, $"/volunteers/{person.Id}/certificates"));
    }

    /// <summary>A new volunteer with 150 + 60 minutes in two activities (and a 30-minute correction of a third one taken back in full), and their certificate.</summary>
    private async Task<(CertificateDocument Certificate, (int Id, string Phone, string Name) Person, string[] Titles)> CertificateAsync(string label)
    {
        var person = await CertificateData.PersonAsync(app.Services, $"证明{label}{Random.Shared.Next(100, 999)}");
        string[] titles = [$"{label}宣讲 {Random.Shared.Next(1000, 9999)}", $"{label}义诊 {Random.Shared.Next(1000, 9999)}"];
        await CertificateData.CreditAsync(app.Services, person.Id, await CertificateData.PastActivityAsync(app.Services, titles[0], 5), 150);
        await CertificateData.CreditAsync(app.Services, person.Id, await CertificateData.PastActivityAsync(app.Services, titles[1], 3), 60);
        var principal = await CertificateData.PrincipalAsync(app.Services, person.Phone);
        await using var scope = app.Services.CreateAsyncScope();
        var certificates = scope.ServiceProvider.GetRequiredService<CertificateService>();
        var id = await certificates.IssueAsync(principal, null, certificates.Today.AddDays(-20), certificates.Today);
        return (await certificates.GetAsync(principal, id), person, titles);
    }

    /// <summary>A second certificate of the same person (a shorter period): its own, genuine code.</summary>
    private async Task<string> OtherTokenAsync(string phone)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var certificates = scope.ServiceProvider.GetRequiredService<CertificateService>();
        var principal = await CertificateData.PrincipalAsync(app.Services, phone);
        var id = await certificates.IssueAsync(principal, null, certificates.Today.AddDays(-10), certificates.Today);
        return certificates.TokenOf(id);
    }

    private async Task<string> CardTokenAsync(string phone)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<VolunteerCards>().MineAsync(await CertificateData.PrincipalAsync(app.Services, phone))).Token;
    }

    private async Task<AppClient> SignedInAsync(string phone)
    {
        var client = app.NewClient();
        Assert.True(await client.SignInAsync(phone));
        return client;
    }

    private static async Task<string> PageAsync(AppClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static string Chinese(DateOnly date) => date.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The text a reader sees in the page's main part: tags (and the icons' path data) removed.</summary>
    private static string VisibleText(string html)
    {
        var main = html.IndexOf("<main", StringComparison.Ordinal) is var start and >= 0 ? html[start..] : html;
        return Regex.Replace(Tags().Replace(main, " "), @"\s+", " ");
    }

    [GeneratedRegex("<img[^>]*src=\"data:image/svg\\+xml;base64,(?<data>[A-Za-z0-9+/=]+)\"[^>]*data-testid=\"certificate-qr\"")]
    private static partial Regex QrImage();

    [GeneratedRegex("<script[^>]*>.*?</script>|<style[^>]*>.*?</style>|<[^>]+>", RegexOptions.Singleline)]
    private static partial Regex Tags();
}

/// <summary>The verification page has its own per-address limit (a fresh app, so no other test shares its window).</summary>
public sealed class CertificateRateLimitTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task VerificationPages_BeyondThirtyAMinute_Get429_WhileOtherPagesStillAnswer()
    {
        using var client = app.NewClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 32; i++)
        {
            using var response = await client.GetAsync($"/verify/guess{i:D19}");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        using var page = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
