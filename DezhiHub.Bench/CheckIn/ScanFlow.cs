using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Features.CheckIn;

namespace DezhiHub.Bench.CheckIn;

/// <summary>What one phase of scans did: timings, acknowledged (activity, person) pairs and errors.</summary>
internal sealed class ScanTally
{
    public ConcurrentBag<double> GetMs { get; } = [];

    public ConcurrentBag<double> PostMs { get; } = [];

    /// <summary>GET + POST of one check-in, for the ones that got as far as the POST.</summary>
    public ConcurrentBag<double> BothMs { get; } = [];

    public ConcurrentBag<(int ActivityId, int UserId)> Acknowledged { get; } = [];

    public ErrorTally Errors { get; } = new();
}

/// <summary>
/// The phone's side of the check-in flow over real HTTP, as a browser does it: sign in through the sign-in form,
/// then for each scan open <c>/checkin/{token}</c> (the confirm page, with its antiforgery fields) and post the
/// "checkin-confirm" form back to the same address.
/// </summary>
internal static partial class ScanFlow
{
    public const string AuthCookie = "dezhihub.auth";

    /// <summary>Signs the person in through <c>/account/login</c>; the session then carries their cookie.</summary>
    public static async Task<BrowserSession> SignInAsync(HttpClient http, Uri baseUri, string phone, string password, CancellationToken cancellationToken)
    {
        var session = new BrowserSession(http, baseUri);
        var page = await session.GetAsync("/account/login", cancellationToken);
        if (page.Status != HttpStatusCode.OK)
        {
            throw new BenchException($"GET /account/login answered {ErrorTally.Describe(page.Status)}.");
        }

        var fields = BrowserSession.HiddenFields(page.Body);
        fields.Add(KeyValuePair.Create("Input.Phone", phone));
        fields.Add(KeyValuePair.Create("Input.Password", password));
        var posted = await session.PostFormAsync("/account/login", fields, cancellationToken);
        if (posted.Status != HttpStatusCode.Redirect || !session.HasCookie(AuthCookie))
        {
            throw new BenchException(
                $"Sign-in of {phone} failed: POST /account/login answered {ErrorTally.Describe(posted.Status)}" +
                (session.HasCookie(AuthCookie) ? "." : $" without a {AuthCookie} cookie ({Describe(posted.Body)})."));
        }

        return session;
    }

    /// <summary>
    /// One scan: a fresh token for the activity (the screen's current code), GET the confirm page, POST its form.
    /// Acknowledged = 200 with <c>data-outcome="CheckedIn"</c>; anything else is an error of its kind. Never throws
    /// for a failed request.
    /// </summary>
    public static async Task CheckInAsync(
        BrowserSession session, CheckInTokens tokens, int activityId, int userId, ScanTally tally, CancellationToken cancellationToken, bool acceptAlreadyCheckedIn = false)
    {
        try
        {
            var path = $"/checkin/{tokens.Issue(activityId, CheckInPurpose.CheckIn)}";
            var page = await session.GetAsync(path, cancellationToken);
            tally.GetMs.Add(page.Ms);
            if (page.Status != HttpStatusCode.OK)
            {
                tally.Errors.Add($"GET {ErrorTally.Describe(page.Status)}");
                return;
            }

            if (acceptAlreadyCheckedIn && page.Body.Contains("data-outcome=\"AlreadyCheckedIn\"", StringComparison.Ordinal))
            {
                // A retry whose first try was recorded before it failed (the kill test).
                tally.Acknowledged.Add((activityId, userId));
                return;
            }

            if (!page.Body.Contains("data-testid=\"checkin-confirm\"", StringComparison.Ordinal))
            {
                tally.Errors.Add($"GET without confirm form: {Describe(page.Body)}");
                return;
            }

            var posted = await session.PostFormAsync(path, BrowserSession.HiddenFields(page.Body), cancellationToken);
            tally.PostMs.Add(posted.Ms);
            tally.BothMs.Add(page.Ms + posted.Ms);
            if (posted.Status != HttpStatusCode.OK)
            {
                tally.Errors.Add($"POST {ErrorTally.Describe(posted.Status)}{(posted.Location is { } to ? $" → {to}" : "")}");
            }
            else if (posted.Body.Contains("data-outcome=\"CheckedIn\"", StringComparison.Ordinal)
                || (acceptAlreadyCheckedIn && posted.Body.Contains("data-outcome=\"AlreadyCheckedIn\"", StringComparison.Ordinal)))
            {
                tally.Acknowledged.Add((activityId, userId));
            }
            else
            {
                tally.Errors.Add($"POST {Describe(posted.Body)}");
            }
        }
        catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
        {
            tally.Errors.Add($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Only the confirm page (a diagnostic: what the GET half of a scan costs the app).</summary>
    public static async Task OpenConfirmPageAsync(BrowserSession session, CheckInTokens tokens, int activityId, ScanTally tally, CancellationToken cancellationToken)
    {
        try
        {
            var page = await session.GetAsync($"/checkin/{tokens.Issue(activityId, CheckInPurpose.CheckIn)}", cancellationToken);
            tally.GetMs.Add(page.Ms);
            if (page.Status != HttpStatusCode.OK || !page.Body.Contains("data-testid=\"checkin-confirm\"", StringComparison.Ordinal))
            {
                tally.Errors.Add($"GET {ErrorTally.Describe(page.Status)}: {Describe(page.Body)}");
            }
        }
        catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
        {
            tally.Errors.Add($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Which scan page came back: the outcome, the refusal text, or the state's test id.</summary>
    private static string Describe(string html)
    {
        if (Outcome().Match(html) is { Success: true } outcome)
        {
            return $"outcome={outcome.Groups[1].Value}";
        }

        if (Refusal().Match(html) is { Success: true } refusal)
        {
            return $"refused: {WebUtility.HtmlDecode(refusal.Groups[1].Value).Trim()}";
        }

        return State().Match(html) is { Success: true } state ? state.Groups[1].Value : $"unexpected page ({html.Length} chars)";
    }

    [GeneratedRegex("data-outcome=\"([^\"]*)\"")]
    private static partial Regex Outcome();

    [GeneratedRegex("data-testid=\"checkin-refusal\"[^>]*>([^<]*)<")]
    private static partial Regex Refusal();

    [GeneratedRegex("data-testid=\"(checkin-(?:invalid|expired|not-found|refused|done)|login-error)\"")]
    private static partial Regex State();
}
