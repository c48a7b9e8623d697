namespace DezhiHub.Domain.Weddings;

/// <summary>
/// A booking was requested, decided, cancelled, closed or expired: <see cref="Action"/> names it as the audit log does.
/// <see cref="ActorUserId"/> is who did it (null: the app's own sweep); <see cref="Before"/> the state it left (null for
/// a new request); <see cref="Reason"/> a reviewer's reason for declining.
/// </summary>
public sealed record BookingChanged(Booking Booking, string Action, BookingStatus? Before, int? ActorUserId, string? Reason = null) : IDomainEvent
{
    public const string Requested = "booking.requested";
    public const string Approved = "booking.approved";
    public const string Declined = "booking.declined";
    public const string Cancelled = "booking.cancelled";
    public const string Expired = "booking.expired";
    public const string Arrived = "booking.arrived";
    public const string Completed = "booking.completed";
    public const string NoShow = "booking.no-show";
}
