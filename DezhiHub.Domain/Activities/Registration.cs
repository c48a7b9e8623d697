namespace DezhiHub.Domain.Activities;

public enum RegistrationStatus
{
    Confirmed = 0,
    Waitlisted = 1,
    Cancelled = 2,
}

/// <summary>
/// One person's sign-up (报名) for one activity — at most one row per (activity, person), reused when they sign
/// up again after cancelling. Waitlisted people are promoted in the order of their <see cref="WaitlistNumber"/>.
/// </summary>
public sealed class Registration : Aggregate
{
    private Registration()
    {
    }

    public int Id { get; private set; }

    public int ActivityId { get; private set; }

    public int UserId { get; private set; }

    public RegistrationStatus Status { get; private set; }

    /// <summary>When the person (last) signed up.</summary>
    public DateTime SignedUpAtUtc { get; private set; }

    /// <summary>
    /// The waitlist's one order: numbers come from the activity's counter (<see cref="Activity.WaitlistIssued"/>),
    /// unique per activity, so a place in the queue is the count of waiting people with a smaller number. Kept after
    /// a promotion; null for a sign-up that got a seat at once.
    /// </summary>
    public int? WaitlistNumber { get; private set; }

    public DateTime? ConfirmedAtUtc { get; private set; }

    public DateTime? CancelledAtUtc { get; private set; }

    public bool IsActive => Status != RegistrationStatus.Cancelled;

    /// <summary>The person signs up: a seat, or the waitlist with <paramref name="waitlistNumber"/>.</summary>
    public static Registration SignUp(int activityId, int userId, bool confirmed, DateTime nowUtc, int? waitlistNumber = null)
    {
        var registration = Create(activityId, userId, confirmed, nowUtc, waitlistNumber);
        registration.Raise(new RegistrationChanged(registration, RegistrationChanged.SignedUp, null, userId));
        return registration;
    }

    /// <summary>
    /// A sign-up recorded without the act — history written after the fact (the demo's past): it raises no event, so it
    /// leaves no audit entry of today. The act itself is <see cref="SignUp"/>.
    /// </summary>
    /// <param name="waitlistNumber">The activity's next waitlist number when there is no seat; none when confirmed.</param>
    public static Registration Create(int activityId, int userId, bool confirmed, DateTime nowUtc, int? waitlistNumber = null)
    {
        EnsureNumbering(confirmed, waitlistNumber);
        return new()
        {
            ActivityId = activityId,
            UserId = userId,
            Status = confirmed ? RegistrationStatus.Confirmed : RegistrationStatus.Waitlisted,
            SignedUpAtUtc = nowUtc,
            ConfirmedAtUtc = confirmed ? nowUtc : null,
            WaitlistNumber = waitlistNumber,
        };
    }

    /// <summary>Signing up again after cancelling: back to the end of the line, with a new number.</summary>
    public void Renew(bool confirmed, DateTime nowUtc, int? waitlistNumber = null)
    {
        if (IsActive)
        {
            throw new DomainException(ErrorCodes.SignUp.Already);
        }

        EnsureNumbering(confirmed, waitlistNumber);
        Status = confirmed ? RegistrationStatus.Confirmed : RegistrationStatus.Waitlisted;
        SignedUpAtUtc = nowUtc;
        ConfirmedAtUtc = confirmed ? nowUtc : null;
        CancelledAtUtc = null;
        WaitlistNumber = waitlistNumber;
        Raise(new RegistrationChanged(this, RegistrationChanged.SignedUp, null, UserId));
    }

    public void Promote(DateTime nowUtc)
    {
        if (Status != RegistrationStatus.Waitlisted)
        {
            throw new InvalidOperationException("Only a waitlisted sign-up is promoted.");
        }

        Status = RegistrationStatus.Confirmed;
        ConfirmedAtUtc = nowUtc;
        // The app moves the queue, not the person who cancelled: no actor.
        Raise(new RegistrationChanged(this, RegistrationChanged.Promoted, RegistrationStatus.Waitlisted, null));
    }

    /// <summary>Cancels; returns true if a confirmed seat was freed.</summary>
    public bool Cancel(DateTime nowUtc)
    {
        if (!IsActive)
        {
            throw new DomainException(ErrorCodes.SignUp.NotSignedUp);
        }

        var before = Status;
        var freed = before == RegistrationStatus.Confirmed;
        Status = RegistrationStatus.Cancelled;
        CancelledAtUtc = nowUtc;
        Raise(new RegistrationChanged(this, RegistrationChanged.Cancelled, before, UserId));
        return freed;
    }

    private static void EnsureNumbering(bool confirmed, int? waitlistNumber)
    {
        if (confirmed && waitlistNumber is not null)
        {
            throw new ArgumentException("A confirmed sign-up has no waitlist number.", nameof(waitlistNumber));
        }

        if (waitlistNumber is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(waitlistNumber));
        }
    }
}
