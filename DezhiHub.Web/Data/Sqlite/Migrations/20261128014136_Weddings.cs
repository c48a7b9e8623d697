using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DezhiHub.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Weddings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LotteryDates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DeadlineUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DrawnAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Seed = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LotteryDates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PledgeItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PledgeItems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WeddingPledges",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicantUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    PartnerName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PartnerMobile = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PartnerUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    WeddingDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ItemsText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    OrgNodeId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SignedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedByUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    RejectReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WeddingPledges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WeddingPledges_AspNetUsers_ApplicantUserId",
                        column: x => x.ApplicantUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WeddingResources",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Location = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Seats = table.Column<int>(type: "INTEGER", nullable: true),
                    PriceCapYuan = table.Column<int>(type: "INTEGER", nullable: true),
                    Counsellor = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    ProviderUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    OrgNodeId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrgPath = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Hours = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SlotMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    BufferMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    Sessions = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    BlackoutDates = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    IsRetired = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Rules_CancelCutoffHours = table.Column<int>(type: "INTEGER", nullable: false),
                    Rules_HouseholdLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    Rules_MaxAdvanceDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Rules_MinNoticeDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Rules_RequiresApproval = table.Column<bool>(type: "INTEGER", nullable: false),
                    Rules_ReviewWithinHours = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WeddingResources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WeddingResources_AspNetUsers_ProviderUserId",
                        column: x => x.ProviderUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WeddingResources_OrgNodes_OrgNodeId",
                        column: x => x.OrgNodeId,
                        principalTable: "OrgNodes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Bookings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ApplicantUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    PartnerName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SlotStartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SlotEndUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReviewDueUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedByUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ArrivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReminderSentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bookings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Bookings_AspNetUsers_ApplicantUserId",
                        column: x => x.ApplicantUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Bookings_WeddingResources_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "WeddingResources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SlotCounts",
                columns: table => new
                {
                    ResourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    SlotStartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Taken = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlotCounts", x => new { x.ResourceId, x.SlotStartUtc });
                    table.CheckConstraint("CK_SlotCounts_Taken", "\"Taken\" >= 0");
                    table.ForeignKey(
                        name: "FK_SlotCounts_WeddingResources_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "WeddingResources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "BookingEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BookingId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActorUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BookingEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BookingEvents_Bookings_BookingId",
                        column: x => x.BookingId,
                        principalTable: "Bookings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SlotClaims",
                columns: table => new
                {
                    ResourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitStartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    BookingId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlotClaims", x => new { x.ResourceId, x.UnitStartUtc });
                    table.ForeignKey(
                        name: "FK_SlotClaims_Bookings_BookingId",
                        column: x => x.BookingId,
                        principalTable: "Bookings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SlotClaims_WeddingResources_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "WeddingResources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BookingEvents_BookingId",
                table: "BookingEvents",
                column: "BookingId");

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_ApplicantUserId_Status",
                table: "Bookings",
                columns: new[] { "ApplicantUserId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_PlanId",
                table: "Bookings",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_ResourceId_SlotStartUtc",
                table: "Bookings",
                columns: new[] { "ResourceId", "SlotStartUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_Status_ReviewDueUtc",
                table: "Bookings",
                columns: new[] { "Status", "ReviewDueUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_LotteryDates_Date",
                table: "LotteryDates",
                column: "Date",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SlotClaims_BookingId",
                table: "SlotClaims",
                column: "BookingId");

            migrationBuilder.CreateIndex(
                name: "IX_WeddingPledges_ApplicantUserId",
                table: "WeddingPledges",
                column: "ApplicantUserId",
                unique: true,
                filter: "\"Status\" <> 'Rejected'");

            migrationBuilder.CreateIndex(
                name: "IX_WeddingPledges_OrgPath_Status",
                table: "WeddingPledges",
                columns: new[] { "OrgPath", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_WeddingResources_Kind_OrgPath",
                table: "WeddingResources",
                columns: new[] { "Kind", "OrgPath" });

            migrationBuilder.CreateIndex(
                name: "IX_WeddingResources_OrgNodeId",
                table: "WeddingResources",
                column: "OrgNodeId");

            migrationBuilder.CreateIndex(
                name: "IX_WeddingResources_ProviderUserId",
                table: "WeddingResources",
                column: "ProviderUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BookingEvents");

            migrationBuilder.DropTable(
                name: "LotteryDates");

            migrationBuilder.DropTable(
                name: "PledgeItems");

            migrationBuilder.DropTable(
                name: "SlotClaims");

            migrationBuilder.DropTable(
                name: "SlotCounts");

            migrationBuilder.DropTable(
                name: "WeddingPledges");

            migrationBuilder.DropTable(
                name: "Bookings");

            migrationBuilder.DropTable(
                name: "WeddingResources");
        }
    }
}
