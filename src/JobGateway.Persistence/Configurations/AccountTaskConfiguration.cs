using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JobGateway.Persistence.Configurations;

internal sealed class AccountTaskConfiguration : IEntityTypeConfiguration<AccountTask>
{
    public void Configure(EntityTypeBuilder<AccountTask> builder)
    {
        builder.ToTable("AccountTasks");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(1024);
        builder.Property(t => t.ContentType).HasMaxLength(100).IsRequired();
        builder.Property(t => t.Parameters).IsRequired();
        builder.Property(t => t.LastRunBy).HasMaxLength(200);
        builder.Property(t => t.LastModifiedBy).HasMaxLength(200);
        builder.Property(t => t.Frequency).HasConversion<int>();
        builder.Property(t => t.Notification).HasConversion<int>();
        builder.Property(t => t.LastRunStatus).HasConversion<int?>();
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasIndex(t => new { t.ClientId, t.TaskId }).IsUnique();
        builder.HasOne<Client>().WithMany().HasForeignKey(t => t.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
