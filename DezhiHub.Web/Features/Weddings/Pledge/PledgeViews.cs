using DezhiHub.Domain.Weddings;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>A current pledge item, as the signing form lists it.</summary>
public sealed record PledgeItemView(int Id, string Text);

/// <summary>
/// The pledge the signed-in person is part of, as applicant or as the named partner; the items as they read when
/// signed. <see cref="PointsReceived"/> is this person's pledge bonus (received once ever), null while there is none.
/// </summary>
public sealed record MyPledge(
    int Id,
    bool IsApplicant,
    string ApplicantName,
    string PartnerName,
    string PartnerMobile,
    bool PartnerHasAccount,
    DateOnly WeddingDate,
    IReadOnlyList<string> Items,
    PledgeStatus Status,
    DateTime SignedAtUtc,
    DateTime? DecidedAtUtc,
    string? RejectReason,
    int? PointsReceived,
    DateTime? PointsReceivedAtUtc)
{
    /// <summary>A rejected pledge may be signed anew.</summary>
    public bool CanSignAgain => Status == PledgeStatus.Rejected;
}

/// <summary>One pledge in an organizer's queue; mobiles masked.</summary>
public sealed record PledgeQueueItem(
    int Id,
    string ApplicantName,
    string ApplicantMobile,
    string PartnerName,
    string PartnerMobile,
    bool PartnerHasAccount,
    DateOnly WeddingDate,
    string OrgName,
    PledgeStatus Status,
    DateTime SignedAtUtc,
    DateTime? DecidedAtUtc,
    string? DecidedBy,
    string? RejectReason,
    bool CanVerify);
