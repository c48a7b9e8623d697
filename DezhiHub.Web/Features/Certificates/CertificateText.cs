using System.Globalization;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Certificates;

/// <summary>How certificates write hours and dates, the same on the list, the printable page and the verification page.</summary>
public static class CertificateText
{
    /// <summary>Hours with one fixed decimal, as a formal document writes them: 90 minutes → "1.5", 120 → "2.0".</summary>
    public static string Hours(int minutes) => HoursText.Format(minutes, "0.0");

    /// <summary>A date written out: "2026年11月27日" / "November 27, 2026".</summary>
    public static string Date(IStringLocalizer<Strings> strings, DateOnly date) =>
        date.ToString(strings["Certificate.DateFormat"], CultureInfo.CurrentCulture);

    public static string Period(IStringLocalizer<Strings> strings, DateOnly from, DateOnly to) =>
        strings["Certificate.PeriodValue", Date(strings, from), Date(strings, to)];

    /// <summary>The number printed on a certificate: its id, zero-padded.</summary>
    public static string Number(int id) => id.ToString("D6", CultureInfo.InvariantCulture);
}
