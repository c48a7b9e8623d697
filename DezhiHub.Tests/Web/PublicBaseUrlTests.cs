using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>DezhiHub:PublicBaseUrl reaches what leaves the app.</summary>
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

    [GeneratedRegex("href=\"/activities/(?<id>\\d+)\"")]
    private static partial Regex ActivityLink();
}
