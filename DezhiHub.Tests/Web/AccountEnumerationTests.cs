using System.Diagnostics;
using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>
/// Nobody learns from the sign-in or registration forms whether a number has an account: not from the message, not
/// from the time the answer takes, not from a lockout (decision 0011).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AccountEnumerationTests(AppFactory app, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task AnUnknownNumber_TakesAsLongToRefuse_AsAKnownNumberWithAWrongPassword()
    {
        // The app's real hasher (210,000 PBKDF2 rounds): the known path costs ~150 ms; the unknown one once cost ~5 ms.
        using var client = app.NewClient();
        const string known = "13700000091";
        using (var registering = app.NewClient())
        {
            Assert.True((await registering.SubmitFormAsync("/account/register", AccountTests.Fields(known, "计时测试", "timing passphrase 1"))).StatusCode == HttpStatusCode.Redirect);
        }

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        // Interleaved, so whatever else loads the machine loads both paths alike. The known account locks after five
        // failures; a locked account must cost the same too, so the later rounds measure that path.
        for (var i = 0; i < 9; i++)
        {
            knownTimes.Add(await TimeSignInAsync(client, known));
            unknownTimes.Add(await TimeSignInAsync(client, $"1370{Random.Shared.Next(1_000_000, 9_999_999)}"));
        }

        var knownMedian = Median(knownTimes);
        var unknownMedian = Median(unknownTimes);
        var ratio = unknownMedian / knownMedian;
        output.WriteLine($"median refusal: known {knownMedian:F0} ms, unknown {unknownMedian:F0} ms, ratio {ratio:F2}");
        Assert.True(ratio is > 0.6 and < 1.6, $"median sign-in refusal: known number {knownMedian:F0} ms, unknown number {unknownMedian:F0} ms (ratio {ratio:F2})");
    }

    [Fact]
    public async Task FiveFailures_LockAnUnknownNumberOut_JustLikeAKnownOne()
    {
        using var client = app.NewClient();
        const string nobody = "13700000093";
        for (var i = 0; i < 4; i++)
        {
            using var failed = await SignInAsync(client, nobody, "wrong " + i);
            Assert.Contains("手机号或密码不正确", await failed.Content.ReadAsStringAsync());
        }

        using var fifth = await SignInAsync(client, nobody, "wrong 5");

        Assert.Equal(HttpStatusCode.Redirect, fifth.StatusCode);
        Assert.Equal("/account/lockout", new Uri(app.BaseAddress, fifth.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task AfterTheHourlyDuplicateAnswers_EveryRegistrationFromThatAddressWaits_SoWaitingRevealsNothing()
    {
        using var limited = new AppFactory(anonymousPostsPerMinute: 10_000, settings: new Dictionary<string, string> { ["DezhiHub:DuplicateNumberAnswersPerHour"] = "2" });
        using var client = limited.NewClient();
        for (var i = 0; i < 2; i++)
        {
            using var duplicate = await client.SubmitFormAsync("/account/register", AccountTests.Fields(Demo.Resident, "试探者", "probing passphrase " + i));
            Assert.Contains("该手机号已注册", await duplicate.Content.ReadAsStringAsync());
        }

        using var third = await client.SubmitFormAsync("/account/register", AccountTests.Fields(Demo.Volunteer, "试探者", "probing passphrase 3"));
        var thirdHtml = await third.Content.ReadAsStringAsync();
        using var fresh = await client.SubmitFormAsync("/account/register", AccountTests.Fields("13700000094", "新居民", "a fresh passphrase 4"));
        var freshHtml = await fresh.Content.ReadAsStringAsync();

        Assert.DoesNotContain("该手机号已注册", thirdHtml);
        Assert.Contains("注册尝试过于频繁", thirdHtml);
        Assert.Contains("注册尝试过于频繁", freshHtml);
        Assert.False(client.HasAuthCookie);
    }

    private static async Task<double> TimeSignInAsync(AppClient client, string phone)
    {
        // The page itself is fetched outside the timing; only the form post is measured.
        var stopwatch = new Stopwatch();
        using var response = await SignInAsync(client, phone, "not the password", stopwatch);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{phone}: {response.StatusCode}");
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static Task<HttpResponseMessage> SignInAsync(AppClient client, string phone, string password, Stopwatch? timing = null) =>
        client.SubmitFormAsync("/account/login", new Dictionary<string, string> { ["Input.Phone"] = phone, ["Input.Password"] = password }, timing: timing);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
