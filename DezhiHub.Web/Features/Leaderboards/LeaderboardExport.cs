using System.Globalization;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Leaderboards;

/// <summary>
/// The two reports as spreadsheets: hours and points per volunteer, and per unit (the chosen node's children). A title
/// line, a header, the rows; per unit also a total. The same rows feed the CSV and the .xlsx export.
/// </summary>
public static class LeaderboardExport
{
    public static string Title<T>(LeaderboardReport<T> report, string titleKey, IStringLocalizer<Strings> strings) =>
        strings[titleKey, report.NodeFullName, LeaderboardText.PeriodLabel(strings, report.Period, report.PeriodKey)];

    public static IReadOnlyList<string> VolunteerHeader(IStringLocalizer<Strings> strings) =>
    [
        strings["Leaderboard.Column.Name"], strings["Leaderboard.Column.Phone"], strings["Leaderboard.Column.Community"], strings["Leaderboard.Column.Hours"],
        strings["Leaderboard.Column.PointsEarned"], strings["Leaderboard.Column.Balance"], strings["Leaderboard.Column.Stars"],
    ];

    public static IEnumerable<IReadOnlyList<object?>> VolunteerRows(LeaderboardReport<VolunteerTotalsRow> report) =>
        report.Rows.Select(r => (IReadOnlyList<object?>)[r.RealName, r.PhoneMasked, r.Community ?? "", LeaderboardText.Hours(r.Minutes), r.PointsEarned, r.PointsBalance, r.StarLevel]);

    public static IReadOnlyList<string> UnitHeader(IStringLocalizer<Strings> strings) =>
        [strings["Leaderboard.Column.Unit"], strings["Leaderboard.Column.Volunteers"], strings["Leaderboard.Column.Hours"], strings["Leaderboard.Column.PointsEarned"]];

    public static IEnumerable<IReadOnlyList<object?>> UnitRows(LeaderboardReport<UnitTotalsRow> report, IStringLocalizer<Strings> strings)
    {
        foreach (var r in report.Rows)
        {
            yield return [r.IsHostLevel ? strings["Leaderboard.HostLevel", r.Name].Value : r.Name, r.Volunteers, LeaderboardText.Hours(r.Minutes), r.PointsEarned];
        }

        yield return [strings["Leaderboard.Total"].Value, report.Rows.Sum(r => r.Volunteers), LeaderboardText.Hours(report.Rows.Sum(r => r.Minutes)), report.Rows.Sum(r => r.PointsEarned)];
    }

    public static string VolunteersCsv(LeaderboardReport<VolunteerTotalsRow> report, IStringLocalizer<Strings> strings) =>
        Csv(Title(report, "Leaderboard.VolunteersTitle", strings), VolunteerHeader(strings), VolunteerRows(report));

    public static byte[] VolunteersXlsx(LeaderboardReport<VolunteerTotalsRow> report, IStringLocalizer<Strings> strings) =>
        Xlsx.Write(strings["Leaderboard.VolunteersSheet"], [Title(report, "Leaderboard.VolunteersTitle", strings)], [VolunteerHeader(strings), .. VolunteerRows(report)]);

    public static string UnitsCsv(LeaderboardReport<UnitTotalsRow> report, IStringLocalizer<Strings> strings) =>
        Csv(Title(report, "Leaderboard.UnitsTitle", strings), UnitHeader(strings), UnitRows(report, strings));

    public static byte[] UnitsXlsx(LeaderboardReport<UnitTotalsRow> report, IStringLocalizer<Strings> strings) =>
        Xlsx.Write(strings["Leaderboard.UnitsSheet"], [Title(report, "Leaderboard.UnitsTitle", strings)], [UnitHeader(strings), .. UnitRows(report, strings)]);

    private static string Csv(string title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var lines = new List<string> { Platform.Files.Csv.Row([title]), Platform.Files.Csv.Row(header) };
        lines.AddRange(rows.Select(row => Platform.Files.Csv.Row(row.Select(v => v switch
        {
            double d => d.ToString("0.#", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v?.ToString() ?? "",
        }))));
        return string.Join("\r\n", lines) + "\r\n";
    }
}
