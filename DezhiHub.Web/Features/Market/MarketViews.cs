using DezhiHub.Domain.Market;

namespace DezhiHub.Web.Features.Market;

/// <summary>An item on offer as a resident sees it in the market.</summary>
/// <param name="Held">How many of it the person holds now (pending or handed over), for the per-person limit.</param>
public sealed record OfferItem(
    int Id, string Name, string Description, bool HasPicture, int PointsCost, int Stock, int? PerPersonLimit, int Held,
    string Provider, bool ByPartner, DateTime? ValidUntilUtc)
{
    public bool LimitReached => PerPersonLimit is { } limit && Held >= limit;
}

/// <summary>The market for one person: their balance, their area and what is on offer there.</summary>
public sealed record MarketOffer(int Balance, string? AreaName, IReadOnlyList<OfferItem> Items);

/// <summary>A person's own redemption, with the voucher code that names it.</summary>
public sealed record MyRedemption(
    int Id, int ItemId, string ItemName, string Provider, bool HasPicture, int Points, RedemptionStatus Status,
    DateTime CreatedAtUtc, DateTime ExpiresAtUtc, DateTime? ClosedAtUtc, string Token);

/// <summary>A reward item in a manager's list, with its voucher counts.</summary>
public sealed record ManagedItem(
    int Id, string Name, bool HasPicture, int PointsCost, int Stock, int? PerPersonLimit, int OrgNodeId, string OrgName,
    int? PartnerUserId, string? PartnerName, DateTime? ValidFromUtc, DateTime? ValidUntilUtc, bool IsRetired, int Pending, int Fulfilled);

/// <summary>An item as the edit form loads it; <see cref="RewardItemDetails.Stock"/> is the stock left when it was read.</summary>
public sealed record RewardItemEdit(int Id, RewardItemDetails Details, bool HasPicture, bool IsRetired);

/// <summary>A Partner account a manager can name as an item's provider.</summary>
public sealed record PartnerOption(int UserId, string Name, string? OrgName);

/// <summary>One redemption of an item in its provider's list.</summary>
public sealed record RedemptionRow(
    int Id, string VolunteerName, string PhoneMasked, int Points, RedemptionStatus Status, DateTime CreatedAtUtc, DateTime ExpiresAtUtc,
    DateTime? ClosedAtUtc, string? ClosedBy);

/// <summary>An item's redemptions for its provider.</summary>
public sealed record ItemRedemptions(int ItemId, string ItemName, int Stock, IReadOnlyList<RedemptionRow> Rows);

/// <summary>Who is looking at a voucher.</summary>
public enum VoucherViewer
{
    /// <summary>Neither its holder nor its provider: may learn only that it is a voucher.</summary>
    Stranger,
    Holder,
    Provider,
}

/// <summary>A voucher as its holder or its provider sees it.</summary>
/// <param name="IsLapsed">Still pending, but past its expiry (the sweep will give the points back).</param>
public sealed record VoucherInfo(
    int RedemptionId, int ItemId, string ItemName, string Provider, string VolunteerName, int Points, RedemptionStatus Status,
    DateTime CreatedAtUtc, DateTime ExpiresAtUtc, DateTime? ClosedAtUtc, bool IsLapsed)
{
    public bool CanHandOver => Status == RedemptionStatus.Pending && !IsLapsed;
}

/// <summary>What a scanned or typed voucher code turned out to be; <see cref="Info"/> only for its holder or provider.</summary>
public sealed record VoucherLookup(bool Genuine, VoucherViewer Viewer, VoucherInfo? Info)
{
    public static readonly VoucherLookup Invalid = new(false, VoucherViewer.Stranger, null);
}

/// <summary>The outcome of a hand-over: done now, or found done before (at <see cref="AtUtc"/>).</summary>
public sealed record HandOverResult(bool AlreadyHandedOver, DateTime AtUtc, VoucherInfo Voucher);

/// <summary>A Partner's own item with its voucher counts.</summary>
public sealed record PartnerItem(int Id, string Name, bool HasPicture, int PointsCost, int Stock, bool IsRetired, string OrgName, int Pending, int Fulfilled);

/// <summary>A voucher a Partner's item was handed over against.</summary>
public sealed record FulfilledVoucher(int RedemptionId, string ItemName, string VolunteerName, int Points, DateTime FulfilledAtUtc, string? HandedOverBy);

/// <summary>One line of the monthly settlement: an item at one price, how many were handed over, and the points.</summary>
public sealed record SettlementLine(int ItemId, string ItemName, int UnitPoints, int Count, int TotalPoints);

/// <summary>A Partner's settlement (月度结算) for one month of the deployment's calendar.</summary>
public sealed record Settlement(string PartnerName, int Year, int Month, IReadOnlyList<SettlementLine> Lines)
{
    public int Count => Lines.Sum(l => l.Count);

    public int TotalPoints => Lines.Sum(l => l.TotalPoints);

    public string Period => $"{Year:D4}-{Month:D2}";
}
