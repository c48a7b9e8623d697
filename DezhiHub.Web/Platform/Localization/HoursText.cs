using System.Globalization;
using DezhiHub.Domain.Attendance;

namespace DezhiHub.Web.Platform.Localization;

/// <summary>
/// Service time as every page, certificate and export shows it: hours from whole minutes, one decimal, rounded half
/// up (<see cref="ServiceHours.RoundedHours"/>), so the same minutes read the same everywhere.
/// </summary>
public static class HoursText
{
    /// <summary>"1.5", "2", "0.1" — at most one decimal; <paramref name="format"/> may fix the decimal ("0.0") or group thousands.</summary>
    public static string Format(long minutes, string format = "0.#") =>
        ServiceHours.RoundedHours(minutes).ToString(format, CultureInfo.CurrentCulture);

    /// <summary>The same value as a number, for spreadsheet cells.</summary>
    public static double Value(long minutes) => (double)ServiceHours.RoundedHours(minutes);
}
