using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CheckInWindowAndCards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CardVersion",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "CheckInOpensMinutesBefore",
                table: "Activities",
                type: "INTEGER",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<int>(
                name: "WalkInCount",
                table: "Activities",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Walk-ins already checked in: attendance without a confirmed sign-up (statuses are stored by name).
            migrationBuilder.Sql("""
                UPDATE "Activities" SET "WalkInCount" = (
                    SELECT COUNT(*) FROM "Attendance" AS t
                    WHERE t."ActivityId" = "Activities"."Id"
                      AND NOT EXISTS (SELECT 1 FROM "Registrations" AS r
                                      WHERE r."ActivityId" = t."ActivityId" AND r."UserId" = t."UserId" AND r."Status" = 'Confirmed'));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CardVersion",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "CheckInOpensMinutesBefore",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "WalkInCount",
                table: "Activities");
        }
    }
}
