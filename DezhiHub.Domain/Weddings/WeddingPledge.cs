namespace DezhiHub.Domain.Weddings;

/// <summary>One item of the civilized-wedding pledge (e.g. 不要高价彩礼), kept by an Admin.</summary>
public sealed class PledgeItem
{
    public const int TextMaxLength = 200;

    private PledgeItem()
    {
    }

    public int Id { get; private set; }

    public string Text { get; private set; } = "";

    public int SortOrder { get; private set; }

    public bool IsRetired { get; private set; }

    public static PledgeItem Create(string text, int sortOrder)
    {
        var item = new PledgeItem();
        item.Update(text, sortOrder);
        return item;
    }

    public void Update(string text, int sortOrder)
    {
        var trimmed = PersonText.Checked(text);
        if (trimmed.Length is 0 or > TextMaxLength)
        {
            throw new DomainException(ErrorCodes.Pledge.ItemInvalid, TextMaxLength);
        }

        Text = trimmed;
        SortOrder = sortOrder;
    }

    public void Retire() => IsRetired = true;
}

public enum PledgeStatus
{
    /// <summary>Signed, waiting for the wedding and an organizer's verification.</summary>
    Pending = 0,

    /// <summary>An organizer confirmed after the wedding that it was kept; both partners got the pledge points.</summary>
    Verified = 1,
    Rejected = 2,
}

/// <summary>
/// A couple's civilized-wedding pledge (文明婚俗承诺): the items as they read when signed, the wedding date, and the
/// partner, who also receives the pledge points when the partner's mobile belongs to an account.
/// </summary>
public sealed class WeddingPledge
{
    public const int NameMaxLength = 40;

    private WeddingPledge()
    {
    }

    public int Id { get; private set; }

    public int ApplicantUserId { get; private set; }

    public string PartnerName { get; private set; } = "";

    public string PartnerMobile { get; private set; } = "";

    /// <summary>The partner's account, when the mobile belongs to one.</summary>
    public int? PartnerUserId { get; private set; }

    public DateOnly WeddingDate { get; private set; }

    /// <summary>The items signed, one per line, as they read then.</summary>
    public string ItemsText { get; private set; } = "";

    /// <summary>The applicant's org node, so the organizers there verify it.</summary>
    public int OrgNodeId { get; private set; }

    public string OrgPath { get; private set; } = "";

    public PledgeStatus Status { get; private set; }

    public DateTime SignedAtUtc { get; private set; }

    public DateTime? DecidedAtUtc { get; private set; }

    public int? DecidedByUserId { get; private set; }

    public string? RejectReason { get; private set; }

    public static WeddingPledge Sign(
        int applicantUserId, string partnerName, string partnerMobile, int? partnerUserId, DateOnly weddingDate,
        IReadOnlyList<string> items, int orgNodeId, string orgPath, DateTime nowUtc, DateOnly todayLocal)
    {
        var name = PersonText.Checked(partnerName);
        if (name.Length is 0 or > NameMaxLength)
        {
            throw new DomainException(ErrorCodes.Pledge.PartnerNameInvalid);
        }

        if (items.Count == 0)
        {
            throw new DomainException(ErrorCodes.Pledge.NoItems);
        }

        if (weddingDate < todayLocal)
        {
            throw new DomainException(ErrorCodes.Pledge.DatePast);
        }

        if (partnerUserId == applicantUserId)
        {
            throw new DomainException(ErrorCodes.Pledge.PartnerIsSelf);
        }

        return new WeddingPledge
        {
            ApplicantUserId = applicantUserId,
            PartnerName = name,
            PartnerMobile = partnerMobile,
            PartnerUserId = partnerUserId,
            WeddingDate = weddingDate,
            ItemsText = string.Join('\n', items),
            OrgNodeId = orgNodeId,
            OrgPath = orgPath,
            Status = PledgeStatus.Pending,
            SignedAtUtc = nowUtc,
        };
    }

    /// <summary>
    /// The partner's account, found after the signature (they registered later with the mobile the pledge names): only
    /// while the pledge is pending, never replacing an account already named, never the applicant. False when not linked.
    /// </summary>
    public bool LinkPartner(int userId)
    {
        if (Status != PledgeStatus.Pending || PartnerUserId is not null || userId == ApplicantUserId)
        {
            return false;
        }

        PartnerUserId = userId;
        return true;
    }

    /// <summary>Verified after the wedding day; the points go through the ledger, once per person.</summary>
    public void Verify(int organizerUserId, DateTime nowUtc, DateOnly todayLocal)
    {
        RequireSigned();
        if (todayLocal < WeddingDate)
        {
            throw new DomainException(ErrorCodes.Pledge.NotYet);
        }

        Status = PledgeStatus.Verified;
        DecidedAtUtc = nowUtc;
        DecidedByUserId = organizerUserId;
    }

    public void Reject(int organizerUserId, string reason, DateTime nowUtc)
    {
        RequireSigned();
        RejectReason = Booking.RequiredReason(reason);
        Status = PledgeStatus.Rejected;
        DecidedAtUtc = nowUtc;
        DecidedByUserId = organizerUserId;
    }

    /// <summary>Who receives the pledge points: the applicant and the partner's account, if any.</summary>
    public IEnumerable<int> Beneficiaries()
    {
        yield return ApplicantUserId;
        if (PartnerUserId is { } partner && partner != ApplicantUserId)
        {
            yield return partner;
        }
    }

    private void RequireSigned()
    {
        if (Status != PledgeStatus.Pending)
        {
            throw new DomainException(ErrorCodes.Pledge.AlreadyDecided);
        }
    }
}
