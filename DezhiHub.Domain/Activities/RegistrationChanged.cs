namespace DezhiHub.Domain.Activities;

/// <summary>
/// A sign-up was made (or renewed), cancelled by its person, or moved up from the waitlist by the app:
/// <see cref="Action"/> names it as the audit log does; <see cref="ActorUserId"/> is the person, or null for the app.
/// </summary>
public sealed record RegistrationChanged(Registration Registration, string Action, RegistrationStatus? Before, int? ActorUserId) : IDomainEvent
{
    public const string SignedUp = "activity.signed-up";
    public const string Cancelled = "activity.sign-up-cancelled";
    public const string Promoted = "activity.waitlist-promoted";
}
