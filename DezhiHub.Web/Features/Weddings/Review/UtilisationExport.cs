using System.Globalization;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The utilisation report as a sheet a district office can pivot: one row per hall and month, then the hall's year,
/// and the same for all halls together. The same rows feed the CSV and the .xlsx export.
/// </summary>
public static class UtilisationExport
{
    public static IReadOnlyList<string> Header(IStringLocalizer<Strings> strings) =>
    [
        strings["Utilisation.Hall"], strings["Utilisation.Org"], strings["Utilisation.Month"], strings["Utilisation.Offered"],
        strings["Utilisation.Booked"], strings["Utilisation.Completed"], strings["Utilisation.NoShows"], strings["Utilisation.Rate"],
    ];

    public static IReadOnlyList<IReadOnlyList<object?>> Rows(UtilisationReport report, IStringLocalizer<Strings> strings)
    {
        var rows = new List<IReadOnlyList<object?>>();
        void Add(string hall, string org, IReadOnlyList<UtilisationCell> months, UtilisationCell year)
        {
            for (var m = 0; m < 12; m++)
            {
                rows.Add(Row(hall, org, MonthKey(report.Year, m + 1), months[m]));
            }

            rows.Add(Row(hall, org, strings["Utilisation.YearTotal"].Value + " " + report.Year.ToString(CultureInfo.InvariantCulture), year));
        }

        foreach (var hall in report.Halls)
        {
            Add(HallName(hall, strings), hall.OrgName, hall.Months, hall.Year);
        }

        Add(strings["Utilisation.AllHalls"], "", report.MonthTotals, report.Total);
        return rows;
    }

    public static string Csv(UtilisationReport report, IStringLocalizer<Strings> strings)
    {
        var lines = new List<string> { Platform.Files.Csv.Row(Header(strings)) };
        lines.AddRange(Rows(report, strings).Select(row => Platform.Files.Csv.Row(row.Select(v => v switch
        {
            double d => d.ToString("0.0", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v?.ToString() ?? "",
        }))));
        return string.Join("\r\n", lines) + "\r\n";
    }

    public static byte[] Xlsx(UtilisationReport report, IStringLocalizer<Strings> strings) =>
        Platform.Files.Xlsx.Write($"{strings["Utilisation.Sheet"]} {report.Year.ToString(CultureInfo.InvariantCulture)}", Header(strings), Rows(report, strings));

    public static string FileName(UtilisationReport report, string extension) =>
        FormattableString.Invariant($"hall-utilisation-{report.Year}.{extension}");

    /// <summary>A hall's name, marked when it is no longer offered.</summary>
    public static string HallName(UtilisationRow hall, IStringLocalizer<Strings> strings) =>
        hall.IsRetired ? $"{hall.Name}（{strings["Utilisation.Retired"]}）" : hall.Name;

    private static string MonthKey(int year, int month) => FormattableString.Invariant($"{year:D4}-{month:D2}");

    // A month without offered slots has no rate: an empty cell, not 0 %.
    private static IReadOnlyList<object?> Row(string hall, string org, string month, UtilisationCell cell) =>
        [hall, org, month, cell.Offered, cell.Booked, cell.Completed, cell.NoShows, cell.Rate];
}
