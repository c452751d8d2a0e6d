using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobGateway.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClientLimitsAndPendingClientIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CreateBurst",
                table: "Clients",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CreatesPerSecond",
                table: "Clients",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxPendingJobs",
                table: "Clients",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_PendingClientTypeNumber",
                table: "Jobs",
                columns: new[] { "ClientId", "Type", "Number" },
                filter: "\"Status\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_PendingClientTypeNumber",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "CreateBurst",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "CreatesPerSecond",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "MaxPendingJobs",
                table: "Clients");
        }
    }
}
