using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>Crafted "go back to" parameters over real HTTP: never a 500, never off the site.</summary>
[Collection(WebCollection.Name)]
public sealed class RedirectTests(AppFactory app)
{
    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%E3%80%80/evil.example")]
    [InlineData("/%5C/evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/%E2%80%AE/evil.example")]
    [InlineData("/%0D%0ASet-Cookie:%20x=1")]
    public async Task TheLanguageSwitch_SendsCraftedTargetsHome(string encoded)
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync($"/culture/set?culture=en-US&redirectUri={encoded}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("x=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AChineseSearchToGoBackTo_SurvivesTheLanguageSwitch()
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync($"/culture/set?culture=en-US&redirectUri={Uri.EscapeDataString("/activities?q=红星")}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/activities?q=%E7%BA%A2%E6%98%9F", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ThreeHundredRandomTargets_NeverAnswer500_AndNeverLeaveTheSite()
    {
        var random = new Random(7);
        string[] pieces = ["/", "/", "%2F", "%5C", "%09", "%0A", "%00", "%E3%80%80", "%C2%A0", "%E2%80%AE", "%E2%80%8B", "%EF%BB%BF", "evil.example", ":", "@", "..", "%25", "%", "%ZZ", "红", "?", "#", "%F0%9F", "\\"];
        using var client = app.NewClient();
        for (var n = 0; n < 300; n++)
        {
            var target = string.Concat(Enumerable.Range(0, random.Next(1, 7)).Select(_ => pieces[random.Next(pieces.Length)]));
            using var response = await client.GetAsync($"/culture/set?culture=zh-CN&redirectUri={target}");

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{target} → {(int)response.StatusCode}");
            var location = new Uri(app.BaseAddress, response.Headers.Location!);
            Assert.True(location.Authority == app.BaseAddress.Authority, $"{target} → {location}");
        }
    }

    [Theory]
    [InlineData("/%E3%80%80/evil.example", "/")]
    [InlineData("/%09/evil.example", "/")]
    [InlineData("%2Fmarket", "/market")]
    public async Task SigningInWithAReturnUrl_GoesThereOnlyWhenItIsAPathOfThisSite(string encoded, string expected)
    {
        using var client = app.NewClient();
        using var response = await client.SubmitFormAsync($"/account/login?returnUrl={encoded}", new Dictionary<string, string>
        {
            ["Input.Phone"] = Demo.Partner,
            ["Input.Password"] = Demo.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, new Uri(app.BaseAddress, response.Headers.Location!).AbsolutePath);
        Assert.True(client.HasAuthCookie);
    }
}
