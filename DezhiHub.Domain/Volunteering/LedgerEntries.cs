namespace DezhiHub.Domain.Volunteering;

public enum PointsKind
{
    /// <summary>Earned from credited attendance.</summary>
    Earned = 0,

    /// <summary>Awarded by an organizer for a good deed, with a reason.</summary>
    Awarded = 1,

    /// <summary>Bonus for a kept civilized-wedding pledge.</summary>
    PledgeBonus = 2,

    /// <summary>Spent in the points market.</summary>
    Redeemed = 3,

    /// <summary>Given back when a redemption is cancelled or expires.</summary>
    Refunded = 4,

    /// <summary>Takes back an earlier entry (a correction), with a reason and the acting organizer.</summary>
    Reversed = 5,
}

public enum HoursKind
{
    /// <summary>Credited attendance at an activity.</summary>
    Attendance = 0,

    /// <summary>Takes back (part of) an earlier record, with a reason and the acting organizer.</summary>
    Correction = 1,
}

/// <summary>
/// One row of the append-only points ledger (积分流水). The database refuses UPDATE and DELETE on this table; a
/// correction is a new <see cref="PointsKind.Reversed"/> entry. <see cref="SourceKey"/> is unique: a source (an
/// attendance, an award, a redemption…) can credit at most once.
/// </summary>
public sealed class PointsEntry
{
    public const int ReasonMaxLength = 200;

    private PointsEntry()
    {
    }

    public long Id { get; private set; }

    public int UserId { get; private set; }

    /// <summary>Positive for credits, negative for debits; never 0.</summary>
    public int Delta { get; private set; }

    public PointsKind Kind { get; private set; }

    /// <summary>"attendance:17", "award:3", "redemption:9", "refund:9", "reversal:points:120"…</summary>
    public string SourceKey { get; private set; } = "";

    /// <summary>The balance right after this entry.</summary>
    public int BalanceAfter { get; private set; }

    public int? ActivityId { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>Who caused the entry, when not the volunteer themself or the system.</summary>
    public int? ActorUserId { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public static PointsEntry Create(
        int userId, int delta, PointsKind kind, string sourceKey, int balanceAfter, DateTime nowUtc,
        int? activityId = null, string? reason = null, int? actorUserId = null)
    {
        if (delta == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "A ledger entry moves points.");
        }

        if (balanceAfter < 0)
        {
            throw new DomainException(ErrorCodes.Points.InsufficientBalance);
        }

        return new PointsEntry
        {
            UserId = userId,
            Delta = delta,
            Kind = kind,
            SourceKey = sourceKey,
            BalanceAfter = balanceAfter,
            CreatedAtUtc = nowUtc,
            ActivityId = activityId,
            Reason = Trim(reason),
            ActorUserId = actorUserId,
        };
    }

    internal static string? Trim(string? reason)
    {
        var trimmed = PersonText.CheckedMultiline(reason);
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length <= ReasonMaxLength ? trimmed : trimmed[..ReasonMaxLength];
    }
}

/// <summary>
/// One row of the append-only service-hours ledger: one per credited attendance; corrections only by a reversing
/// row with a reason and the acting organizer. The database refuses UPDATE and DELETE; <see cref="SourceKey"/> is unique.
/// </summary>
public sealed class HoursEntry
{
    private HoursEntry()
    {
    }

    public long Id { get; private set; }

    public int UserId { get; private set; }

    public int Minutes { get; private set; }

    public HoursKind Kind { get; private set; }

    public string SourceKey { get; private set; } = "";

    public int? ActivityId { get; private set; }

    public string? Reason { get; private set; }

    public int? ActorUserId { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public static HoursEntry Create(int userId, int minutes, HoursKind kind, string sourceKey, DateTime nowUtc, int? activityId = null, string? reason = null, int? actorUserId = null)
    {
        if (minutes == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minutes), "A ledger entry moves time.");
        }

        return new HoursEntry
        {
            UserId = userId,
            Minutes = minutes,
            Kind = kind,
            SourceKey = sourceKey,
            CreatedAtUtc = nowUtc,
            ActivityId = activityId,
            Reason = PointsEntry.Trim(reason),
            ActorUserId = actorUserId,
        };
    }
}
