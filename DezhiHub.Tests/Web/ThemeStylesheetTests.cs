using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Components.Layout;

namespace DezhiHub.Tests.Web;

/// <summary>
/// The statically rendered pages (sign-in, the pages a scanned code opens) link the theme as one cached stylesheet
/// instead of carrying 13 kB of CSS variables inline.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class ThemeStylesheetTests(AppFactory app)
{
    [Fact]
    public async Task AStaticPage_LinksTheVersionedStylesheet_AndServesIt_CachedForGood()
    {
        using var client = app.NewClient();
        var html = await client.GetStringAsync("/account/login");

        Assert.DoesNotContain("mud-theme-provider", html);
        var href = WebUtility.HtmlDecode(Assert.Single(StylesheetLink().Matches(html)).Groups[1].Value);
        using var response = await client.GetAsync(href);
        var css = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("--mud-palette-primary:", css);
        Assert.Contains("::-webkit-scrollbar", css);
        Assert.DoesNotContain("<style", css);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
        Assert.True(response.Headers.CacheControl?.MaxAge >= TimeSpan.FromDays(365));
    }

    [Fact]
    public async Task AnOldVersion_GetsTodaysSheet_NotCached_AndAnUnchangedOneIsNotSentAgain()
    {
        using var client = app.NewClient();
        using var stale = await client.GetAsync($"{ThemeStylesheet.Path}?v=0000000000000000");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.True(stale.Headers.CacheControl?.NoCache);
        var etag = stale.Headers.ETag!.Tag;

        using var request = new HttpRequestMessage(HttpMethod.Get, ThemeStylesheet.Path);
        request.Headers.IfNoneMatch.ParseAdd(etag);
        using var again = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public void TheSheet_IsTheProvidersStyleElements_AndAnythingElseIsRefused()
    {
        var sheet = ThemeStylesheet.FromProviderHtml("<style>a{b:c}</style>\n<style class='x'>\n:root{--d:e;}\n</style>");
        Assert.Equal("a{b:c}\n:root{--d:e;}", sheet.Css);
        Assert.Matches("^[0-9a-f]{16}$", sheet.Version);
        Assert.NotEqual(sheet.Version, ThemeStylesheet.FromProviderHtml("<style>a{b:d}</style>").Version);

        Assert.Throws<InvalidOperationException>(() => ThemeStylesheet.FromProviderHtml("<style>a{}</style><div></div>"));
        Assert.Throws<InvalidOperationException>(() => ThemeStylesheet.FromProviderHtml(""));
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(/theme\\.css\\?v=[^\"]+)\"")]
    private static partial Regex StylesheetLink();
}
