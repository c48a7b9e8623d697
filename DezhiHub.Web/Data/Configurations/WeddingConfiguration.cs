using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data.Configurations;

internal sealed class WeddingResourceConfiguration : IEntityTypeConfiguration<WeddingResource>
{
    public void Configure(EntityTypeBuilder<WeddingResource> builder)
    {
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Name).HasMaxLength(WeddingResource.NameMaxLength);
        builder.Property(r => r.Description).HasMaxLength(WeddingResource.TextMaxLength);
        builder.Property(r => r.Location).HasMaxLength(WeddingResource.LineMaxLength);
        builder.Property(r => r.Counsellor).HasMaxLength(WeddingResource.NameMaxLength);
        builder.Property(r => r.OrgPath).HasMaxLength(OrgNode.PathMaxLength);
        builder.Property(r => r.Hours).HasJsonConversion(JsonColumns.WriteHours, JsonColumns.ReadHours);
        builder.Property(r => r.Sessions).HasJsonConversion(JsonColumns.WriteSessions, JsonColumns.ReadSessions);
        builder.Property(r => r.BlackoutDates).HasJsonConversion(JsonColumns.WriteDates, JsonColumns.ReadDates);
        builder.Property(r => r.Photos).HasJsonConversion(JsonColumns.WriteStrings, JsonColumns.ReadStrings);
        builder.ComplexProperty(r => r.Rules);
        builder.HasIndex(r => new { r.Kind, r.OrgPath });
        builder.HasIndex(r => r.ProviderUserId);
        builder.HasOne<OrgNode>().WithMany().HasForeignKey(r => r.OrgNodeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.ProviderUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public void Configure(EntityTypeBuilder<Booking> builder)
    {
        builder.Property(b => b.Kind).HasConversion<string>().HasMaxLength(32);
        // Two reviewers, or a reviewer and the resident, acting at once: the second save finds the status changed.
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        builder.Property(b => b.PartnerName).HasMaxLength(Booking.PartnerNameMaxLength);
        builder.Property(b => b.Note).HasMaxLength(Booking.NoteMaxLength);
        builder.Property(b => b.DecisionReason).HasMaxLength(Booking.ReasonMaxLength);
        builder.HasIndex(b => new { b.ResourceId, b.SlotStartUtc });
        builder.HasIndex(b => new { b.ApplicantUserId, b.Status });
        builder.HasIndex(b => new { b.Status, b.ReviewDueUtc });
        builder.HasIndex(b => b.PlanId);
        builder.HasIndex(b => new { b.ApplicantUserId, b.RequestId }).IsUnique();
        builder.HasOne<WeddingResource>().WithMany().HasForeignKey(b => b.ResourceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(b => b.ApplicantUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BookingEventConfiguration : IEntityTypeConfiguration<BookingEvent>
{
    public void Configure(EntityTypeBuilder<BookingEvent> builder)
    {
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(Booking.ReasonMaxLength);
        builder.HasIndex(e => e.BookingId);
        builder.HasOne<Booking>().WithMany().HasForeignKey(e => e.BookingId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The rule "never double-booked", stated by the database: one claim per (resource, half-hour unit).</summary>
internal sealed class SlotClaimConfiguration : IEntityTypeConfiguration<SlotClaim>
{
    public void Configure(EntityTypeBuilder<SlotClaim> builder)
    {
        builder.HasKey(c => new { c.ResourceId, c.UnitStartUtc });
        builder.HasIndex(c => c.BookingId);
        builder.HasOne<WeddingResource>().WithMany().HasForeignKey(c => c.ResourceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Booking>().WithMany().HasForeignKey(c => c.BookingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SlotCountConfiguration : IEntityTypeConfiguration<SlotCount>
{
    public void Configure(EntityTypeBuilder<SlotCount> builder)
    {
        builder.HasKey(c => new { c.ResourceId, c.SlotStartUtc });
        builder.ToTable(t => t.HasCheckConstraint("CK_SlotCounts_Taken", "\"Taken\" >= 0"));
        builder.HasOne<WeddingResource>().WithMany().HasForeignKey(c => c.ResourceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PledgeItemConfiguration : IEntityTypeConfiguration<PledgeItem>
{
    public void Configure(EntityTypeBuilder<PledgeItem> builder) =>
        builder.Property(i => i.Text).HasMaxLength(PledgeItem.TextMaxLength);
}

internal sealed class WeddingPledgeConfiguration : IEntityTypeConfiguration<WeddingPledge>
{
    public void Configure(EntityTypeBuilder<WeddingPledge> builder)
    {
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        builder.Property(p => p.PartnerName).HasMaxLength(WeddingPledge.NameMaxLength);
        builder.Property(p => p.PartnerMobile).HasMaxLength(20);
        builder.Property(p => p.ItemsText).HasMaxLength(4000);
        builder.Property(p => p.RejectReason).HasMaxLength(Booking.ReasonMaxLength);
        builder.Property(p => p.OrgPath).HasMaxLength(OrgNode.PathMaxLength);
        // One live pledge per person (a rejected one may be signed anew).
        builder.HasIndex(p => p.ApplicantUserId).IsUnique().HasFilter("\"Status\" <> 'Rejected'");
        builder.HasIndex(p => new { p.OrgPath, p.Status });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.ApplicantUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LotteryDateConfiguration : IEntityTypeConfiguration<LotteryDate>
{
    public void Configure(EntityTypeBuilder<LotteryDate> builder) =>
        builder.HasIndex(l => l.Date).IsUnique();
}
