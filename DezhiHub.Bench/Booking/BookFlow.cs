using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Bench.CheckIn;
using DezhiHub.Web.Features.Weddings;

namespace DezhiHub.Bench.Booking;

/// <summary>What one phase of bookings did: timings, acknowledged booking ids, refusals and errors.</summary>
internal sealed class BookTally
{
    public ConcurrentBag<double> GetMs { get; } = [];

    public ConcurrentBag<double> PostMs { get; } = [];

    /// <summary>GET + POST of one booking, for the ones that got as far as the POST.</summary>
    public ConcurrentBag<double> BothMs { get; } = [];

    /// <summary>Booking ids the result pages named.</summary>
    public ConcurrentBag<int> Acknowledged { get; } = [];

    /// <summary>Refusals by code (in a race: the expected "taken" and "full").</summary>
    public ErrorTally Refusals { get; } = new();

    public ErrorTally Errors { get; } = new();
}

/// <summary>
/// The resident's side of booking over real HTTP, as a phone does it: open the booking page of a slot
/// (<c>GET /weddings/book/{id}/{yyyyMMddTHHmm}</c>, which must offer the form with its antiforgery fields), then post
/// the form back to the same address with the partner's name and a note.
/// </summary>
internal static partial class BookFlow
{
    /// <summary>
    /// One booking. Acknowledged = 200 with the result (<c>data-testid="book-result"</c>) naming the booking; a refusal or
    /// anything else is an error of its kind. Never throws for a failed request.
    /// </summary>
    public static async Task BookAsync(BrowserSession session, SlotTarget target, BookTally tally, CancellationToken cancellationToken)
    {
        try
        {
            var path = BookingPageText.BookPath(target.ResourceId, target.StartUtc);
            if (await OpenAsync(session, path, tally, cancellationToken) is not { } fields)
            {
                return;
            }

            var posted = await session.PostFormAsync(path, fields.Form, cancellationToken);
            tally.PostMs.Add(posted.Ms);
            tally.BothMs.Add(fields.GetMs + posted.Ms);
            Record(posted, tally, expectedRefusals: []);
        }
        catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
        {
            tally.Errors.Add($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Only the booking page (a diagnostic: what the GET half of a booking costs the app). Never throws for a failed request.</summary>
    public static async Task OpenOnlyAsync(BrowserSession session, SlotTarget target, BookTally tally, CancellationToken cancellationToken)
    {
        try
        {
            await OpenAsync(session, BookingPageText.BookPath(target.ResourceId, target.StartUtc), tally, cancellationToken);
        }
        catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
        {
            tally.Errors.Add($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// The first half of a same-slot race: every session opens the booking page (the form must be on offer to all).
    /// Returns each session's form, null where opening it failed (counted as an error).
    /// </summary>
    public static async Task<List<KeyValuePair<string, string>>?[]> OpenRaceAsync(
        IReadOnlyList<BrowserSession> sessions, RaceSlot slot, BookTally tally, CancellationToken cancellationToken)
    {
        var path = BookingPageText.BookPath(slot.ResourceId, slot.StartUtc);
        var forms = new List<KeyValuePair<string, string>>?[sessions.Count];
        await Load.RunAsync(Enumerable.Range(0, sessions.Count), 32, async i =>
        {
            try
            {
                forms[i] = (await OpenAsync(sessions[i], path, tally, cancellationToken))?.Form;
            }
            catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
            {
                tally.Errors.Add($"{ex.GetType().Name}: {ex.Message}");
            }
        }, cancellationToken);
        return forms;
    }

    /// <summary>
    /// The second half: every session posts its form as soon as <paramref name="start"/> completes, all at once. The
    /// expected refusals ("taken", "full") are counted apart from errors. Call before completing <paramref name="start"/>.
    /// </summary>
    public static Task PostRaceAsync(
        IReadOnlyList<BrowserSession> sessions, RaceSlot slot, List<KeyValuePair<string, string>>?[] forms, BookTally tally, Task start,
        CancellationToken cancellationToken)
    {
        var path = BookingPageText.BookPath(slot.ResourceId, slot.StartUtc);
        string[] expected = ["Booking.SlotTaken", "Booking.SlotFull"];
        return Task.WhenAll(Enumerable.Range(0, sessions.Count).Where(i => forms[i] is not null).Select(i => Task.Run(
            async () =>
            {
                await start;
                try
                {
                    var posted = await sessions[i].PostFormAsync(path, forms[i]!, cancellationToken);
                    tally.PostMs.Add(posted.Ms);
                    Record(posted, tally, expected);
                }
                catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
                {
                    tally.Errors.Add($"{ex.GetType().Name}: {ex.Message}");
                }
            },
            cancellationToken)).ToList());
    }

    /// <summary>
    /// One post of an opened booking form, classified: "booked", an expected refusal's code ("Booking.SlotFull"), or an
    /// error's description (a 5xx, a page that is neither, a failed request) with <c>Error</c> set.
    /// </summary>
    public static async Task<(string Answer, bool Error, double Ms)> PostOnceAsync(
        BrowserSession session, string path, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        try
        {
            var posted = await session.PostFormAsync(path, form, cancellationToken);
            if (posted.Status != HttpStatusCode.OK)
            {
                return ($"POST {ErrorTally.Describe(posted.Status)}", true, posted.Ms);
            }

            if (Result().IsMatch(posted.Body))
            {
                return ("booked", false, posted.Ms);
            }

            return Refused().Match(posted.Body) is { Success: true } refused
                ? (refused.Groups["code"].Value, false, posted.Ms)
                : ($"POST {Describe(posted.Body)}", true, posted.Ms);
        }
        catch (Exception ex) when (Load.IsRequestFailure(ex, cancellationToken))
        {
            return ($"{ex.GetType().Name}: {ex.Message}", true, 0);
        }
    }

    /// <summary>The booking page's form fields (hidden ones plus partner and note), or null after counting an error.</summary>
    private static async Task<(List<KeyValuePair<string, string>> Form, double GetMs)?> OpenAsync(
        BrowserSession session, string path, BookTally tally, CancellationToken cancellationToken)
    {
        var page = await session.GetAsync(path, cancellationToken);
        tally.GetMs.Add(page.Ms);
        if (page.Status != HttpStatusCode.OK)
        {
            tally.Errors.Add($"GET {ErrorTally.Describe(page.Status)}{(page.Location is { } to ? $" → {to}" : "")}");
            return null;
        }

        if (!page.Body.Contains("data-testid=\"book-confirm\"", StringComparison.Ordinal))
        {
            tally.Errors.Add($"GET without the form: {Describe(page.Body)}");
            return null;
        }

        var fields = BrowserSession.HiddenFields(page.Body);
        fields.Add(KeyValuePair.Create("Input.PartnerName", "李娜"));
        fields.Add(KeyValuePair.Create("Input.Note", "压测预约"));
        return (fields, page.Ms);
    }

    private static void Record(PageResponse posted, BookTally tally, string[] expectedRefusals)
    {
        if (posted.Status != HttpStatusCode.OK)
        {
            tally.Errors.Add($"POST {ErrorTally.Describe(posted.Status)}{(posted.Location is { } to ? $" → {to}" : "")}");
        }
        else if (Result().Match(posted.Body) is { Success: true } result)
        {
            tally.Acknowledged.Add(int.Parse(result.Groups["id"].Value, CultureInfo.InvariantCulture));
        }
        else if (Refused().Match(posted.Body) is { Success: true } refused && expectedRefusals.Contains(refused.Groups["code"].Value))
        {
            tally.Refusals.Add(refused.Groups["code"].Value);
        }
        else
        {
            tally.Errors.Add($"POST {Describe(posted.Body)}");
        }
    }

    /// <summary>Which booking page came back: the refusal's code, the page's state, or its size.</summary>
    private static string Describe(string html)
    {
        if (Refused().Match(html) is { Success: true } refused)
        {
            return $"refused {refused.Groups["code"].Value}";
        }

        if (Unavailable().Match(html) is { Success: true } unavailable)
        {
            return $"unavailable {unavailable.Groups["code"].Value}";
        }

        return State().Match(html) is { Success: true } state ? $"state={state.Groups[1].Value}" : $"unexpected page ({html.Length} chars)";
    }

    [GeneratedRegex("data-testid=\"book-result\"[^>]*data-booking-id=\"(?<id>\\d+)\"")]
    private static partial Regex Result();

    [GeneratedRegex("data-testid=\"book-refused\" data-code=\"(?<code>[^\"]+)\"")]
    private static partial Regex Refused();

    [GeneratedRegex("data-testid=\"book-unavailable\" data-code=\"(?<code>[^\"]+)\"")]
    private static partial Regex Unavailable();

    [GeneratedRegex("data-testid=\"book-page\" data-state=\"([^\"]*)\"")]
    private static partial Regex State();
}
