using DezhiHub.Domain.Attendance;
using DezhiHub.Domain.Auditing;
using DezhiHub.Domain.Notifications;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Platform.Live;

/// <summary>
/// On SQLite, raises <see cref="LiveChanges"/> after any save that added or changed notifications, attendance or audit
/// entries, whichever feature saved them. On PostgreSQL it stays quiet: the database's triggers tell every instance.
/// </summary>
internal sealed class LiveSaveInterceptor(LiveChanges live) : SaveChangesInterceptor
{
    private readonly AsyncLocal<Change[]?> _pending = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Publish();
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Publish();
        return base.SavedChanges(eventData, result);
    }

    private void Capture(DbContext? context)
    {
        if (context is null || context.Database.IsNpgsql())
        {
            _pending.Value = null;
            return;
        }

        var changed = context.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        _pending.Value = [.. changed.Select(e => e.Entity switch
            {
                Notification n => new Change(ChangeKind.Notifications, n.UserId),
                AttendanceRecord a => new Change(ChangeKind.Attendance, a.ActivityId),
                AuditEntry { OrgNodeId: { } node } => new Change(ChangeKind.Audit, node),
                _ => (Change?)null,
            }).OfType<Change>().Distinct()];
    }

    private void Publish()
    {
        var changes = _pending.Value;
        _pending.Value = null;
        // Inside an explicit transaction the rows are not visible yet; a change is only a hint to re-read.
        foreach (var change in changes ?? [])
        {
            live.Raise(change);
        }
    }
}
