using System.Diagnostics;
using System.Net;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;
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

    [SkippableFact]
    public async Task EachFiringOfTheSweep_RunsOnOneInstance_CountedOverTenPeriods()
    {
        cluster.Require();
        // Both instances are members of the clustered scheduler and have checked in lately (a member killed by
        // another test stays listed until the cluster has taken it for dead).
        var members = await SchedulerHistory.MembersAsync(cluster.Postgres);
        output.WriteLine($"members: {string.Join(", ", members.Select(m => $"{m.Instance} (checked in {(DateTime.UtcNow - m.CheckedInUtc).TotalSeconds:F1} s ago)"))}");
        Assert.True(members.Count(m => DateTime.UtcNow - m.CheckedInUtc < TimeSpan.FromSeconds(15)) >= 2, "two live members");

        // Firings the cluster could not run while another test killed and restarted an instance are made up
        // afterwards, in a quick row (within Quartz's misfire threshold each missed firing runs): count once the
        // schedule is steady again — two to four runs in the last three seconds.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((await SchedulerHistory.RunsAsync(cluster.Postgres, "activity-sweep")).Count(r => r.FiredUtc >= DateTime.UtcNow.AddSeconds(-3)) is not (>= 2 and <= 4))
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not settle to one run a second within 90 s");
            await Task.Delay(500);
        }

        // The sweep fires every second here: over ten seconds, about ten runs — twenty would be every instance
        // running every firing.
        var from = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(10.5));
        var runs = (await SchedulerHistory.RunsAsync(cluster.Postgres, "activity-sweep"))
            .Where(r => r.FiredUtc >= from && r.FiredUtc < from.AddSeconds(10)).ToList();
        output.WriteLine($"10 s: {runs.Count} runs of the activity sweep, by {string.Join(", ", runs.GroupBy(r => r.Instance).Select(g => $"{g.Key}: {g.Count()}"))}; shortest gap {SchedulerHistory.ShortestGap(runs).TotalMilliseconds:F0} ms");
        Assert.InRange(runs.Count, 8, 12);
        Assert.All(runs, r => Assert.True(r.Succeeded));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AScreenWhoseInstanceStops_ComesBackFromTheOther_AndStaysLive(bool kill)
    {
        cluster.Require();
        var chromium = browser.Require();
        await using var beside = FeatureHost.Beside(cluster.Postgres);
        var activity = await beside.PublishedActivityAsync(DateTime.UtcNow.AddMinutes(10), kill ? "集群停机测试（kill -9）" : "集群停机测试（SIGTERM）", walkIns: true);
        var token = new CheckInTokens(beside.Get<CheckInKeyStore>(), TimeProvider.System).Issue(activity, CheckInPurpose.CheckIn);

        // The organizer's check-in screen, served by A, live over its circuit.
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = cluster.BaseAddress.ToString(), Locale = "zh-CN" });
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "dz_node", Value = cluster.RouteTo(A), Domain = "127.0.0.1", Path = "/" }]);
        var screen = await context.NewPageAsync();
        var pages = new System.Collections.Concurrent.ConcurrentQueue<(int Port, long At)>();
        screen.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "document" && response.Headers.TryGetValue("x-upstream", out var upstream))
            {
                pages.Enqueue((int.Parse(upstream.Split(':').Last(), System.Globalization.CultureInfo.InvariantCulture), Stopwatch.GetTimestamp()));
            }
        };
        await EndToEnd.EndToEndTest.SignInAsync(screen, Demo.OrganizerHongxing);
        await screen.GotoAsync($"/activities/{activity}/checkin-screen");
        Assert.Equal(A, pages.Last().Port);
        await Assertions.Expect(screen.GetByTestId("checked-in-count")).ToHaveTextAsync("0");
        await screen.Locator("#dz-render[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // Phones reading pages through nginx, routed to A, all through the stop.
        using var reading = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 8).Select(_ => ReadPagesAsync(cluster.ClientRoutedTo(A), reading.Token)).ToList();
        await Task.Delay(500);
        var stopped = Stopwatch.GetTimestamp();
        try
        {
            await cluster.StopInstanceAsync(A, kill);
            var gone = Stopwatch.GetElapsedTime(stopped);
            output.WriteLine($"instance {A} {(kill ? "killed" : "stopped (SIGTERM)")}; its process gone after {gone.TotalMilliseconds:F0} ms");
            // Drained, not cut off by the host's 30 s shutdown timeout (what a circuit let back in had caused).
            Assert.True(gone < TimeSpan.FromSeconds(15), $"the instance took {gone.TotalSeconds:F1} s to stop");
            await Task.Delay(500);
            await reading.CancelAsync();
            var answers = (await Task.WhenAll(readers)).SelectMany(a => a).ToList();
            var failed = answers.Where(a => a != HttpStatusCode.OK).ToList();
            output.WriteLine($"pages read through nginx during the stop: {answers.Count}, not OK: {failed.Count} ({string.Join(", ", failed.GroupBy(f => f).Select(g => $"{g.Count()}× {(int)g.Key}"))})");
            Assert.Empty(failed);

            // The page notices, finds its circuit gone, and loads again — from B — and is live there.
            await Eventually.TrueAsync(() => pages.Any(p => p.Port == B), seconds: 60);
            await screen.Locator("#dz-render[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
            var back = pages.First(p => p.Port == B).At;
            output.WriteLine($"the screen loaded again from instance {B} {Stopwatch.GetElapsedTime(stopped, back).TotalMilliseconds:F0} ms after the stop began; interactive after {Stopwatch.GetElapsedTime(stopped).TotalMilliseconds:F0} ms");
            Assert.True(Stopwatch.GetElapsedTime(stopped, back) < TimeSpan.FromSeconds(10), "the screen came back from the other instance within 10 s");
            Assert.Equal($"/activities/{activity}/checkin-screen", new Uri(screen.Url).AbsolutePath);

            using var phone = cluster.ClientRoutedTo(B);
            Assert.True(await phone.SignInAsync(Demo.Volunteer));
            using (var checkedIn = await phone.SubmitFormAsync($"/checkin/{token}", new Dictionary<string, string>()))
            {
                Assert.Equal(B, LocalCluster.AnsweredBy(checkedIn));
            }

            await Assertions.Expect(screen.GetByTestId("checked-in-count")).ToHaveTextAsync("1", new() { Timeout = 2000 });
        }
        finally
        {
            output.WriteLine($"instance {A} started again and routed to by nginx after {(await cluster.StartInstanceAsync(A)).TotalSeconds:F1} s");
        }
    }

    /// <summary>Reads the home page over and over until cancelled; every answer's status.</summary>
    private static async Task<List<HttpStatusCode>> ReadPagesAsync(AppClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            var answers = new List<HttpStatusCode>();
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    using var page = await client.GetAsync("/");
                    answers.Add(page.StatusCode);
                }
                catch (HttpRequestException)
                {
                    answers.Add(0);
                }
            }

            return answers;
        }
    }
}
