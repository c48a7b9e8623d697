using System.Diagnostics;
using System.Net;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.CheckIn;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DezhiHub.Tests.Cluster;

/// <summary>
/// The Cluster tier (issue 13): PostgreSQL, two published instances and nginx on loopback (<c>deploy/cluster.sh</c>),
/// driven through nginx as phones and screens would be, each request routed to the instance a test chooses by the
/// routing cookie nginx uses.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(LocalCluster cluster, Browser browser, ITestOutputHelper output)
{
    private static int A => LocalCluster.InstancePorts[0];

    private static int B => LocalCluster.InstancePorts[1];

    [SkippableFact]
    public async Task AVolunteerSignedInThroughOneInstance_KeepsWorking_WhenRoutedToTheOther()
    {
        cluster.Require();
        using var phone = cluster.ClientRoutedTo(A);
        Assert.True(await phone.SignInAsync(Demo.Volunteer));

        cluster.Route(phone, B);
        using var card = await phone.GetAsync("/volunteer/card");

        Assert.Equal(B, LocalCluster.AnsweredBy(card));
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
    }

    [SkippableFact]
    public async Task AFormRenderedByOneInstance_IsAcceptedByTheOther()
    {
        cluster.Require();
        using var phone = cluster.ClientRoutedTo(A);
        using var form = await phone.GetAsync("/account/login");
        Assert.Equal(A, LocalCluster.AnsweredBy(form));
        var fields = AppClient.HiddenFields(await form.Content.ReadAsStringAsync())
            .GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First().Value);
        Assert.Contains("__RequestVerificationToken", fields.Keys);
        fields["Input.Phone"] = Demo.Resident;
        fields["Input.Password"] = Demo.Password;

        cluster.Route(phone, B);
        using var posted = await phone.Http.PostAsync("/account/login", new FormUrlEncodedContent(fields));

        Assert.Equal(B, LocalCluster.AnsweredBy(posted));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.True(phone.HasAuthCookie);
    }

    [SkippableFact]
    public async Task ACheckInThroughOneInstance_ShowsOnTheCheckInScreenServedByTheOther_WithinTwoSeconds()
    {
        cluster.Require();
        var chromium = browser.Require();
        // An activity starting in 10 minutes (check-in open), walk-ins welcome, made beside the app in its database.
        await using var beside = FeatureHost.Beside(cluster.Postgres);
        var activity = await beside.PublishedActivityAsync(DateTime.UtcNow.AddMinutes(10), "集群签到测试", walkIns: true);
        var token = new CheckInTokens(beside.Get<CheckInKeyStore>(), TimeProvider.System).Issue(activity, CheckInPurpose.CheckIn);

        // The organizer's screen, routed to B.
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = cluster.BaseAddress.ToString(), Locale = "zh-CN" });
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "dz_node", Value = cluster.RouteTo(B), Domain = "127.0.0.1", Path = "/" }]);
        var screen = await context.NewPageAsync();
        // Through nginx as directly: no script error, no refused style or script, no failed request.
        var problems = new List<string>();
        screen.Console += (_, message) => { if (message.Type == "error") { problems.Add($"console: {message.Text}"); } };
        screen.RequestFailed += (_, request) => problems.Add($"failed: {request.Method} {request.Url} {request.Failure}");
        await EndToEnd.EndToEndTest.SignInAsync(screen, Demo.OrganizerHongxing);
        var opened = await screen.GotoAsync($"/activities/{activity}/checkin-screen");
        Assert.Equal(B.ToString(), opened!.Headers["x-upstream"].Split(':').Last());
        var count = screen.GetByTestId("checked-in-count");
        await Assertions.Expect(count).ToHaveTextAsync("0");
        // The circuit is up (over the WebSocket nginx upgraded): the layout's marker says so.
        await screen.Locator("#dz-render[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // The volunteer's phone, routed to A, scans the code.
        using var phone = cluster.ClientRoutedTo(A);
        Assert.True(await phone.SignInAsync(Demo.Volunteer));
        var clock = Stopwatch.StartNew();
        using (var checkedIn = await phone.SubmitFormAsync($"/checkin/{token}", new Dictionary<string, string>()))
        {
            Assert.Equal(A, LocalCluster.AnsweredBy(checkedIn));
            Assert.True(checkedIn.IsSuccessStatusCode || checkedIn.StatusCode == HttpStatusCode.Redirect, $"check-in answered {(int)checkedIn.StatusCode}");
        }

        await Assertions.Expect(count).ToHaveTextAsync("1", new() { Timeout = 2000 });
        output.WriteLine($"the screen on instance {B} showed the check-in made through instance {A} after {clock.ElapsedMilliseconds} ms");
        Assert.Empty(problems);
    }
}
