using DezhiHub.Domain.Activities;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Events;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Activities;

/// <summary>
/// Tells an occurrence's registrants (confirmed and waitlisted) that it moved or was cancelled, in the transaction of
/// the change. Each occurrence of a series is its own notice: the new start tells them apart and saves opening each.
/// </summary>
public sealed class ActivityNotices(NotificationService notifications) : IDomainEventHandler<ActivityChanged>
{
    public async Task HandleAsync(AppDbContext db, ActivityChanged change, CancellationToken cancellationToken)
    {
        var activity = change.Activity;
        var registrants = await db.Registrations.AsNoTracking()
            .Where(r => r.ActivityId == activity.Id && r.Status != RegistrationStatus.Cancelled)
            .Select(r => r.UserId).ToListAsync(cancellationToken);
        var start = NotificationText.Time(activity.StartUtc);
        var (key, args) = change.Change == ActivityChange.Cancelled
            ? ("Notify.ActivityCancelledOn", new[] { activity.Title, start, activity.CancelReason ?? "" })
            : ("Notify.ActivityTimeChangedTo", new[] { activity.Title, start });
        foreach (var userId in registrants)
        {
            notifications.Add(db, userId, key, args, $"/activities/{activity.Id}");
        }
    }
}
