using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CoverageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_StartUtc_Status",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_Coverage",
                table: "Activities",
                columns: new[] { "StartUtc", "Status", "OrgPath", "Entry", "ConfirmedCount", "EndUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_Coverage",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_StartUtc_Status",
                table: "Activities",
                columns: new[] { "StartUtc", "Status" });
        }
    }
}
