using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>
/// The organizer's card scanner over real HTTP: managers of the host only, and the camera's decoder is served by the
/// app itself with the content types browsers insist on (a .wasm under another type does not compile streaming).
/// </summary>
/// <remarks>Adds an activity of 红星社区 starting ten minutes from now, nobody signed up.</remarks>
[Collection(WebCollection.Name)]
public sealed class ScannerPageTests(AppFactory app)
{
    [Fact]
    public async Task OnlyTheHostsManagers_OpenTheScanner_AndTheActivityPageLinksToIt()
    {
        var (id, title) = await CheckInData.ActivityAsync(app.Services);
        var path = $"/activities/{id}/scan";
        using var anonymous = app.NewClient();
        using var resident = app.NewClient();
        using var volunteer = app.NewClient();
        using var otherCommunity = app.NewClient();
        using var host = app.NewClient();
        Assert.True(await resident.SignInAsync(Demo.Resident));
        Assert.True(await volunteer.SignInAsync(Demo.Volunteer));
        Assert.True(await otherCommunity.SignInAsync(Demo.OrganizerHeping));
        Assert.True(await host.SignInAsync(Demo.OrganizerHongxing));

        using var anonymousResponse = await anonymous.GetAsync(path);
        using var residentResponse = await resident.GetAsync(path);
        using var volunteerResponse = await volunteer.GetAsync(path);
        var otherHtml = WebUtility.HtmlDecode(await otherCommunity.GetStringAsync(path));
        using var hostResponse = await host.GetAsync(path);
        var hostHtml = WebUtility.HtmlDecode(await hostResponse.Content.ReadAsStringAsync());
        var detailHtml = await host.GetStringAsync($"/activities/{id}");

        Assert.StartsWith("/account/login", anonymousResponse.Headers.Location!.PathAndQuery);
        Assert.StartsWith("/account/access-denied", residentResponse.Headers.Location!.PathAndQuery);
        Assert.StartsWith("/account/access-denied", volunteerResponse.Headers.Location!.PathAndQuery);
        Assert.Contains("data-testid=\"access-denied\"", otherHtml);
        Assert.DoesNotContain("scanner-video", otherHtml);
        Assert.DoesNotContain(title, otherHtml);
        Assert.Equal(HttpStatusCode.OK, hostResponse.StatusCode);
        Assert.Contains(title, hostHtml);
        Assert.Contains("data-testid=\"scanner-video\"", hostHtml);
        Assert.Contains("输入卡号", hostHtml);
        Assert.Contains($"href=\"/activities/{id}/scan\"", detailHtml);
        Assert.Contains("扫志愿者卡", WebUtility.HtmlDecode(detailHtml));
    }

    [Fact]
    public async Task TheVendoredDecoder_IsServedLocally_AsWasmAndJavaScript()
    {
        using var client = app.NewClient();

        using var wasm = await client.GetAsync("/lib/barcode-detector/zxing_reader.wasm");
        var bytes = await wasm.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, wasm.StatusCode);
        Assert.Equal("application/wasm", wasm.Content.Headers.ContentType?.MediaType);
        Assert.Equal("\0asm"u8.ToArray(), bytes[..4]);
        Assert.Equal("2ebda08a93eea3efcd8399cda6b276e6a0b1de4fec60b4d8988a047de4c6d1ba", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        foreach (var script in new[] { "/js/card-scanner.js", "/lib/barcode-detector/ponyfill.js", "/lib/barcode-detector/zxing-exported.js" })
        {
            using var response = await client.GetAsync(script);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(response.Content.Headers.ContentType?.MediaType, new[] { "text/javascript", "application/javascript" });
        }

        // The scanner names the local .wasm; the package's CDN default must never be what it loads.
        var scanner = await client.GetStringAsync("/js/card-scanner.js");
        Assert.Contains("zxing_reader.wasm", scanner);
        Assert.Contains("prepareZXingModule", scanner);
        Assert.DoesNotContain("https://", scanner);
    }
}
