using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>DezhiHub:PublicBaseUrl reaches what leaves the app; a wrong value stops the start with one clear line.</summary>
public sealed partial class PublicBaseUrlTests
{
    [Fact]
    public async Task ACalendarFile_LinksToTheConfiguredPublicAddress_NotToTheOneItWasFetchedFrom()
    {
        using var app = new AppFactory(10_000, settings: new Dictionary<string, string> { ["DezhiHub:PublicBaseUrl"] = "https://dezhi.example.gov.cn" });
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));
        var id = ActivityLink().Match(await client.GetStringAsync("/activities")).Groups["id"].Value;

        var ics = await client.GetStringAsync($"/activities/{id}.ics");

        Assert.Contains($"URL:https://dezhi.example.gov.cn/activities/{id}", ics);
        Assert.DoesNotContain("127.0.0.1", ics);
    }

    [Fact]
    public void AnAddressThatIsNotAnAbsoluteHttpUrl_StopsTheStart_WithOneLineSayingWhich()
    {
        var error = Assert.ThrowsAny<Exception>(() => new AppFactory(10_000, settings: new Dictionary<string, string> { ["DezhiHub:PublicBaseUrl"] = "dezhi.example.gov.cn" }).Dispose());

        Assert.Contains("DezhiHub:PublicBaseUrl", Flatten(error));
    }

    private static string Flatten(Exception error) => error.InnerException is null ? error.Message : error.Message + " " + Flatten(error.InnerException);

    [GeneratedRegex("href=\"/activities/(?<id>\\d+)\"")]
    private static partial Regex ActivityLink();
}
