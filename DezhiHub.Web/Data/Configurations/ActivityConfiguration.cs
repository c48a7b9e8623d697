using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data.Configurations;

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.Property(a => a.Title).HasMaxLength(ActivityDetails.TitleMaxLength);
        builder.Property(a => a.Description).HasMaxLength(ActivityDetails.DescriptionMaxLength);
        builder.Property(a => a.Place).HasMaxLength(ActivityDetails.PlaceMaxLength);
        builder.Property(a => a.OrgPath).HasMaxLength(OrgNode.PathMaxLength);
        builder.Property(a => a.CancelReason).HasMaxLength(Activity.CancelReasonMaxLength);
        builder.Property(a => a.CoverImage).HasMaxLength(Activity.CoverImageMaxLength);
        builder.Property(a => a.Entry).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(a => a.IsFull);
        builder.Ignore(a => a.SignUpClosesAtUtc);
        builder.Ignore(a => a.CancellationClosesAtUtc);

        // Lists and calendars: what starts in a period; subtree filters add a prefix match on the path. The trailing
        // columns make it covering for the coverage matrix, which then never reads the table itself (city year:
        // 218 → 80 ms in SQLite on the bench data; see DezhiHub.Bench coverage).
        builder.HasIndex(a => new { a.StartUtc, a.Status, a.OrgPath, a.Entry, a.ConfirmedCount, a.EndUtc }).HasDatabaseName("IX_Activities_Coverage");
        builder.HasIndex(a => new { a.OrgPath, a.StartUtc });
        builder.HasIndex(a => a.SeriesId);
        builder.HasOne<OrgNode>().WithMany().HasForeignKey(a => a.OrgNodeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);

        builder.HasMany(a => a.Themes).WithOne().HasForeignKey(t => t.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(a => a.Themes).HasField("_themes").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ActivityThemeLinkConfiguration : IEntityTypeConfiguration<ActivityThemeLink>
{
    public void Configure(EntityTypeBuilder<ActivityThemeLink> builder)
    {
        builder.HasKey(t => new { t.ActivityId, t.ThemeId });
        builder.HasOne<ActivityTheme>().WithMany().HasForeignKey(t => t.ThemeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => t.ThemeId);
    }
}

internal sealed class ActivityThemeConfiguration : IEntityTypeConfiguration<ActivityTheme>
{
    public void Configure(EntityTypeBuilder<ActivityTheme> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(ActivityTheme.NameMaxLength);
        builder.HasIndex(t => t.Name).IsUnique();
    }
}

internal sealed class RegistrationConfiguration : IEntityTypeConfiguration<Registration>
{
    public void Configure(EntityTypeBuilder<Registration> builder)
    {
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(r => r.IsActive);
        // One sign-up per person and activity, whatever the concurrency.
        builder.HasIndex(r => new { r.ActivityId, r.UserId }).IsUnique();
        // The waitlist in order, and a person's own sign-ups.
        builder.HasIndex(r => new { r.ActivityId, r.Status, r.SignedUpAtUtc });
        builder.HasIndex(r => new { r.UserId, r.Status });
        // The waitlist's one order (decision 0013): a number is handed out once per activity, whatever the database.
        builder.HasIndex(r => new { r.ActivityId, r.WaitlistNumber }).IsUnique();
        builder.HasOne<Activity>().WithMany().HasForeignKey(r => r.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ActivityReminderConfiguration : IEntityTypeConfiguration<ActivityReminder>
{
    public void Configure(EntityTypeBuilder<ActivityReminder> builder)
    {
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        // A reminder is sent once: a second sweep's insert is refused by this index.
        builder.HasIndex(r => new { r.ActivityId, r.UserId, r.Kind }).IsUnique();
        builder.HasOne<Activity>().WithMany().HasForeignKey(r => r.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
