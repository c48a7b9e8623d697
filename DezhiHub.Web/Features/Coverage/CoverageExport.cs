using System.Globalization;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Coverage;

/// <summary>
/// The matrix as a spreadsheet a district office can file: a title line, then one block per metric (activities,
/// sign-ups, hours) laid out like the page — units down, the eight entries across, totals at the right and the bottom.
/// The same rows feed the CSV and the .xlsx export.
/// </summary>
public static class CoverageExport
{
    public static string Title(CoverageMatrix matrix, IStringLocalizer<Strings> strings) =>
        strings["Coverage.ExportTitle", matrix.NodeFullName, Period(matrix, strings)];

    /// <summary>"2026-01-01 至 2026-12-31": the period with its inclusive last day, as people say it.</summary>
    public static string Period(CoverageMatrix matrix, IStringLocalizer<Strings> strings) =>
        strings["Coverage.Period", Iso(matrix.From), Iso(matrix.To.AddDays(-1))];

    public static IReadOnlyList<IReadOnlyList<object?>> Rows(CoverageMatrix matrix, IStringLocalizer<Strings> strings)
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var metric in Enum.GetValues<CoverageMetric>())
        {
            rows.Add([]);
            rows.Add([MetricLabel(metric, matrix.HoursBasis, strings), .. CoverageMatrix.Entries.Select(e => (object?)strings[$"Entry.{e}"].Value), strings["Coverage.Total"].Value]);
            foreach (var row in matrix.Rows)
            {
                rows.Add([RowLabel(row, strings), .. row.Cells.Select(c => (object?)Value(c, metric)), Value(row.Total, metric)]);
            }

            rows.Add([strings["Coverage.Total"].Value, .. matrix.ColumnTotals.Select(c => (object?)Value(c, metric)), Value(matrix.GrandTotal, metric)]);
        }

        return rows;
    }

    public static string Csv(CoverageMatrix matrix, IStringLocalizer<Strings> strings)
    {
        var lines = new List<string> { Platform.Files.Csv.Row([Title(matrix, strings)]) };
        lines.AddRange(Rows(matrix, strings).Select(row => Platform.Files.Csv.Row(row.Select(v => v switch
        {
            double d => d.ToString("0.#", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v?.ToString() ?? "",
        }))));
        return string.Join("\r\n", lines) + "\r\n";
    }

    public static byte[] Xlsx(CoverageMatrix matrix, IStringLocalizer<Strings> strings) =>
        Platform.Files.Xlsx.Write(strings["Coverage.Sheet"], [Title(matrix, strings)], Rows(matrix, strings));

    public static string MetricLabel(CoverageMetric metric, CoverageHoursBasis basis, IStringLocalizer<Strings> strings) =>
        metric == CoverageMetric.Hours && basis == CoverageHoursBasis.Credited ? strings["Coverage.Metric.Hours.Credited"] : strings[$"Coverage.Metric.{metric}"];

    /// <summary>A row's name: "本级（城区）" for the node's own activities, "(已停用)" after a retired unit.</summary>
    public static string RowLabel(CoverageRow row, IStringLocalizer<Strings> strings) =>
        row.IsHostLevel ? $"{strings["Coverage.HostLevel"]}（{row.Name}）"
        : row.IsRetired ? $"{row.Name}（{strings["Org.Retired"]}）"
        : row.Name;

    private static double Value(CoverageCell cell, CoverageMetric metric) =>
        metric == CoverageMetric.Hours ? HoursText.Value(CoverageCell.MinutesOf(cell.Hours)) : cell.Value(metric);

    private static string Iso(DateOnly date) => DateText.Iso(date);
}
