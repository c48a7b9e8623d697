using System.Globalization;

namespace DezhiHub.Web.Platform.Localization;

/// <summary>
/// The one place that turns dates and times into text. Four kinds for people, each in the reader's language:
/// <list type="bullet">
/// <item>a date — "2026年12月9日", "Dec 9, 2026";</item>
/// <item>a date with time — "2026年12月9日 09:00", "Dec 9, 2026, 09:00";</item>
/// <item>a time — "09:00" (24-hour in both languages, as schedules and notices in China are written);</item>
/// <item>a day heading with its weekday — "12月9日 周三", "Wed, Dec 9" (the year only when it is not this year).</item>
/// </list>
/// Plus a month ("2026年12月", "December 2026"), and the fixed machine formats (ISO dates in links, form fields and
/// exports; the booking link's slot key) so that no other file writes a date pattern (a guard test checks it).
/// Local times in, never UTC: <see cref="DisplayTime"/> converts stored UTC first.
/// </summary>
public static class DateText
{
    /// <summary>ISO date: links, data attributes, date pickers, exports ("2026-12-09" in every language).</summary>
    public const string IsoDateFormat = "yyyy-MM-dd";

    /// <summary>ISO month: period keys in links ("2026-12").</summary>
    public const string IsoMonthFormat = "yyyy-MM";

    /// <summary>ISO date and minute: exports and audit details ("2026-12-09 09:00").</summary>
    public const string IsoMinuteFormat = "yyyy-MM-dd HH:mm";

    /// <summary>A date picker that shows the weekday too ("2026-12-09 周三"), where opening hours depend on it.</summary>
    public const string PickerDayFormat = "yyyy-MM-dd ddd";

    /// <summary>A time in pickers and typed fields ("09:00").</summary>
    public const string TimeFormat = "HH:mm";

    /// <summary>A booking link's slot start: UTC, "20261209T0100", the same in every culture.</summary>
    public const string SlotKeyFormat = "yyyyMMdd'T'HHmm";

    /// <summary>A day in an export's file name ("20261209").</summary>
    public const string FileDateFormat = "yyyyMMdd";

    private static readonly Patterns Chinese = new("yyyy'年'M'月'd'日'", "M'月'd'日' ddd", "yyyy'年'M'月'd'日' ddd", "{0} {1}", "M'月'd'日'", "M'月'");
    private static readonly Patterns English = new("MMM d, yyyy", "ddd, MMM d", "ddd, MMM d, yyyy", "{0}, {1}", "MMM d", "MMM");

    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    /// <summary>"2026年12月9日", "Dec 9, 2026".</summary>
    public static string Date(DateOnly date) => date.ToString(PatternsOf(Culture).Date, Culture);

    /// <summary>The date of a local time.</summary>
    public static string Date(DateTime local) => Date(DateOnly.FromDateTime(local));

    /// <summary>"2026年12月9日 09:00", "Dec 9, 2026, 09:00".</summary>
    public static string DateAndTime(DateTime local) => string.Format(Culture, PatternsOf(Culture).DateAndTime, Date(local), Time(local));

    /// <summary>"09:00".</summary>
    public static string Time(DateTime local) => local.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>"09:00".</summary>
    public static string Time(TimeOnly time) => time.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>"09:00:07", for scans seconds apart.</summary>
    public static string TimeWithSeconds(DateTime local) => local.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>"09:00–11:00".</summary>
    public static string TimeRange(DateTime localStart, DateTime localEnd) => $"{Time(localStart)}–{Time(localEnd)}";

    /// <summary>"12月9日 周三", "Wed, Dec 9"; with the year when it is not <paramref name="thisYear"/>.</summary>
    public static string Day(DateOnly date, int thisYear)
    {
        var patterns = PatternsOf(Culture);
        return date.ToString(date.Year == thisYear ? patterns.DayThisYear : patterns.DayOtherYear, Culture);
    }

    /// <summary>The day heading of a local time.</summary>
    public static string Day(DateTime local, int thisYear) => Day(DateOnly.FromDateTime(local), thisYear);

    /// <summary>
    /// A span of local time: "12月9日 周三 09:00–11:00" on one day, "12月9日 周三 09:00 – 12月10日 周四 11:00" across days.
    /// </summary>
    public static string Span(DateTime localStart, DateTime localEnd, int thisYear) =>
        localStart.Date == localEnd.Date
            ? $"{Day(localStart, thisYear)} {TimeRange(localStart, localEnd)}"
            : $"{Day(localStart, thisYear)} {Time(localStart)} – {Day(localEnd, thisYear)} {Time(localEnd)}";

    /// <summary>A week's days without weekdays: "12月7日 – 12月13日", "Dec 7 – Dec 13".</summary>
    public static string DayRange(DateOnly first, DateOnly last) =>
        $"{first.ToString(PatternsOf(Culture).MonthDay, Culture)} – {last.ToString(PatternsOf(Culture).MonthDay, Culture)}";

    /// <summary>The month on a date block: "12月", "Dec".</summary>
    public static string MonthShort(DateTime local) => local.ToString(PatternsOf(Culture).MonthShort, Culture);

    /// <summary>"2026年12月", "December 2026".</summary>
    public static string Month(int year, int month) => new DateOnly(year, month, 1).ToString(Culture.DateTimeFormat.YearMonthPattern, Culture);

    /// <summary>"2026-12-09" in every language.</summary>
    public static string Iso(DateOnly date) => date.ToString(IsoDateFormat, CultureInfo.InvariantCulture);

    /// <summary>"2026-12-09" in every language.</summary>
    public static string Iso(DateTime local) => local.ToString(IsoDateFormat, CultureInfo.InvariantCulture);

    /// <summary>"2026-12-09 09:00" in every language: exports and audit details.</summary>
    public static string IsoMinute(DateTime local) => local.ToString(IsoMinuteFormat, CultureInfo.InvariantCulture);

    /// <summary>A UTC instant as stored text ("2026-12-09T01:00Z"), to be shown later in the reader's language.</summary>
    public static string UtcStamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    public static DateTime? ParseUtcStamp(string? text) =>
        System.DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            ? utc : null;

    /// <summary>Parses an ISO date from a link or a field; null when it is not one.</summary>
    public static DateOnly? ParseIso(string? text) =>
        DateOnly.TryParseExact(text, IsoDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    // Two languages are served; any other falls back to English. Month and weekday names come from the culture.
    private static Patterns PatternsOf(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "zh" ? Chinese : English;

    private sealed record Patterns(string Date, string DayThisYear, string DayOtherYear, string DateAndTime, string MonthDay, string MonthShort);
}
