using DezhiHub.Domain.Organization;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data.Configurations;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.Property(u => u.RealName).HasMaxLength(AppUser.RealNameMaxLength);
        builder.Property(u => u.PhoneNumber).HasMaxLength(16);
        builder.HasIndex(u => u.PhoneNumber).IsUnique();
        builder.Property(u => u.CalendarFeedToken).HasMaxLength(64);
        builder.HasIndex(u => u.CalendarFeedToken).IsUnique();
        builder.HasOne<OrgNode>().WithMany().HasForeignKey(u => u.OrgNodeId).OnDelete(DeleteBehavior.Restrict);
    }
}
