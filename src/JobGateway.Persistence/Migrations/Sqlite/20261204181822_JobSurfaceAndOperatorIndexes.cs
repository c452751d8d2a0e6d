using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobGateway.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class JobSurfaceAndOperatorIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Surface",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Jobs stored before the column: the surfaces whose jobs tell them apart (T2A creates "t2a" jobs, the
            // scheduler's account-task runs carry its idempotency key); every other job reads as native.
            migrationBuilder.Sql("UPDATE \"Jobs\" SET \"Surface\" = 2 WHERE \"Type\" = 't2a'");
            migrationBuilder.Sql(
                "UPDATE \"Jobs\" SET \"Surface\" = CASE WHEN \"IdempotencyKey\" LIKE 'account-task:%' THEN 4 ELSE 3 END " +
                "WHERE \"Type\" = 'account-task'");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_CreatedAt",
                table: "Jobs",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Finished",
                table: "Jobs",
                columns: new[] { "ClientId", "Status", "Type", "FinishedAt" },
                filter: "\"FinishedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_CreatedAt",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_Finished",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Surface",
                table: "Jobs");
        }
    }
}
