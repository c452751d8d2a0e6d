using JobGateway.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JobGateway.Persistence.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    /// <summary>Types of which a client may have only one Running job at a time.</summary>
    public static readonly string[] ExclusiveTypes = ["billing-run", "payment-run"];

    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.ToTable("Jobs");

        // Number is the clustered key: inserts append to the end of the table's B-tree, and on SQLite it is
        // the rowid (AUTOINCREMENT: a number is never handed out twice, even after deletes).
        builder.HasKey(j => j.Number);
        builder.Property(j => j.Number).ValueGeneratedOnAdd();
        builder.HasIndex(j => j.Id).IsUnique();

        builder.Property(j => j.Type).HasMaxLength(64).IsRequired();
        builder.Property(j => j.Name).HasMaxLength(1024);
        builder.Property(j => j.ExternalRef).HasMaxLength(256);
        builder.Property(j => j.IdempotencyKey).HasMaxLength(256);
        builder.Property(j => j.RequestHash).HasMaxLength(64);
        builder.Property(j => j.ErrorCode).HasMaxLength(100);
        builder.Property(j => j.ErrorMessage).HasMaxLength(4000);
        builder.Property(j => j.LeaseOwner).HasMaxLength(200);
        builder.Property(j => j.Status).HasConversion<int>();
        builder.Property(j => j.Surface).HasConversion<int>();
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.Ignore(j => j.Error);
        builder.Ignore(j => j.IsFinished);
        builder.Ignore(j => j.IsCancellable);
        builder.Ignore(j => j.IsRequeueable);
        builder.Ignore(j => j.IsDeletable);
        builder.Ignore(j => j.StatusChanges);

        builder.HasIndex(j => new { j.ClientId, j.Number });
        // Partial indexes hold only the rows their queries can match, so a create (Pending, often without an
        // external reference) touches fewer B-trees: every index is one more write on the group-commit path.
        builder.HasIndex(j => new { j.ClientId, j.ExternalRef })
            .HasFilter("\"ExternalRef\" IS NOT NULL");
        builder.HasIndex(j => new { j.ClientId, j.IdempotencyKey })
            .IsUnique()
            .HasFilter("\"IdempotencyKey\" IS NOT NULL");

        // The claim query, one type at a time: that type's Pending jobs in number order, so a claim reads the
        // oldest few (skipping those still backing off) instead of sorting the whole backlog. Only Pending
        // rows are in it: a claimed job leaves it, and finished jobs never weigh on claims.
        builder.HasIndex(j => new { j.Type, j.Number })
            .HasDatabaseName("IX_Jobs_PendingTypeNumber")
            .HasFilter($"\"Status\" = {(int)JobStatus.Pending}");

        // A client's Pending jobs: counted when a create may pass the client's cap (Gateway:Limits), reading this
        // index alone and stopping at the cap, so the count costs the client's backlog at most, never the table's;
        // and a client-scoped claim reads its type's jobs here in number order, without the other clients' backlog.
        builder.HasIndex(j => new { j.ClientId, j.Type, j.Number })
            .HasDatabaseName("IX_Jobs_PendingClientTypeNumber")
            .HasFilter($"\"Status\" = {(int)JobStatus.Pending}");

        // Elastic Path's rule, enforced by the database so that it holds across claimers and instances:
        // at most one Running billing-run and one Running payment-run per client.
        builder.HasIndex(j => new { j.ClientId, j.Type })
            .IsUnique()
            .HasDatabaseName("IX_Jobs_OneRunningExclusivePerClient")
            .HasFilter($"\"Status\" = {(int)JobStatus.Running} AND \"Type\" IN ({string.Join(", ", ExclusiveTypes.Select(t => $"'{t}'"))})");

        // The operators' view of finished jobs (their counts by status and type, and the per-minute chart of
        // outcomes), per client or for all: only finished rows are in it, so it is written when a job finishes,
        // never by a create.
        builder.HasIndex(j => new { j.ClientId, j.Status, j.Type, j.FinishedAt })
            .HasDatabaseName("IX_Jobs_Finished")
            .HasFilter("\"FinishedAt\" IS NOT NULL");

        // Lease expiry sweep: only Running jobs hold leases.
        builder.HasIndex(j => j.LeaseExpiresAt)
            .HasDatabaseName("IX_Jobs_RunningLeaseExpiresAt")
            .HasFilter($"\"Status\" = {(int)JobStatus.Running}");
    }
}
