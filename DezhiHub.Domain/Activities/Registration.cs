namespace DezhiHub.Domain.Activities;

public enum RegistrationStatus
{
    Confirmed = 0,
    Waitlisted = 1,
    Cancelled = 2,
}

/// <summary>
/// One person's sign-up (报名) for one activity — at most one row per (activity, person), reused when they sign
/// up again after cancelling. Waitlisted people are promoted in the order they joined.
/// </summary>
public sealed class Registration
{
    private Registration()
    {
    }

    public int Id { get; private set; }

    public int ActivityId { get; private set; }

    public int UserId { get; private set; }

    public RegistrationStatus Status { get; private set; }

    /// <summary>When the person (last) signed up: the waitlist's order.</summary>
    public DateTime SignedUpAtUtc { get; private set; }

    public DateTime? ConfirmedAtUtc { get; private set; }

    public DateTime? CancelledAtUtc { get; private set; }

    public bool IsActive => Status != RegistrationStatus.Cancelled;

    public static Registration Create(int activityId, int userId, bool confirmed, DateTime nowUtc) => new()
    {
        ActivityId = activityId,
        UserId = userId,
        Status = confirmed ? RegistrationStatus.Confirmed : RegistrationStatus.Waitlisted,
        SignedUpAtUtc = nowUtc,
        ConfirmedAtUtc = confirmed ? nowUtc : null,
    };

    /// <summary>Signing up again after cancelling: back to the end of the line.</summary>
    public void Renew(bool confirmed, DateTime nowUtc)
    {
        if (IsActive)
        {
            throw new DomainException("SignUp.Already");
        }

        Status = confirmed ? RegistrationStatus.Confirmed : RegistrationStatus.Waitlisted;
        SignedUpAtUtc = nowUtc;
        ConfirmedAtUtc = confirmed ? nowUtc : null;
        CancelledAtUtc = null;
    }

    public void Promote(DateTime nowUtc)
    {
        if (Status != RegistrationStatus.Waitlisted)
        {
            throw new InvalidOperationException("Only a waitlisted sign-up is promoted.");
        }

        Status = RegistrationStatus.Confirmed;
        ConfirmedAtUtc = nowUtc;
    }

    /// <summary>Cancels; returns true if a confirmed seat was freed.</summary>
    public bool Cancel(DateTime nowUtc)
    {
        if (!IsActive)
        {
            throw new DomainException("SignUp.NotSignedUp");
        }

        var freed = Status == RegistrationStatus.Confirmed;
        Status = RegistrationStatus.Cancelled;
        CancelledAtUtc = nowUtc;
        return freed;
    }
}
