using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WaitlistNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "WaitlistNumber",
                table: "Registrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WaitlistIssued",
                table: "Activities",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_ActivityId_WaitlistNumber",
                table: "Registrations",
                columns: new[] { "ActivityId", "WaitlistNumber" },
                unique: true);

            // Today's queues keep the order they had (sign-up time, then id).
            migrationBuilder.Sql(WaitlistSql.NumberUnnumbered);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Registrations_ActivityId_WaitlistNumber",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "WaitlistNumber",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "WaitlistIssued",
                table: "Activities");
        }
    }
}
