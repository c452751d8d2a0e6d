using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence;

/// <summary>
/// The model shared by every provider. Each provider has a subclass of its own so that each keeps its own
/// migration set (SQLite and PostgreSQL differ in identity columns and types).
/// </summary>
public abstract class GatewayDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<Client> Clients => Set<Client>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AccountTask> AccountTasks => Set<AccountTask>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly);
    }
}
