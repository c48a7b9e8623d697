using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data.Configurations;

internal sealed class AttendanceRecordConfiguration : IEntityTypeConfiguration<AttendanceRecord>
{
    public void Configure(EntityTypeBuilder<AttendanceRecord> builder)
    {
        builder.ToTable("Attendance");
        builder.Property(a => a.CheckInMethod).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.CheckOutMethod).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.ManualReason).HasMaxLength(AttendanceRecord.ReasonMaxLength);
        // One attendance per person and activity: a double tap or a retry finds the first record.
        builder.HasIndex(a => new { a.ActivityId, a.UserId }).IsUnique();
        builder.HasIndex(a => new { a.UserId, a.CheckedInAtUtc });
        builder.HasOne<Activity>().WithMany().HasForeignKey(a => a.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.RecordedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
