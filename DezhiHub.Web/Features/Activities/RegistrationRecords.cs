using System.Globalization;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Events;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Activities;

/// <summary>
/// What a sign-up's change leaves behind, in the same transaction: its audit entry, and for a move up from the waitlist
/// the person's notice (the app moved the queue: a system entry naming who moved up).
/// </summary>
public sealed class RegistrationRecords(AuditTrail audit, NotificationService notifications) : IDomainEventHandler<RegistrationChanged>
{
    public async Task HandleAsync(AppDbContext db, RegistrationChanged change, CancellationToken cancellationToken)
    {
        var registration = change.Registration;
        var actorId = change.ActorUserId;
        // One small query: the activity's title and node, and the name of who acted.
        var facts = await db.Activities.AsNoTracking()
            .Where(a => a.Id == registration.ActivityId)
            .Select(a => new { a.Title, a.OrgNodeId, Actor = db.Users.Where(u => u.Id == actorId).Select(u => u.RealName).FirstOrDefault() })
            .SingleAsync(cancellationToken);

        object after = change.Action == RegistrationChanged.Promoted
            ? new { registration.Status, Activity = facts.Title, registration.UserId }
            : new { registration.Status, Activity = facts.Title };
        audit.RecordAs(db, actorId, facts.Actor, change.Action, SignUpService.RegistrationEntity,
            string.Create(CultureInfo.InvariantCulture, $"{registration.ActivityId}/{registration.UserId}"), facts.OrgNodeId,
            change.Before is { } before ? new { Status = before } : null, after);

        if (change.Action == RegistrationChanged.Promoted)
        {
            notifications.Add(db, registration.UserId, "Notify.WaitlistPromoted", [facts.Title], $"/activities/{registration.ActivityId}");
        }
    }
}
