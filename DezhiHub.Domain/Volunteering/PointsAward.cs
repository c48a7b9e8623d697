namespace DezhiHub.Domain.Volunteering;

public enum AwardStatus
{
    /// <summary>Above the approval threshold: waits for a second organizer.</summary>
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}

/// <summary>
/// Points an organizer awards for a good deed (好人好事), with a reason. Awards above a configured size need a second
/// organizer's approval before they reach the ledger; the requester can never approve their own.
/// </summary>
public sealed class PointsAward
{
    public const int MaxPoints = 10_000;

    private PointsAward()
    {
    }

    public int Id { get; private set; }

    public int UserId { get; private set; }

    public int Points { get; private set; }

    public string Reason { get; private set; } = "";

    public AwardStatus Status { get; private set; }

    public int RequestedByUserId { get; private set; }

    public DateTime RequestedAtUtc { get; private set; }

    public int? DecidedByUserId { get; private set; }

    public DateTime? DecidedAtUtc { get; private set; }

    public string? RejectReason { get; private set; }

    public static PointsAward Request(int userId, int points, string? reason, int requestedBy, bool needsApproval, DateTime nowUtc)
    {
        if (points is < 1 or > MaxPoints)
        {
            throw new DomainException(ErrorCodes.Points.AwardInvalid, MaxPoints);
        }

        var trimmed = PointsEntry.Trim(reason) ?? throw new DomainException(ErrorCodes.Points.ReasonRequired);
        if (userId == requestedBy)
        {
            throw new DomainException(ErrorCodes.Points.NotToYourself);
        }

        return new PointsAward
        {
            UserId = userId,
            Points = points,
            Reason = trimmed,
            RequestedByUserId = requestedBy,
            RequestedAtUtc = nowUtc,
            Status = needsApproval ? AwardStatus.Pending : AwardStatus.Approved,
            DecidedByUserId = needsApproval ? null : requestedBy,
            DecidedAtUtc = needsApproval ? null : nowUtc,
        };
    }

    public void Approve(int approverId, DateTime nowUtc)
    {
        EnsurePending(approverId);
        Status = AwardStatus.Approved;
        DecidedByUserId = approverId;
        DecidedAtUtc = nowUtc;
    }

    public void Reject(int approverId, string? reason, DateTime nowUtc)
    {
        EnsurePending(approverId);
        Status = AwardStatus.Rejected;
        DecidedByUserId = approverId;
        DecidedAtUtc = nowUtc;
        RejectReason = PointsEntry.Trim(reason) ?? throw new DomainException(ErrorCodes.Points.ReasonRequired);
    }

    private void EnsurePending(int approverId)
    {
        if (Status != AwardStatus.Pending)
        {
            throw new DomainException(ErrorCodes.Points.AwardDecided);
        }

        if (approverId == RequestedByUserId)
        {
            throw new DomainException(ErrorCodes.Points.SecondOrganizerRequired);
        }
    }
}
