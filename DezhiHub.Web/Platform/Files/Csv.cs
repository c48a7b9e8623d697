using System.Text;
using DezhiHub.Domain;

namespace DezhiHub.Web.Platform.Files;

/// <summary>
/// CSV for spreadsheet programs: every field quoted, invisible and direction control characters removed (text stored
/// before <see cref="PersonText"/> cleaned it), formulas neutralised, UTF-8 with a BOM so Excel reads Chinese.
/// </summary>
public static class Csv
{
    public static string Row(IEnumerable<string> fields) => string.Join(",", fields.Select(Field));

    public static string Field(string value)
    {
        // Cleaned first: a formula hidden behind a zero-width space would otherwise surface after someone removes it.
        value = PersonText.CleanMultiline(value);
        // A leading = + - @ would make Excel run the cell as a formula (CSV injection).
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
}
