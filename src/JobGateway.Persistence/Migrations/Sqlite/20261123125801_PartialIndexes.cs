using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobGateway.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PartialIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_ClientId_ExternalRef",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_Status_LeaseExpiresAt",
                table: "Jobs");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_ClientId_ExternalRef",
                table: "Jobs",
                columns: new[] { "ClientId", "ExternalRef" },
                filter: "\"ExternalRef\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_RunningLeaseExpiresAt",
                table: "Jobs",
                column: "LeaseExpiresAt",
                filter: "\"Status\" = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_ClientId_ExternalRef",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_RunningLeaseExpiresAt",
                table: "Jobs");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_ClientId_ExternalRef",
                table: "Jobs",
                columns: new[] { "ClientId", "ExternalRef" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Status_LeaseExpiresAt",
                table: "Jobs",
                columns: new[] { "Status", "LeaseExpiresAt" });
        }
    }
}
