using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>
/// Every response carries the security headers — pages, static files, downloads, errors. (The browser tests run with
/// the same policy on and fail on any violation it reports.)
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class SecurityHeaderTests(AppFactory app)
{
    [Fact]
    public async Task PagesFilesDownloadsAndErrors_AllCarryTheHeaders()
    {
        using var admin = app.NewClient();
        Assert.True(await admin.SignInAsync(Demo.Admin));
        var activityId = ActivityLink().Match(await admin.GetStringAsync("/activities")).Groups["id"].Value;
        string[] paths =
        [
            "/", "/account/login", "/app.css", "/_framework/blazor.web.js", "/favicon.svg", "/health/live",
            "/coverage/export.csv", "/coverage/export.xlsx", "/admin/users/export.csv", $"/activities/{activityId}.ics",
            "/no-such-page", "/activities/999999/cover",
        ];

        foreach (var path in paths)
        {
            using var response = await admin.GetAsync(path);
            var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            var where = $"{path} ({(int)response.StatusCode})";
            Assert.True(headers.TryGetValue("X-Content-Type-Options", out var nosniff) && nosniff == "nosniff", $"{where}: no nosniff");
            Assert.True(headers.TryGetValue("Referrer-Policy", out var referrer) && referrer == "same-origin", $"{where}: referrer policy");
            Assert.True(headers.TryGetValue("Permissions-Policy", out var permissions) && permissions.Contains("camera=(self)") && permissions.Contains("microphone=()"), $"{where}: permissions policy");
            Assert.True(headers.TryGetValue("Content-Security-Policy", out var csp), $"{where}: no CSP");
            foreach (var directive in new[] { "object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'", "default-src 'self'" })
            {
                Assert.Contains(directive, csp);
            }

            var scripts = Regex.Match(csp, "script-src ([^;]*)").Groups[1].Value;
            Assert.DoesNotContain("'unsafe-inline'", scripts);
            Assert.DoesNotContain("'unsafe-eval'", scripts);
        }
    }

    [Fact]
    public async Task TheOneInlineScript_CarriesThisResponsesNonce_AndTheNonceChangesPerResponse()
    {
        using var client = app.NewClient();
        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/account/login");
            var html = await response.Content.ReadAsStringAsync();
            var nonce = Regex.Match(response.Headers.GetValues("Content-Security-Policy").Single(), "'nonce-(?<n>[^']+)'").Groups["n"].Value;
            Assert.NotEmpty(nonce);
            var inline = InlineScript().Matches(html);
            Assert.NotEmpty(inline);
            Assert.All(inline, m => Assert.Equal(nonce, m.Groups["nonce"].Value));
            nonces.Add(nonce);
        }

        Assert.NotEqual(nonces[0], nonces[1]);
    }

    [GeneratedRegex("href=\"/activities/(?<id>\\d+)\"")]
    private static partial Regex ActivityLink();

    /// <summary>Script elements without a src (inline), with their nonce attribute if any.</summary>
    [GeneratedRegex("<script(?![^>]*\\bsrc=)(?:[^>]*\\bnonce=\"(?<nonce>[^\"]*)\")?[^>]*>")]
    private static partial Regex InlineScript();
}
