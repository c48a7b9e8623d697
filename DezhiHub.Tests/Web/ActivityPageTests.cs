using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>Who reaches which activity page, as the server answers it (prerendered, no browser).</summary>
[Collection(WebCollection.Name)]
public sealed class ActivityPageTests(AppFactory app)
{
    [Fact]
    public async Task Anyone_FindsThePublishedDemoActivities_InChinese()
    {
        using var client = app.NewClient();

        using var response = await client.GetAsync("/activities");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("红色文化\"八进\"活动", html);
        Assert.Contains("data-testid=\"activity-card\"", html);
        Assert.DoesNotContain("草稿", html);
    }

    [Theory]
    [InlineData("/activities/mine")]
    [InlineData("/activities/manage")]
    [InlineData("/activities/new")]
    [InlineData("/admin/themes")]
    public async Task Anonymous_IsSentToSignIn(string path)
    {
        using var client = app.NewClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
        Assert.Contains(Uri.EscapeDataString(path), response.Headers.Location!.Query);
    }

    [Theory]
    [InlineData("/activities/manage")]
    [InlineData("/activities/new")]
    [InlineData("/admin/themes")]
    public async Task AResident_IsSentToAccessDenied(string path)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Partner));

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnOrganizer_MayNotManageThemes()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        using var response = await client.GetAsync("/admin/themes");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }
}
