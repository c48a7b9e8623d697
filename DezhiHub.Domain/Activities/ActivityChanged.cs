namespace DezhiHub.Domain.Activities;

/// <summary>
/// Something about an occurrence that its registrants must hear of: a published activity moved to another time, or
/// the activity was cancelled. (The audit entry covers the whole operation, which may span a series, and is written
/// by the service that did it.)
/// </summary>
public sealed record ActivityChanged(Activity Activity, ActivityChange Change) : IDomainEvent;

public enum ActivityChange
{
    Rescheduled,
    Cancelled,
}
