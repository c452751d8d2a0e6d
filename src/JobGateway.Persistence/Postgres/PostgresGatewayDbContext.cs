using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobGateway.Persistence.Postgres;

/// <summary>
/// The PostgreSQL model; its migrations live in <c>Migrations/Postgres</c>. The shared configurations need no
/// change here: <c>Number</c> and the event ids become identity columns (one sequence, so numbers stay
/// unique and increasing across every instance), timestamps <c>timestamptz</c> (all of ours are UTC), and
/// the filtered indexes' filters quote their identifiers, which PostgreSQL reads as SQLite does.
/// </summary>
public sealed class PostgresGatewayDbContext(DbContextOptions<PostgresGatewayDbContext> options) : GatewayDbContext(options)
{
    private static readonly Stores.CompiledJobReads Reads = new();

    internal override Stores.CompiledJobReads CompiledReads => Reads;
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without starting the host or reaching a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGatewayDbContext>
{
    public PostgresGatewayDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGatewayDbContext>().UseNpgsql("Host=localhost;Database=jobgateway_design").Options);
}
