using JobGateway.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JobGateway.Persistence.Configurations;

internal sealed class JobEventConfiguration : IEntityTypeConfiguration<JobEvent>
{
    public void Configure(EntityTypeBuilder<JobEvent> builder)
    {
        builder.ToTable("JobEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.JobType).HasMaxLength(64).IsRequired();
        builder.Property(e => e.ExternalRef).HasMaxLength(256);
        builder.Property(e => e.FromStatus).HasConversion<int>();
        builder.Property(e => e.ToStatus).HasConversion<int>();
        builder.Property(e => e.State).HasConversion<int>();
        builder.Property(e => e.TargetUrl).HasMaxLength(2000);
        builder.Property(e => e.LastError).HasMaxLength(1000);
        builder.HasIndex(e => new { e.State, e.NextAttemptAt });
        builder.HasIndex(e => new { e.ClientId, e.JobId });
    }
}
