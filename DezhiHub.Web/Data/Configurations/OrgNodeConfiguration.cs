using DezhiHub.Domain.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DezhiHub.Web.Data.Configurations;

internal sealed class OrgNodeConfiguration : IEntityTypeConfiguration<OrgNode>
{
    public void Configure(EntityTypeBuilder<OrgNode> builder)
    {
        builder.Property(n => n.Name).HasMaxLength(OrgNode.NameMaxLength);
        builder.Property(n => n.Path).HasMaxLength(OrgNode.PathMaxLength);
        builder.Property(n => n.Level).HasConversion<string>().HasMaxLength(16);
        // Subtree queries are one prefix match on this index.
        builder.HasIndex(n => n.Path);
        builder.HasIndex(n => new { n.ParentId, n.Name });
        builder.HasOne<OrgNode>().WithMany().HasForeignKey(n => n.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
