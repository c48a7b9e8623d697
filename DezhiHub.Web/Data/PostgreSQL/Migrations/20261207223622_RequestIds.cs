using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class RequestIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RequestId",
                table: "Redemptions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RequestId",
                table: "Bookings",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Redemptions_UserId_RequestId",
                table: "Redemptions",
                columns: new[] { "UserId", "RequestId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_ApplicantUserId_RequestId",
                table: "Bookings",
                columns: new[] { "ApplicantUserId", "RequestId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Redemptions_UserId_RequestId",
                table: "Redemptions");

            migrationBuilder.DropIndex(
                name: "IX_Bookings_ApplicantUserId_RequestId",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "RequestId",
                table: "Redemptions");

            migrationBuilder.DropColumn(
                name: "RequestId",
                table: "Bookings");
        }
    }
}
