using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobGateway.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PendingClaimIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_Status_Type_RunAfter",
                table: "Jobs");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_PendingTypeNumber",
                table: "Jobs",
                columns: new[] { "Type", "Number" },
                filter: "\"Status\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_PendingTypeNumber",
                table: "Jobs");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Status_Type_RunAfter",
                table: "Jobs",
                columns: new[] { "Status", "Type", "RunAfter" });
        }
    }
}
