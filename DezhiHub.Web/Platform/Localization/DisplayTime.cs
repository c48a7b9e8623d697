using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Platform.Localization;

/// <summary>
/// Stored UTC times in the deployment's zone, as text of the kinds <see cref="DateText"/> defines (the reader's
/// language from the current culture).
/// </summary>
public sealed class DisplayTime(IOptions<DezhiHubOptions> options, TimeProvider clock)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public TimeZoneInfo Zone => _zone;

    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    /// <summary>A local wall-clock time in the deployment zone, as UTC.</summary>
    public DateTime ToUtc(DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone);

    public DateTime LocalNow => ToLocal(clock.GetUtcNow().UtcDateTime);

    /// <summary>"2026年11月28日 05:05", "Nov 28, 2026, 05:05".</summary>
    public string FormatDateTime(DateTime utc) => DateText.DateAndTime(ToLocal(utc));

    /// <summary>"2026年11月28日", "Nov 28, 2026".</summary>
    public string FormatDate(DateTime utc) => DateText.Date(ToLocal(utc));

    /// <summary>"05:05".</summary>
    public string FormatTime(DateTime utc) => DateText.Time(ToLocal(utc));

    /// <summary>"11月28日 周六", "Sat, Nov 28" (the year only when it is not this year).</summary>
    public string FormatDay(DateTime utc) => DateText.Day(ToLocal(utc), LocalNow.Year);

    /// <summary>"11月28日 周六 09:00–11:00"; two days when it spans them.</summary>
    public string FormatSpan(DateTime startUtc, DateTime endUtc) => DateText.Span(ToLocal(startUtc), ToLocal(endUtc), LocalNow.Year);
}
