using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>
/// Behind a reverse proxy (issue 13): the client's address and scheme come from X-Forwarded-For / X-Forwarded-Proto,
/// but only when the proxy is one of DezhiHub:KnownProxies; from anyone else those headers change nothing.
/// </summary>
public sealed partial class ProxyTests
{
    [Fact]
    public async Task BehindAKnownProxy_EachClientAddressHasItsOwnRateLimit_AndLinksUseTheClientsScheme()
    {
        using var app = new AppFactory(anonymousPostsPerMinute: 2, settings: new Dictionary<string, string> { ["DezhiHub:KnownProxies:0"] = "127.0.0.1" });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await FailedSignInsAsync(app, "203.0.113.1", 3));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], await FailedSignInsAsync(app, "203.0.113.2", 2));
        Assert.StartsWith("URL:https://127.0.0.1:", await CalendarLinkAsync(app, forwardedProto: "https"));
    }

    [Fact]
    public async Task FromAnUnknownPeer_ForwardedHeadersAreIgnored()
    {
        using var app = new AppFactory(anonymousPostsPerMinute: 3);

        Assert.StartsWith("URL:http://127.0.0.1:", await CalendarLinkAsync(app, forwardedProto: "https"));
        // The sign-in above was the first post of 127.0.0.1's three: claiming other addresses buys no fresh budget.
        Assert.Equal([HttpStatusCode.OK], await FailedSignInsAsync(app, "203.0.113.1", 1));
        Assert.Equal([HttpStatusCode.OK], await FailedSignInsAsync(app, "203.0.113.2", 1));
        Assert.Equal([HttpStatusCode.TooManyRequests], await FailedSignInsAsync(app, "203.0.113.3", 1));
    }

    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.0.0.0/24", true)]
    [InlineData("::1", true)]
    [InlineData("nginx.local", false)]
    [InlineData("10.0.0.0/99", false)]
    public void AKnownProxy_IsAnAddressOrANetwork_OrTheStartStopsNamingTheSetting(string proxy, bool valid)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DezhiHub:KnownProxies:0"] = proxy }).Build();
        using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddDezhiHubOptions(configuration).BuildServiceProvider();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DezhiHub.Web.DezhiHubOptions>>();
        if (valid)
        {
            Assert.Equal([proxy], options.Value.KnownProxies);
        }
        else
        {
            var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => options.Value);
            Assert.Contains("DezhiHub:KnownProxies", ex.Message);
        }
    }

    private static async Task<List<HttpStatusCode>> FailedSignInsAsync(AppFactory app, string clientAddress, int count)
    {
        using var client = app.NewClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.SubmitFormAsync("/account/login", new Dictionary<string, string>
            {
                ["Input.Phone"] = Demo.Resident,
                ["Input.Password"] = "wrong " + i,
            });
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static async Task<string> CalendarLinkAsync(AppFactory app, string forwardedProto)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));
        var id = ActivityLink().Match(await client.GetStringAsync("/activities")).Groups["id"].Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/activities/{id}.ics");
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        using var response = await client.Http.SendAsync(request);
        var ics = await response.Content.ReadAsStringAsync();
        return ics.Split("\r\n").Single(l => l.StartsWith("URL:", StringComparison.Ordinal));
    }

    [GeneratedRegex("href=\"/activities/(?<id>\\d+)\"")]
    private static partial Regex ActivityLink();
}
