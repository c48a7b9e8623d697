using DezhiHub.Domain;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml;

namespace DezhiHub.Web.Platform.Files;

/// <summary>
/// One-sheet Excel (.xlsx) exports with Microsoft's Open XML SDK: a header row, then the rows; numbers stay
/// numbers, text is written inline (formulas are never written, so nothing in a cell can run).
/// </summary>
public static class Xlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(string sheetName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var worksheet = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(Row(header.Cast<object?>().ToList()));
            foreach (var row in rows)
            {
                data.Append(Row(row));
            }

            worksheet.Worksheet = new Worksheet(data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            // Excel allows 31 characters and no []:*?/\ in a sheet name.
            var name = new string([.. sheetName.Where(c => !"[]:*?/\\".Contains(c))]);
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(worksheet), SheetId = 1, Name = name.Length > 31 ? name[..31] : name });
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static Row Row(IReadOnlyList<object?> values)
    {
        var row = new Row();
        foreach (var value in values)
        {
            row.Append(value switch
            {
                int or long or double or decimal or float => new Cell
                {
                    DataType = CellValues.Number,
                    CellValue = new CellValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
                },
                _ => new Cell
                {
                    DataType = CellValues.InlineString,
                    // Text, never a formula; without invisible or control characters (XML cannot even carry most C0 ones).
                    InlineString = new InlineString(new Text(PersonText.CleanMultiline(value?.ToString())) { Space = SpaceProcessingModeValues.Preserve }),
                },
            });
        }

        return row;
    }
}
