using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;
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

    public DbSet<JobEvent> JobEvents => Set<JobEvent>();

    /// <summary>
    /// Writes every status move of the tracked jobs to the outbox in the same transaction as the jobs
    /// themselves: a change is never notified without being stored, nor stored without being notified.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var moved = ChangeTracker.Entries<Job>()
            .Where(e => e.Entity.StatusChanges.Count > 0 && e.State is EntityState.Modified or EntityState.Unchanged)
            .Select(e => e.Entity)
            .ToList();
        foreach (var job in moved)
        {
            JobEvents.AddRange(job.StatusChanges.Select(change => JobEvent.For(job, change)));
        }

        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        foreach (var job in moved)
        {
            job.AcceptStatusChanges();
        }

        return written;
    }

    /// <summary>The single-job reads compiled for this provider's model.</summary>
    internal abstract Stores.CompiledJobReads CompiledReads { get; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("The gateway saves asynchronously only, so the outbox is always written.");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly);
    }
}
