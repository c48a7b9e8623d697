using DezhiHub.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DezhiHub.Web.Features.Notifications;

/// <summary>Raises <see cref="NotificationSignal"/> after any save that added or changed notifications, whichever feature saved them.</summary>
internal sealed class NotificationSaveInterceptor(NotificationSignal signal) : SaveChangesInterceptor
{
    private readonly AsyncLocal<int[]?> _pending = new();

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
        Publish(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Publish(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    private void Capture(DbContext? context)
    {
        _pending.Value = context?.ChangeTracker.Entries<Notification>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .Select(e => e.Entity.UserId).Distinct().ToArray();
    }

    private void Publish(DbContext? context)
    {
        var users = _pending.Value;
        _pending.Value = null;
        // Inside an explicit transaction the rows are not visible yet; the signal is only a hint to re-read.
        if (users is null || context is null)
        {
            return;
        }

        foreach (var userId in users)
        {
            signal.Raise(userId);
        }
    }
}
