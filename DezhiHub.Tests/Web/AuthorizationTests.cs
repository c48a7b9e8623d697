using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>Anonymous and wrong-role requests are refused by the server, whatever the UI shows.</summary>
[Collection(WebCollection.Name)]
public sealed class AuthorizationTests(AppFactory app)
{
    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/org")]
    [InlineData("/admin/audit")]
    [InlineData("/notifications")]
    [InlineData("/account/profile")]
    [InlineData("/admin/users/export.csv")]
    public async Task Anonymous_IsSentToSignIn(string path)
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
        Assert.Contains(Uri.EscapeDataString(path), response.Headers.Location!.Query);
    }

    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/org")]
    [InlineData("/admin/audit")]
    public async Task AResident_IsSentToAccessDenied_NotTheData(string path)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Resident));

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("13800000001", await response.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"access-denied\"", await client.GetStringAsync(response.Headers.Location!.PathAndQuery));
    }

    [Fact]
    public async Task AResident_CannotExportTheRoster()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Volunteer));
        using var response = await client.GetAsync("/admin/users/export.csv");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnOrganizer_ExportsTheirCommunity_ButNotAnothers()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        using var own = await client.GetAsync("/admin/users/export.csv");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("text/csv", own.Content.Headers.ContentType!.MediaType);
        var csv = await own.Content.ReadAsStringAsync();
        Assert.Contains("赵磊", csv);
        Assert.DoesNotContain("张伟", csv);

        var hepingId = await FindOrgIdInAdminTreeAsync("和平社区");
        using var other = await client.GetAsync($"/admin/users/export.csv?orgNodeId={hepingId}");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("不在您的管理范围内", await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnOrganizer_OpeningAnotherCommunitysTree_SeesAccessDenied()
    {
        var hepingId = await FindOrgIdInAdminTreeAsync("和平社区");
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        var html = await client.GetStringAsync($"/admin/org/{hepingId}");

        Assert.Contains("data-testid=\"access-denied\"", html);
        Assert.DoesNotContain("第一网格", html);
    }

    /// <summary>Walks the admin's org pages as a person would, to find a node's id.</summary>
    private async Task<string> FindOrgIdInAdminTreeAsync(string name)
    {
        using var admin = app.NewClient();
        Assert.True(await admin.SignInAsync(Demo.Admin));
        var path = "/admin/org";
        foreach (var step in new[] { "城区", "东街街道", name })
        {
            var html = await admin.GetStringAsync(path);
            var match = System.Text.RegularExpressions.Regex.Match(html, $"href=\"(/admin/org/(\\d+))\"[^>]*>{step}<");
            Assert.True(match.Success, $"no link to {step} on {path}");
            path = match.Groups[1].Value;
        }

        return path.Split('/')[^1];
    }
}
