using System.Globalization;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Localization;

/// <summary>Shows stored UTC times in the deployment's zone with the current culture's formats.</summary>
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

    /// <summary>Short date and time, e.g. "2026/11/27 20:51" (zh-CN) or "11/27/2026 8:51 PM" (en-US).</summary>
    public string FormatDateTime(DateTime utc) => ToLocal(utc).ToString("g", CultureInfo.CurrentCulture);

    public string FormatDate(DateTime utc) => ToLocal(utc).ToString("d", CultureInfo.CurrentCulture);
}
