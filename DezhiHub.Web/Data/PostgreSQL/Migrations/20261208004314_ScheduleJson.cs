using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.PostgreSQL.Migrations
{
    /// <summary>
    /// A wedding service's weekly hours, dated sessions, closed dates and photos: from delimited text to jsonb (the
    /// shapes of <c>JsonColumns</c>), converted in place both ways. A column's new type may not be computed by a
    /// subquery, so each conversion is a function of the one value.
    /// </summary>
    public partial class ScheduleJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "WeddingResources"
                    ALTER COLUMN "Hours" TYPE jsonb USING regexp_replace(
                        to_jsonb(array_replace(string_to_array("Hours", ','), '', NULL))::text,
                        '"(\d\d:\d\d)-(\d\d:\d\d)"', '{"Open":"\1","Close":"\2"}', 'g')::jsonb,
                    ALTER COLUMN "Sessions" TYPE jsonb USING ('[' || replace(regexp_replace("Sessions",
                        '(\d{4}-\d\d-\d\d) (\d\d:\d\d)-(\d\d:\d\d)', '{"Start":"\1T\2:00","End":"\1T\3:00"}', 'g'), E'\n', ',') || ']')::jsonb,
                    ALTER COLUMN "BlackoutDates" TYPE jsonb USING to_jsonb(string_to_array("BlackoutDates", ',')),
                    ALTER COLUMN "Photos" TYPE jsonb USING to_jsonb(string_to_array("Photos", ','));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // jsonb prints keys shortest first ({"Open": …, "Close": …}, {"End": …, "Start": …}) with ", " between items.
            migrationBuilder.Sql("""
                ALTER TABLE "WeddingResources"
                    ALTER COLUMN "Hours" TYPE character varying(100) USING translate(regexp_replace(replace("Hours"::text, 'null', ''),
                        '\{"Open": "(\d\d:\d\d)", "Close": "(\d\d:\d\d)"\}', '\1-\2', 'g'), '[] ', ''),
                    ALTER COLUMN "Sessions" TYPE character varying(4000) USING translate(replace(regexp_replace("Sessions"::text,
                        '\{"End": "\d{4}-\d\d-\d\dT(\d\d:\d\d):00", "Start": "(\d{4}-\d\d-\d\d)T(\d\d:\d\d):00"\}', '\2 \3-\1', 'g'), ', ', E'\n'), '[]', ''),
                    ALTER COLUMN "BlackoutDates" TYPE character varying(4000) USING translate("BlackoutDates"::text, '[]" ', ''),
                    ALTER COLUMN "Photos" TYPE character varying(200) USING translate("Photos"::text, '[]" ', '');
                """);
        }
    }
}
