using DezhiHub.Domain.Market;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data.Configurations;

internal sealed class VolunteerProfileConfiguration : IEntityTypeConfiguration<VolunteerProfile>
{
    public void Configure(EntityTypeBuilder<VolunteerProfile> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.UserId).ValueGeneratedNever();
        builder.Property(p => p.Skills).HasMaxLength(VolunteerProfile.SkillsMaxLength);
        builder.Property(p => p.IdLast4).HasMaxLength(4);
        // The last line of defence of "a balance never goes below zero".
        builder.ToTable(t => t.HasCheckConstraint("CK_VolunteerProfiles_Balance", "\"PointsBalance\" >= 0"));
        builder.HasIndex(p => p.TotalMinutes);
        builder.HasIndex(p => p.PointsEarned);
        builder.HasOne<AppUser>().WithOne().HasForeignKey<VolunteerProfile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PointsEntryConfiguration : IEntityTypeConfiguration<PointsEntry>
{
    public void Configure(EntityTypeBuilder<PointsEntry> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.SourceKey).HasMaxLength(64);
        builder.Property(e => e.Reason).HasMaxLength(PointsEntry.ReasonMaxLength);
        // A source credits at most once.
        builder.HasIndex(e => e.SourceKey).IsUnique();
        builder.HasIndex(e => new { e.UserId, e.Id });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class HoursEntryConfiguration : IEntityTypeConfiguration<HoursEntry>
{
    public void Configure(EntityTypeBuilder<HoursEntry> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.SourceKey).HasMaxLength(64);
        builder.Property(e => e.Reason).HasMaxLength(PointsEntry.ReasonMaxLength);
        builder.HasIndex(e => e.SourceKey).IsUnique();
        builder.HasIndex(e => new { e.UserId, e.Id });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Per person and period ("2026", "2026-11") sums of the ledgers, kept in the ledger's transaction, for the boards.</summary>
internal sealed class VolunteerPeriodTotalConfiguration : IEntityTypeConfiguration<VolunteerPeriodTotal>
{
    public void Configure(EntityTypeBuilder<VolunteerPeriodTotal> builder)
    {
        builder.HasKey(t => new { t.Period, t.UserId });
        builder.Property(t => t.Period).HasMaxLength(7);
        builder.HasIndex(t => new { t.Period, t.Minutes });
        builder.HasIndex(t => new { t.Period, t.PointsEarned });
        builder.HasIndex(t => t.UserId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PointsAwardConfiguration : IEntityTypeConfiguration<PointsAward>
{
    public void Configure(EntityTypeBuilder<PointsAward> builder)
    {
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Reason).HasMaxLength(PointsEntry.ReasonMaxLength);
        builder.Property(a => a.RejectReason).HasMaxLength(PointsEntry.ReasonMaxLength);
        builder.HasIndex(a => new { a.Status, a.RequestedAtUtc });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.RequestedByUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.DecidedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RewardItemConfiguration : IEntityTypeConfiguration<RewardItem>
{
    public void Configure(EntityTypeBuilder<RewardItem> builder)
    {
        builder.Property(i => i.Name).HasMaxLength(RewardItem.NameMaxLength);
        builder.Property(i => i.Description).HasMaxLength(RewardItem.DescriptionMaxLength);
        builder.Property(i => i.PictureFile).HasMaxLength(128);
        builder.Property(i => i.OrgPath).HasMaxLength(512);
        builder.ToTable(t => t.HasCheckConstraint("CK_RewardItems_Stock", "\"Stock\" >= 0"));
        builder.HasIndex(i => new { i.OrgPath, i.IsRetired });
        builder.HasIndex(i => i.PartnerUserId);
        builder.HasOne<Domain.Organization.OrgNode>().WithMany().HasForeignKey(i => i.OrgNodeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(i => i.PartnerUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RedemptionConfiguration : IEntityTypeConfiguration<Redemption>
{
    public void Configure(EntityTypeBuilder<Redemption> builder)
    {
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(r => new { r.UserId, r.ItemId, r.Status });
        builder.HasIndex(r => new { r.Status, r.ExpiresAtUtc });
        builder.HasIndex(r => new { r.ItemId, r.ClosedAtUtc });
        builder.HasIndex(r => new { r.UserId, r.RequestId }).IsUnique();
        builder.HasOne<RewardItem>().WithMany().HasForeignKey(r => r.ItemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.ClosedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
