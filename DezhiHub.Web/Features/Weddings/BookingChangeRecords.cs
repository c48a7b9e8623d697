using System.Globalization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Events;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// What a booking's change leaves behind, in the same transaction: its audit entry (the state before and after, the
/// service, the slot, a decline's reason) and, for a decision the applicant did not make, their notice.
/// </summary>
public sealed class BookingChangeRecords(AuditTrail audit, NotificationService notifications) : IDomainEventHandler<BookingChanged>
{
    public async Task HandleAsync(AppDbContext db, BookingChanged change, CancellationToken cancellationToken)
    {
        var booking = change.Booking;
        var actorId = change.ActorUserId;
        // One small query: the service's name and node, and the name of who acted.
        var facts = await db.WeddingResources.AsNoTracking()
            .Where(r => r.Id == booking.ResourceId)
            .Select(r => new { r.Id, r.Name, r.OrgNodeId, Actor = db.Users.Where(u => u.Id == actorId).Select(u => u.RealName).FirstOrDefault() })
            .SingleAsync(cancellationToken);

        object after = change.Reason is null
            ? new { booking.Status, Resource = facts.Name, booking.SlotStartUtc }
            : new { booking.Status, Resource = facts.Name, booking.SlotStartUtc, change.Reason };
        audit.RecordAs(db, actorId, facts.Actor, change.Action, BookingEngine.Entity,
            booking.Id.ToString(CultureInfo.InvariantCulture), facts.OrgNodeId, change.Before is { } before ? new { Status = before } : null, after);

        if (Notice(change, facts.Name, facts.Id) is { } notice)
        {
            notifications.Add(db, booking.ApplicantUserId, notice.Key, notice.Args, notice.Link);
        }
    }

    private static (string Key, string[] Args, string Link)? Notice(BookingChanged change, string service, int serviceId)
    {
        var when = NotificationText.Time(change.Booking.SlotStartUtc);
        return change.Action switch
        {
            BookingChanged.Approved => ("Booking.ApprovedNotice", [service, when], "/bookings"),
            BookingChanged.Declined => ("Booking.DeclinedNotice", [service, when, change.Reason ?? ""], "/bookings"),
            BookingChanged.Expired => ("Booking.ExpiredNotice", [service, when], $"/weddings/services/{serviceId}"),
            _ => null,
        };
    }
}
