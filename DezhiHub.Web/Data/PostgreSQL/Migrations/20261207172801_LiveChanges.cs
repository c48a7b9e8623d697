using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.PostgreSQL.Migrations
{
    /// <summary>
    /// Live changes across instances (decision 0016): after each statement that writes notifications, attendance or
    /// audit entries, one NOTIFY per distinct user / activity / org node on channel <c>dezhihub_live</c> (payload such
    /// as <c>attendance:42</c>), delivered at commit to every instance's listener and never for a rolled-back change.
    /// Statement triggers over the changed rows, so a bulk write (copy-data) is a handful of notifications, not one per row.
    /// </summary>
    public partial class LiveChanges : Migration
    {
        // The table, the change's name in the payload, the column holding its id, and the writes that signal.
        private static readonly (string Table, string Kind, string Column, string[] Events)[] Sources =
        [
            ("Notifications", "notifications", "UserId", ["INSERT", "UPDATE", "DELETE"]),
            ("Attendance", "attendance", "ActivityId", ["INSERT", "UPDATE", "DELETE"]),
            ("AuditEntries", "audit", "OrgNodeId", ["INSERT"]),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION "live_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- TG_ARGV[0]: the change's name; TG_ARGV[1]: the column with its id; "changed": the statement's rows.
                    EXECUTE format(
                        'SELECT pg_notify(''dezhihub_live'', %L || '':'' || ids.id) FROM (SELECT DISTINCT %I AS id FROM changed WHERE %I IS NOT NULL) AS ids',
                        TG_ARGV[0], TG_ARGV[1], TG_ARGV[1]);
                    RETURN NULL;
                END;
                $$;
                """);
            foreach (var (table, kind, column, events) in Sources)
            {
                foreach (var write in events)
                {
                    var rows = write == "DELETE" ? "OLD" : "NEW";
                    migrationBuilder.Sql($"""
                        CREATE TRIGGER "TR_{table}_Live{Name(write)}" AFTER {write} ON "{table}" REFERENCING {rows} TABLE AS changed
                            FOR EACH STATEMENT EXECUTE FUNCTION "live_change"('{kind}', '{column}');
                        """);
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _, _, events) in Sources)
            {
                foreach (var write in events)
                {
                    migrationBuilder.Sql($"""DROP TRIGGER "TR_{table}_Live{Name(write)}" ON "{table}";""");
                }
            }

            migrationBuilder.Sql("""DROP FUNCTION "live_change"();""");
        }

        private static string Name(string write) => write[..1] + write[1..].ToLowerInvariant();
    }
}
