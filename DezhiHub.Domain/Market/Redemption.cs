namespace DezhiHub.Domain.Market;

public enum RedemptionStatus
{
    /// <summary>Points paid, item not handed over yet: the voucher is live.</summary>
    Pending = 0,
    Fulfilled = 1,
    Cancelled = 2,
    Expired = 3,
}

/// <summary>
/// A volunteer's redemption (兑换单) of a reward: points and stock are taken when it is made; the provider hands the
/// item over against its signed voucher; a pending one can be cancelled, or expires, and then gives both back.
/// </summary>
public sealed class Redemption : Aggregate
{
    private Redemption()
    {
    }

    public int Id { get; private set; }

    public int ItemId { get; private set; }

    public int UserId { get; private set; }

    public int Points { get; private set; }

    public RedemptionStatus Status { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime ExpiresAtUtc { get; private set; }

    public DateTime? ClosedAtUtc { get; private set; }

    /// <summary>Who handed the item over or cancelled it.</summary>
    public int? ClosedByUserId { get; private set; }

    /// <summary>
    /// The id the person's device gave this redemption (one per confirmation): sent again — a double tap, a retry after a
    /// dropped connection — it is answered with this redemption instead of a second one. Unique per person.
    /// </summary>
    public Guid? RequestId { get; private set; }

    public static Redemption Create(int itemId, int userId, int points, DateTime nowUtc, TimeSpan validFor, Guid? requestId = null)
    {
        var redemption = new Redemption
        {
            RequestId = requestId,
            ItemId = itemId,
            UserId = userId,
            Points = points,
            Status = RedemptionStatus.Pending,
            CreatedAtUtc = nowUtc,
            ExpiresAtUtc = nowUtc + validFor,
        };
        redemption.Raise(new RedemptionMade(redemption));
        return redemption;
    }
}
