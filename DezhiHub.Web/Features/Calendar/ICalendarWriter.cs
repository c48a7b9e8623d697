using System.Globalization;
using System.Text;

namespace DezhiHub.Web.Features.Calendar;

/// <summary>One VEVENT. Times are UTC; text is plain (escaped by the writer).</summary>
public sealed record CalendarEvent
{
    /// <summary>Stable across downloads and feed refreshes, so a calendar updates the event instead of adding a copy.</summary>
    public required string Uid { get; init; }

    public required DateTime StartUtc { get; init; }

    public required DateTime EndUtc { get; init; }

    public required string Summary { get; init; }

    public string? Location { get; init; }

    public string? Description { get; init; }

    public bool Cancelled { get; init; }

    /// <summary>Absolute link to the event's page.</summary>
    public Uri? Url { get; init; }

    public DateTime? LastModifiedUtc { get; init; }

    /// <summary>A display alarm this long before the start; null for none.</summary>
    public TimeSpan? AlarmBefore { get; init; }
}

/// <summary>The calendar's own properties.</summary>
public sealed record CalendarHeader(string Name, string TimeZoneId)
{
    /// <summary>For subscribed feeds: how often a client should fetch again; null for a one-off download.</summary>
    public TimeSpan? RefreshInterval { get; init; }
}

/// <summary>
/// Writes iCalendar (RFC 5545) text: UTC times, TEXT escaping, CRLF line ends, lines folded at 75 octets
/// without splitting a UTF-8 sequence. Hand-written (the format is small) so tests can check it with an
/// independent parser.
/// </summary>
public static class ICalendarWriter
{
    public const string ProductId = "-//DezhiHub//DezhiHub Activities//ZH";
    public const int MaxLineOctets = 75;

    public static string Write(CalendarHeader header, IEnumerable<CalendarEvent> events, DateTime stampUtc)
    {
        var text = new StringBuilder();
        Line(text, "BEGIN", "VCALENDAR");
        Line(text, "PRODID", ProductId);
        Line(text, "VERSION", "2.0");
        Line(text, "CALSCALE", "GREGORIAN");
        Line(text, "METHOD", "PUBLISH");
        Line(text, "X-WR-CALNAME", Escape(header.Name));
        // A hint for clients that show the calendar's zone; every time below is UTC, so no VTIMEZONE is needed.
        Line(text, "X-WR-TIMEZONE", Escape(header.TimeZoneId));
        if (header.RefreshInterval is { } refresh)
        {
            Line(text, "REFRESH-INTERVAL;VALUE=DURATION", Duration(refresh));
            Line(text, "X-PUBLISHED-TTL", Duration(refresh));
        }

        var stamp = Utc(stampUtc);
        foreach (var e in events)
        {
            Line(text, "BEGIN", "VEVENT");
            Line(text, "UID", Escape(e.Uid));
            Line(text, "DTSTAMP", stamp);
            Line(text, "DTSTART", Utc(e.StartUtc));
            Line(text, "DTEND", Utc(e.EndUtc));
            Line(text, "SUMMARY", Escape(e.Summary));
            if (!string.IsNullOrWhiteSpace(e.Location))
            {
                Line(text, "LOCATION", Escape(e.Location));
            }

            if (!string.IsNullOrWhiteSpace(e.Description))
            {
                Line(text, "DESCRIPTION", Escape(e.Description));
            }

            Line(text, "STATUS", e.Cancelled ? "CANCELLED" : "CONFIRMED");
            if (e.Url is not null)
            {
                Line(text, "URL", StripControls(e.Url.AbsoluteUri));
            }

            if (e.LastModifiedUtc is { } modified)
            {
                Line(text, "LAST-MODIFIED", Utc(modified));
            }

            if (e.AlarmBefore is { } before && !e.Cancelled)
            {
                Line(text, "BEGIN", "VALARM");
                Line(text, "ACTION", "DISPLAY");
                Line(text, "TRIGGER", "-" + Duration(before));
                Line(text, "DESCRIPTION", Escape(e.Summary));
                Line(text, "END", "VALARM");
            }

            Line(text, "END", "VEVENT");
        }

        Line(text, "END", "VCALENDAR");
        return text.ToString();
    }

    /// <summary>TEXT value escaping: backslash, semicolon, comma and line breaks; other control characters are dropped.</summary>
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\':
                    escaped.Append(@"\\");
                    break;
                case ';':
                    escaped.Append(@"\;");
                    break;
                case ',':
                    escaped.Append(@"\,");
                    break;
                case '\r':
                    escaped.Append(@"\n");
                    if (i + 1 < value.Length && value[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                case '\n':
                    escaped.Append(@"\n");
                    break;
                default:
                    if (!IsControl(c))
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }

    /// <summary>"20261128T010000Z".</summary>
    public static string Utc(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An RFC 5545 duration such as "PT1H", "P1D" or "PT1H30M" (whole seconds).</summary>
    public static string Duration(TimeSpan span)
    {
        var result = new StringBuilder("P");
        if (span.Days > 0)
        {
            result.Append(span.Days).Append('D');
        }

        if (span.Hours > 0 || span.Minutes > 0 || span.Seconds > 0)
        {
            result.Append('T');
            if (span.Hours > 0)
            {
                result.Append(span.Hours).Append('H');
            }

            if (span.Minutes > 0)
            {
                result.Append(span.Minutes).Append('M');
            }

            if (span.Seconds > 0)
            {
                result.Append(span.Seconds).Append('S');
            }
        }

        return result.Length == 1 ? "PT0S" : result.ToString();
    }

    /// <summary>Writes "NAME:value" folded at 75 octets: a continuation line starts with one space, which counts.</summary>
    private static void Line(StringBuilder text, string name, string value)
    {
        var octets = 0;
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in $"{name}:{value}".EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > MaxLineOctets)
            {
                text.Append("\r\n ");
                octets = 1;
            }

            text.Append(buffer[..rune.EncodeToUtf16(buffer)]);
            octets += size;
        }

        text.Append("\r\n");
    }

    private static bool IsControl(char c) => (c < ' ' && c != '\t') || c == '\u007f';

    private static string StripControls(string value) => string.Concat(value.Where(c => !IsControl(c)));
}
