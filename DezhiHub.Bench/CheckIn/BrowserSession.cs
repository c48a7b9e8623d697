using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace DezhiHub.Bench.CheckIn;

/// <summary>A response as the load tool sees it: status, body, time from sending to the last byte read.</summary>
internal sealed record PageResponse(HttpStatusCode Status, string Body, double Ms, Uri? Location);

/// <summary>
/// One person's browser: their own cookie jar (sign-in cookie, antiforgery cookie) over a connection pool shared by
/// every session, so the load tool keeps one connection per concurrent request, not one per person. Forms are posted
/// as a browser posts them: every hidden field the page rendered (antiforgery token, Blazor's form name) plus the
/// filled-in fields, with the page as Referer. Safe for use from several tasks.
/// </summary>
internal sealed partial class BrowserSession(HttpClient http, Uri baseUri)
{
    private readonly CookieContainer _cookies = new();

    /// <summary>The Cookie header this session sends (to size a comparable request).</summary>
    public string CookieHeader => _cookies.GetCookieHeader(baseUri);

    public bool HasCookie(string name) => _cookies.GetCookies(baseUri).Any(c => c.Name == name);

    public Task<PageResponse> GetAsync(string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        return SendAsync(request, cancellationToken);
    }

    /// <summary>Posts <paramref name="fields"/> (the page's hidden fields and any filled-in ones) to <paramref name="path"/>.</summary>
    public Task<PageResponse> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUri, path);
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Referrer = uri;
        return SendAsync(request, cancellationToken);
    }

    /// <summary>Every hidden input of the page, duplicates included, exactly as a browser would post them.</summary>
    public static List<KeyValuePair<string, string>> HiddenFields(string html) =>
        [.. HiddenInput().Matches(html).Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))];

    private async Task<PageResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            var cookieHeader = _cookies.GetCookieHeader(baseUri);
            if (cookieHeader.Length > 0)
            {
                request.Headers.Add("Cookie", cookieHeader);
            }

            var start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    _cookies.SetCookies(baseUri, setCookie);
                }
            }

            return new PageResponse(response.StatusCode, body, ms, response.Headers.Location);
        }
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
