using System.Net;
using System.Text.RegularExpressions;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// An HttpClient over the real port with a cookie jar, that can fill and post the app's statically rendered
/// forms (it carries the antiforgery token and Blazor's form handler name, as a browser would).
/// </summary>
public sealed partial class AppClient : IDisposable
{
    private readonly HttpClient _http;

    public AppClient(Uri baseAddress, string? culture = null)
    {
        Cookies = new CookieContainer();
        if (culture is not null)
        {
            Cookies.Add(baseAddress, new Cookie(".AspNetCore.Culture", Uri.EscapeDataString($"c={culture}|uic={culture}")));
        }

        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    public bool HasAuthCookie => Cookies.GetCookies(_http.BaseAddress!).Any(c => c.Name == "dezhihub.auth");

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>GETs the page, then posts its form with these fields (plus the hidden fields the page rendered).</summary>
    /// <param name="timing">When given, runs only while the post is in flight (not while the page is fetched).</param>
    public Task<HttpResponseMessage> SubmitFormAsync(string path, IDictionary<string, string> fields, bool includeAntiforgery = true, System.Diagnostics.Stopwatch? timing = null) =>
        SubmitFormAsync(path, path, fields, includeAntiforgery, timing);

    /// <summary>
    /// GETs <paramref name="formPage"/> and posts a form of it to <paramref name="path"/> (an endpoint such as
    /// /account/logout, whose form sits in a page's menu), with the hidden fields that page rendered.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string formPage, string path, IDictionary<string, string> fields, bool includeAntiforgery = true, System.Diagnostics.Stopwatch? timing = null)
    {
        var page = FormPostingTo(await GetStringAsync(formPage), path);
        // Every hidden field of that form, duplicates included, exactly as a browser would post them.
        var form = HiddenFields(page)
            .Where(f => includeAntiforgery || f.Key != "__RequestVerificationToken")
            .Where(f => !fields.ContainsKey(f.Key))
            .Concat(fields)
            .ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Referrer = new Uri(_http.BaseAddress!, formPage);
        timing?.Start();
        try
        {
            return await _http.SendAsync(request);
        }
        finally
        {
            timing?.Stop();
        }
    }

    /// <summary>Signs in through the real sign-in form; true when the app answered with a redirect and a cookie.</summary>
    public async Task<bool> SignInAsync(string phone, string password = Demo.Password)
    {
        using var response = await SubmitFormAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Phone"] = phone,
            ["Input.Password"] = password,
        });
        return response.StatusCode == HttpStatusCode.Redirect && HasAuthCookie;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// The markup of the form a browser would post to <paramref name="path"/>: the one whose action names it, or else
    /// the first without an action, or else the first (any form's token serves any endpoint). The whole page when it has no
    /// form element.
    /// </summary>
    private static string FormPostingTo(string page, string path)
    {
        var forms = Form().Matches(page).ToList();
        var chosen = forms.FirstOrDefault(f => WebUtility.HtmlDecode(f.Groups["action"].Value) == path)
            ?? forms.FirstOrDefault(f => !f.Groups["action"].Success) ?? forms.FirstOrDefault();
        return chosen?.Value ?? page;
    }

    [GeneratedRegex("<form(?:(?!>)[^a]|a(?!ction=))*(?:action=\"(?<action>[^\"]*)\")?[^>]*>.*?</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Form();

    /// <summary>Every hidden field of a page, decoded, in page order (a field of two forms twice).</summary>
    public static List<KeyValuePair<string, string>> HiddenFields(string html) =>
        [.. HiddenInput().Matches(html).Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))];

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
