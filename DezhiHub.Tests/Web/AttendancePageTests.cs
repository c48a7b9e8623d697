using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>The live attendance page over real HTTP: managers of the host only.</summary>
[Collection(WebCollection.Name)]
public sealed class AttendancePageTests(AppFactory app)
{
    [Fact]
    public async Task AnonymousAndResidents_CannotOpenTheAttendancePage_TheHostsOrganizerCan()
    {
        var (id, title) = await CheckInData.ActivityAsync(app.Services);
        var path = $"/activities/{id}/attendance";
        using var anonymous = app.NewClient();
        using var resident = app.NewClient();
        using var otherCommunity = app.NewClient();
        using var host = app.NewClient();
        Assert.True(await resident.SignInAsync(Demo.Resident));
        Assert.True(await otherCommunity.SignInAsync(Demo.OrganizerHeping));
        Assert.True(await host.SignInAsync(Demo.OrganizerHongxing));

        using var anonymousResponse = await anonymous.GetAsync(path);
        using var residentResponse = await resident.GetAsync(path);
        using var otherResponse = await otherCommunity.GetAsync(path);
        using var hostResponse = await host.GetAsync(path);
        var otherHtml = WebUtility.HtmlDecode(await otherResponse.Content.ReadAsStringAsync());
        var hostHtml = WebUtility.HtmlDecode(await hostResponse.Content.ReadAsStringAsync());

        Assert.StartsWith("/account/login", anonymousResponse.Headers.Location!.PathAndQuery);
        Assert.StartsWith("/account/access-denied", residentResponse.Headers.Location!.PathAndQuery);
        Assert.Contains("data-testid=\"access-denied\"", otherHtml);
        Assert.DoesNotContain("attendance-counts", otherHtml);
        Assert.Equal(HttpStatusCode.OK, hostResponse.StatusCode);
        Assert.Contains(title, hostHtml);
        Assert.Contains("data-testid=\"attendance-counts\"", hostHtml);
    }
}
