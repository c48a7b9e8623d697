namespace DezhiHub.Domain.Market;

/// <summary>A redemption was made: the points paid, one of the stock taken (raised by <see cref="Redemption.Create"/>).</summary>
public sealed record RedemptionMade(Redemption Redemption) : IDomainEvent;

/// <summary>
/// A pending redemption was closed — handed over (<see cref="RedemptionStatus.Fulfilled"/>), cancelled or expired — by
/// the guarded update that lets only the first of them win. <see cref="ActorUserId"/> is who did it (null: the expiry
/// sweep); <see cref="Reason"/> a cancellation's reason.
/// </summary>
public sealed record RedemptionClosed(int RedemptionId, RedemptionStatus Status, int HolderUserId, int ItemId, int Points, int? ActorUserId, string? Reason = null)
    : IDomainEvent
{
    public const string Redeemed = "market.redeemed";
    public const string HandedOver = "market.handed-over";
    public const string Cancelled = "market.cancelled";
    public const string Expired = "market.expired";

    /// <summary>The audit log's name for this close.</summary>
    public string Action => Status switch
    {
        RedemptionStatus.Fulfilled => HandedOver,
        RedemptionStatus.Cancelled => Cancelled,
        RedemptionStatus.Expired => Expired,
        _ => throw new InvalidOperationException($"A redemption is not closed as {Status}."),
    };
}
