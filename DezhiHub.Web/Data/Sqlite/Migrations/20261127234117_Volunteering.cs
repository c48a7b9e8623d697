using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Volunteering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HoursEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ActorUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HoursEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HoursEntries_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PointsAwards",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Points = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestedByUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedByUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RejectReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PointsAwards", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PointsAwards_AspNetUsers_DecidedByUserId",
                        column: x => x.DecidedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PointsAwards_AspNetUsers_RequestedByUserId",
                        column: x => x.RequestedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PointsAwards_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PointsEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Delta = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BalanceAfter = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ActorUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PointsEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PointsEntries_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RewardItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PictureFile = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    PointsCost = table.Column<int>(type: "INTEGER", nullable: false),
                    Stock = table.Column<int>(type: "INTEGER", nullable: false),
                    PerPersonLimit = table.Column<int>(type: "INTEGER", nullable: true),
                    PartnerUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    OrgNodeId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    ValidFromUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ValidUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RewardItems", x => x.Id);
                    table.CheckConstraint("CK_RewardItems_Stock", "\"Stock\" >= 0");
                    table.ForeignKey(
                        name: "FK_RewardItems_AspNetUsers_PartnerUserId",
                        column: x => x.PartnerUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardItems_OrgNodes_OrgNodeId",
                        column: x => x.OrgNodeId,
                        principalTable: "OrgNodes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VolunteerPeriodTotals",
                columns: table => new
                {
                    Period = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Minutes = table.Column<long>(type: "INTEGER", nullable: false),
                    PointsEarned = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VolunteerPeriodTotals", x => new { x.Period, x.UserId });
                    table.ForeignKey(
                        name: "FK_VolunteerPeriodTotals_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "VolunteerProfiles",
                columns: table => new
                {
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Skills = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IdLast4 = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TotalMinutes = table.Column<long>(type: "INTEGER", nullable: false),
                    PointsBalance = table.Column<int>(type: "INTEGER", nullable: false),
                    PointsEarned = table.Column<int>(type: "INTEGER", nullable: false),
                    StarLevel = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VolunteerProfiles", x => x.UserId);
                    table.CheckConstraint("CK_VolunteerProfiles_Balance", "\"PointsBalance\" >= 0");
                    table.ForeignKey(
                        name: "FK_VolunteerProfiles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Redemptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Points = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedByUserId = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Redemptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Redemptions_AspNetUsers_ClosedByUserId",
                        column: x => x.ClosedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Redemptions_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Redemptions_RewardItems_ItemId",
                        column: x => x.ItemId,
                        principalTable: "RewardItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HoursEntries_SourceKey",
                table: "HoursEntries",
                column: "SourceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HoursEntries_UserId_Id",
                table: "HoursEntries",
                columns: new[] { "UserId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PointsAwards_DecidedByUserId",
                table: "PointsAwards",
                column: "DecidedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_PointsAwards_RequestedByUserId",
                table: "PointsAwards",
                column: "RequestedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_PointsAwards_Status_RequestedAtUtc",
                table: "PointsAwards",
                columns: new[] { "Status", "RequestedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PointsAwards_UserId",
                table: "PointsAwards",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_PointsEntries_SourceKey",
                table: "PointsEntries",
                column: "SourceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PointsEntries_UserId_Id",
                table: "PointsEntries",
                columns: new[] { "UserId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Redemptions_ClosedByUserId",
                table: "Redemptions",
                column: "ClosedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Redemptions_ItemId_ClosedAtUtc",
                table: "Redemptions",
                columns: new[] { "ItemId", "ClosedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Redemptions_Status_ExpiresAtUtc",
                table: "Redemptions",
                columns: new[] { "Status", "ExpiresAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Redemptions_UserId_ItemId_Status",
                table: "Redemptions",
                columns: new[] { "UserId", "ItemId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_RewardItems_OrgNodeId",
                table: "RewardItems",
                column: "OrgNodeId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardItems_OrgPath_IsRetired",
                table: "RewardItems",
                columns: new[] { "OrgPath", "IsRetired" });

            migrationBuilder.CreateIndex(
                name: "IX_RewardItems_PartnerUserId",
                table: "RewardItems",
                column: "PartnerUserId");

            migrationBuilder.CreateIndex(
                name: "IX_VolunteerPeriodTotals_Period_Minutes",
                table: "VolunteerPeriodTotals",
                columns: new[] { "Period", "Minutes" });

            migrationBuilder.CreateIndex(
                name: "IX_VolunteerPeriodTotals_Period_PointsEarned",
                table: "VolunteerPeriodTotals",
                columns: new[] { "Period", "PointsEarned" });

            migrationBuilder.CreateIndex(
                name: "IX_VolunteerPeriodTotals_UserId",
                table: "VolunteerPeriodTotals",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_VolunteerProfiles_PointsEarned",
                table: "VolunteerProfiles",
                column: "PointsEarned");

            migrationBuilder.CreateIndex(
                name: "IX_VolunteerProfiles_TotalMinutes",
                table: "VolunteerProfiles",
                column: "TotalMinutes");

            // The ledgers are append-only: the database itself refuses UPDATE and DELETE.
            migrationBuilder.Sql("""CREATE TRIGGER "TR_PointsEntries_NoUpdate" BEFORE UPDATE ON "PointsEntries" BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;""");
            migrationBuilder.Sql("""CREATE TRIGGER "TR_PointsEntries_NoDelete" BEFORE DELETE ON "PointsEntries" BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;""");
            migrationBuilder.Sql("""CREATE TRIGGER "TR_HoursEntries_NoUpdate" BEFORE UPDATE ON "HoursEntries" BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;""");
            migrationBuilder.Sql("""CREATE TRIGGER "TR_HoursEntries_NoDelete" BEFORE DELETE ON "HoursEntries" BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HoursEntries");

            migrationBuilder.DropTable(
                name: "PointsAwards");

            migrationBuilder.DropTable(
                name: "PointsEntries");

            migrationBuilder.DropTable(
                name: "Redemptions");

            migrationBuilder.DropTable(
                name: "VolunteerPeriodTotals");

            migrationBuilder.DropTable(
                name: "VolunteerProfiles");

            migrationBuilder.DropTable(
                name: "RewardItems");
        }
    }
}
