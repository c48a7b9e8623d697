using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.Sqlite.Migrations
{
    /// <summary>
    /// A wedding service's weekly hours, dated sessions, closed dates and photos: from delimited text to JSON (the
    /// shapes of <c>JsonColumns</c>). The columns stay TEXT; only their contents change, row by row, both ways.
    /// </summary>
    public partial class ScheduleJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // "08:30-17:30,,,,,,," → [{"Open":"08:30","Close":"17:30"},null,…]; "yyyy-MM-dd HH:mm-HH:mm" lines →
            // [{"Start":"yyyy-MM-ddTHH:mm:00","End":…}]: split by a recursive query, rebuilt in order.
            migrationBuilder.Sql("""
                WITH RECURSIVE part(Id, Item, Rest, Idx) AS (
                    SELECT "Id", NULL, "Hours" || ',', 0 FROM "WeddingResources"
                    UNION ALL
                    SELECT Id, substr(Rest, 1, instr(Rest, ',') - 1), substr(Rest, instr(Rest, ',') + 1), Idx + 1 FROM part WHERE Rest <> ''
                )
                UPDATE "WeddingResources" SET "Hours" = (
                    SELECT json_group_array(CASE WHEN Item = '' THEN NULL
                        ELSE json_object('Open', substr(Item, 1, 5), 'Close', substr(Item, 7, 5)) END ORDER BY Idx)
                    FROM part WHERE part.Id = "WeddingResources"."Id" AND Idx > 0);
                """);
            migrationBuilder.Sql("""
                WITH RECURSIVE part(Id, Item, Rest, Idx) AS (
                    SELECT "Id", NULL, "Sessions" || char(10), 0 FROM "WeddingResources" WHERE "Sessions" <> ''
                    UNION ALL
                    SELECT Id, substr(Rest, 1, instr(Rest, char(10)) - 1), substr(Rest, instr(Rest, char(10)) + 1), Idx + 1 FROM part WHERE Rest <> ''
                )
                UPDATE "WeddingResources" SET "Sessions" = (
                    SELECT json_group_array(json_object(
                        'Start', substr(Item, 1, 10) || 'T' || substr(Item, 12, 5) || ':00',
                        'End', substr(Item, 1, 10) || 'T' || substr(Item, 18, 5) || ':00') ORDER BY Idx)
                    FROM part WHERE part.Id = "WeddingResources"."Id" AND Idx > 0 AND Item <> '');
                """);
            // Dates and the generated photo file names hold no quotes or backslashes.
            migrationBuilder.Sql("""
                UPDATE "WeddingResources" SET
                    "BlackoutDates" = CASE WHEN "BlackoutDates" = '' THEN '[]' ELSE '["' || replace("BlackoutDates", ',', '","') || '"]' END,
                    "Photos" = CASE WHEN "Photos" = '' THEN '[]' ELSE '["' || replace("Photos", ',', '","') || '"]' END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "WeddingResources" SET
                    "Hours" = (SELECT group_concat(CASE WHEN type = 'null' THEN ''
                        ELSE json_extract(value, '$.Open') || '-' || json_extract(value, '$.Close') END, ',' ORDER BY key) FROM json_each("Hours")),
                    "Sessions" = COALESCE((SELECT group_concat(
                        substr(json_extract(value, '$.Start'), 1, 10) || ' ' || substr(json_extract(value, '$.Start'), 12, 5) || '-' || substr(json_extract(value, '$.End'), 12, 5),
                        char(10) ORDER BY key) FROM json_each("Sessions")), ''),
                    "BlackoutDates" = COALESCE((SELECT group_concat(value, ',' ORDER BY key) FROM json_each("BlackoutDates")), ''),
                    "Photos" = COALESCE((SELECT group_concat(value, ',' ORDER BY key) FROM json_each("Photos")), '');
                """);
        }
    }
}
