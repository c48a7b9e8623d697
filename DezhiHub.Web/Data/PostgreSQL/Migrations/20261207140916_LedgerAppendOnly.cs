using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.PostgreSQL.Migrations
{
    /// <summary>
    /// The points and hours ledgers are append-only (decision 0005): a PL/pgSQL trigger function refuses every UPDATE,
    /// DELETE and TRUNCATE of <c>PointsEntries</c> and <c>HoursEntries</c>, as SQLite's RAISE(ABORT) triggers do.
    /// </summary>
    public partial class LedgerAppendOnly : Migration
    {
        private static readonly string[] Ledgers = ["PointsEntries", "HoursEntries"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION "ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'ledger rows are append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
                END;
                $$;
                """);
            foreach (var table in Ledgers)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_AppendOnly" BEFORE UPDATE OR DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
                    CREATE TRIGGER "TR_{table}_NoTruncate" BEFORE TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_append_only"();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Ledgers)
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER "TR_{table}_AppendOnly" ON "{table}";
                    DROP TRIGGER "TR_{table}_NoTruncate" ON "{table}";
                    """);
            }

            migrationBuilder.Sql("""DROP FUNCTION "ledger_append_only"();""");
        }
    }
}
