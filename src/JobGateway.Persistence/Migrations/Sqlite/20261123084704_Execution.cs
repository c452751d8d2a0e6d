using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobGateway.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Execution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "WebhookNotification",
                table: "Clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "WebhookSecret",
                table: "Clients",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WebhookUrl",
                table: "Clients",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastOccurrence",
                table: "AccountTasks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "JobEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JobId = table.Column<Guid>(type: "TEXT", nullable: false),
                    JobNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    JobType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExternalRef = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    FromStatus = table.Column<int>(type: "INTEGER", nullable: false),
                    ToStatus = table.Column<int>(type: "INTEGER", nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TargetUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobEvents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_OneRunningExclusivePerClient",
                table: "Jobs",
                columns: new[] { "ClientId", "Type" },
                unique: true,
                filter: "\"Status\" = 1 AND \"Type\" IN ('billing-run', 'payment-run')");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Status_LeaseExpiresAt",
                table: "Jobs",
                columns: new[] { "Status", "LeaseExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_JobEvents_ClientId_JobId",
                table: "JobEvents",
                columns: new[] { "ClientId", "JobId" });

            migrationBuilder.CreateIndex(
                name: "IX_JobEvents_State_NextAttemptAt",
                table: "JobEvents",
                columns: new[] { "State", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JobEvents");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_OneRunningExclusivePerClient",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_Status_LeaseExpiresAt",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "WebhookNotification",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "WebhookSecret",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "WebhookUrl",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "LastOccurrence",
                table: "AccountTasks");
        }
    }
}
