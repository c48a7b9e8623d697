using System.Net;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Weddings;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>
/// Every page whose address names a record answers a record that does not exist with a 404 and the app's friendly
/// not-found page, as an unknown address does (not a 200 with a line of text that search engines and monitors take
/// for a page). Asked as an Admin, who may open every one of them.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class NotFoundPageTests(AppFactory app)
{
    public static TheoryData<string> MissingRecords() =>
    [
        "/activities/99999",
        "/activities/99999/edit",
        "/activities/99999/roster",
        "/activities/99999/attendance",
        "/activities/99999/checkin-screen",
        "/activities/99999/scan",
        "/volunteers/99999",
        "/volunteers/99999/certificates",
        "/certificates/99999",
        "/market/manage/99999",
        "/market/items/99999/redemptions",
        "/weddings/manage/99999",
        "/weddings/manage/new/NoSuchKind",
        "/weddings/services/99999",
        "/weddings/services/abc",
        $"/weddings/book/99999/{BookingPageText.SlotKey(new DateTime(2027, 3, 1, 2, 0, 0, DateTimeKind.Utc))}",
        "/admin/org/99999",
    ];

    [Theory]
    [MemberData(nameof(MissingRecords))]
    public async Task AMissingRecord_Answers404_WithTheFriendlyNotFoundPage(string path)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));

        using var response = await client.GetAsync(path);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", html);
        Assert.Contains("您要找的页面不存在或已移动。", html);
    }

    [Fact]
    public async Task TheFriendlyPage_SpeaksEnglish_ToAnEnglishReader()
    {
        using var client = app.NewClient("en-US");

        using var response = await client.GetAsync("/activities/99999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task ExistingRecords_StillAnswer200()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));

        foreach (var path in new[] { "/activities/1", "/activities/1/roster", "/weddings/services/1", "/admin/org/1" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task ABookingPostedForAMissingService_Answers404_WithTheFriendlyPage()
    {
        var hall = await BookingTestData.ResourceAsync(app.Services);
        var slot = BookingTestData.Slot(7);
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));

        // The form of a real hall's page, posted to the same slot of a service that does not exist.
        using var response = await client.SubmitFormAsync(BookingPageText.BookPath(hall, slot), BookingPageText.BookPath(99999, slot),
            new Dictionary<string, string> { ["Input.PartnerName"] = "李四" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }
}
