using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain.Auditing;
using DezhiHub.Domain.Notifications;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Events;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DezhiHub.Web.Data;

/// <summary>
/// The app's tables, the same on every engine. The services use this type; each engine has a context of its own that
/// derives from it (<see cref="Sqlite.SqliteDbContext"/>, <see cref="PostgreSQL.PostgresDbContext"/>) and carries that
/// engine's migrations and its few model differences — EF Core's "multiple providers" layout.
/// </summary>
public abstract class AppDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser, IdentityRole<int>, int>(options)
{
    public DbSet<OrgNode> OrgNodes => Set<OrgNode>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<Features.Accounts.UserSession> UserSessions => Set<Features.Accounts.UserSession>();

    public DbSet<ActivityTheme> ActivityThemes => Set<ActivityTheme>();

    public DbSet<Activity> Activities => Set<Activity>();

    public DbSet<Registration> Registrations => Set<Registration>();

    public DbSet<ActivityReminder> ActivityReminders => Set<ActivityReminder>();

    public DbSet<AttendanceRecord> Attendance => Set<AttendanceRecord>();

    public DbSet<Domain.Volunteering.VolunteerProfile> VolunteerProfiles => Set<Domain.Volunteering.VolunteerProfile>();

    public DbSet<Domain.Volunteering.PointsEntry> PointsEntries => Set<Domain.Volunteering.PointsEntry>();

    public DbSet<Domain.Volunteering.HoursEntry> HoursEntries => Set<Domain.Volunteering.HoursEntry>();

    public DbSet<Domain.Volunteering.VolunteerPeriodTotal> VolunteerPeriodTotals => Set<Domain.Volunteering.VolunteerPeriodTotal>();

    public DbSet<Domain.Volunteering.PointsAward> PointsAwards => Set<Domain.Volunteering.PointsAward>();

    public DbSet<Domain.Volunteering.ServiceCertificate> ServiceCertificates => Set<Domain.Volunteering.ServiceCertificate>();

    public DbSet<Domain.Market.RewardItem> RewardItems => Set<Domain.Market.RewardItem>();

    public DbSet<Domain.Market.Redemption> Redemptions => Set<Domain.Market.Redemption>();

    public DbSet<Domain.Weddings.WeddingResource> WeddingResources => Set<Domain.Weddings.WeddingResource>();

    public DbSet<Domain.Weddings.Booking> Bookings => Set<Domain.Weddings.Booking>();

    public DbSet<Domain.Weddings.BookingEvent> BookingEvents => Set<Domain.Weddings.BookingEvent>();

    public DbSet<Domain.Weddings.SlotClaim> SlotClaims => Set<Domain.Weddings.SlotClaim>();

    public DbSet<Domain.Weddings.SlotCount> SlotCounts => Set<Domain.Weddings.SlotCount>();

    public DbSet<Domain.Weddings.PledgeItem> PledgeItems => Set<Domain.Weddings.PledgeItem>();

    public DbSet<Domain.Weddings.WeddingPledge> WeddingPledges => Set<Domain.Weddings.WeddingPledge>();

    public DbSet<Domain.Weddings.LotteryDate> LotteryDates => Set<Domain.Weddings.LotteryDate>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    private readonly List<Domain.IDomainEvent> _raised = [];

    /// <summary>
    /// An event of a change made by a guarded set-based update (<c>ExecuteUpdate</c>), which loads no aggregate to raise
    /// it: handled with the next <see cref="SaveChangesAsync(bool, CancellationToken)"/>, like an aggregate's.
    /// </summary>
    public void Raise(Domain.IDomainEvent domainEvent) => _raised.Add(domainEvent);

    /// <summary>
    /// Saves, then hands the events the saved aggregates raised (now with their ids) to their handlers and saves what
    /// they added — all in one transaction: the caller's, or one of its own when the caller has none. A failed save
    /// raises nothing; a handler's rows never outlive a rolled-back change.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!HasEvents())
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var dispatcher = this.GetService<DomainEventDispatcher>();
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            for (var round = 1; TakeEvents() is { Count: > 0 } events; round++)
            {
                // Handlers add rows, not aggregates that raise more: a second round is already unusual, a fifth a loop.
                if (round > 4)
                {
                    throw new InvalidOperationException("Domain events kept raising domain events: " + string.Join(", ", events.Select(e => e.GetType().Name)));
                }

                await dispatcher.DispatchAsync(this, events, cancellationToken);
                saved += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }

            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return saved;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>Synchronous saves are for the few places with no events (the key ring); one with events is a mistake.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        HasEvents()
            ? throw new InvalidOperationException("A change that raises domain events must be saved with SaveChangesAsync.")
            : base.SaveChanges(acceptAllChangesOnSuccess);

    /// <summary>A pooled context goes back to the pool clean: an event raised but never saved is dropped with it.</summary>
    public override void Dispose()
    {
        _raised.Clear();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    public override async ValueTask DisposeAsync()
    {
        _raised.Clear();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Whether anything raised an event. Every tracked entity is in the tracker whether or not its changes have been
    /// detected, and events are raised by methods, not found by comparing values: so this asks without the
    /// DetectChanges that <c>Entries()</c> would run first (the save runs its own).
    /// </summary>
    private bool HasEvents()
    {
        if (_raised.Count > 0)
        {
            return true;
        }

        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return ChangeTracker.Entries<Domain.Aggregate>().Any(e => e.Entity.HasEvents());
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private List<Domain.IDomainEvent> TakeEvents()
    {
        List<Domain.IDomainEvent> events = [.. _raised, .. ChangeTracker.Entries<Domain.Aggregate>().Where(e => e.Entity.HasEvents()).ToList().SelectMany(e => e.Entity.TakeEvents())];
        _raised.Clear();
        return events;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC in the database and comes back marked as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }
}
