using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobGateway.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropJobsCreatedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_CreatedAt",
                table: "Jobs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Jobs_CreatedAt",
                table: "Jobs",
                column: "CreatedAt");
        }
    }
}
