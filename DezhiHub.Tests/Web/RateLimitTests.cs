using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>Anonymous form posts are limited per address; a signed-in user's are not counted.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task AnonymousPosts_BeyondTheLimit_Get429WithAMessage()
    {
        using var app = new AppFactory(anonymousPostsPerMinute: 3);
        using var client = app.NewClient();
        var statuses = new List<HttpStatusCode>();
        string? body = null;
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.SubmitFormAsync("/account/login", new Dictionary<string, string>
            {
                ["Input.Phone"] = Demo.Resident,
                ["Input.Password"] = "wrong " + i,
            });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                body = await response.Content.ReadAsStringAsync();
            }
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal("请求过于频繁，请一分钟后再试。", body);
        // Pages can still be read, and interactive pages can still start their circuit.
        using var page = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var negotiate = await client.Http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, negotiate.StatusCode);
    }
}
