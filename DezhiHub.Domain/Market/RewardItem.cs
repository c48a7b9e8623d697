using System.Linq.Expressions;

namespace DezhiHub.Domain.Market;

/// <summary>
/// A reward in the points market (积分超市): offered by a community (org node) or by a Partner enterprise. Stock is a
/// guarded counter: a redemption takes one only while one is left.
/// </summary>
public sealed class RewardItem
{
    public const int NameMaxLength = 60;
    public const int DescriptionMaxLength = 1000;
    public const int MaxCost = 1_000_000;
    public const int MaxStock = 1_000_000;

    private RewardItem()
    {
    }

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    public string? PictureFile { get; private set; }

    public int PointsCost { get; private set; }

    public int Stock { get; private set; }

    /// <summary>How many one person may hold (pending or fulfilled); null for no limit.</summary>
    public int? PerPersonLimit { get; private set; }

    /// <summary>The Partner account providing the item; null when the community provides it.</summary>
    public int? PartnerUserId { get; private set; }

    public int OrgNodeId { get; private set; }

    public string OrgPath { get; private set; } = "";

    public DateTime? ValidFromUtc { get; private set; }

    public DateTime? ValidUntilUtc { get; private set; }

    public bool IsRetired { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public static RewardItem Create(RewardItemDetails details, string orgPath, DateTime nowUtc)
    {
        var item = new RewardItem { CreatedAtUtc = nowUtc };
        item.Update(details, orgPath);
        return item;
    }

    public void Update(RewardItemDetails details, string orgPath)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(errors[0].Code);
        }

        Name = PersonText.Checked(details.Name);
        Description = PersonText.CheckedMultiline(details.Description);
        PointsCost = details.PointsCost;
        Stock = details.Stock;
        PerPersonLimit = details.PerPersonLimit;
        PartnerUserId = details.PartnerUserId;
        OrgNodeId = details.OrgNodeId;
        OrgPath = orgPath;
        ValidFromUtc = details.ValidFromUtc;
        ValidUntilUtc = details.ValidUntilUtc;
    }

    public void SetPicture(string? file) => PictureFile = file;

    public void Retire() => IsRetired = true;

    /// <summary>
    /// On offer at <paramref name="nowUtc"/>: not retired, and inside its validity (from inclusive, until exclusive). An
    /// expression, so that the catalogue query and the guarded stock update apply the rule in the database.
    /// </summary>
    public static Expression<Func<RewardItem, bool>> OnOfferAt(DateTime nowUtc) =>
        i => !i.IsRetired && (i.ValidFromUtc == null || i.ValidFromUtc <= nowUtc) && (i.ValidUntilUtc == null || i.ValidUntilUtc > nowUtc);
}

/// <summary>What a manager fills in for a reward item.</summary>
public sealed record RewardItemDetails
{
    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public int PointsCost { get; init; }

    public int Stock { get; init; }

    public int? PerPersonLimit { get; init; }

    public int? PartnerUserId { get; init; }

    public int OrgNodeId { get; init; }

    public DateTime? ValidFromUtc { get; init; }

    public DateTime? ValidUntilUtc { get; init; }

    public IReadOnlyList<(string Field, string Code)> Validate()
    {
        var errors = new List<(string, string)>();
        if (PersonText.HasDirectionControl(Name))
        {
            errors.Add((nameof(Name), PersonText.DirectionControlCode));
        }
        else if (PersonText.Clean(Name).Length is 0 or > RewardItem.NameMaxLength)
        {
            errors.Add((nameof(Name), ErrorCodes.Reward.NameInvalid));
        }

        if (PersonText.HasDirectionControl(Description))
        {
            errors.Add((nameof(Description), PersonText.DirectionControlCode));
        }
        else if (PersonText.CheckedMultiline(Description).Length > RewardItem.DescriptionMaxLength)
        {
            errors.Add((nameof(Description), ErrorCodes.Reward.DescriptionTooLong));
        }

        if (PointsCost is < 1 or > RewardItem.MaxCost)
        {
            errors.Add((nameof(PointsCost), ErrorCodes.Reward.CostInvalid));
        }

        if (Stock is < 0 or > RewardItem.MaxStock)
        {
            errors.Add((nameof(Stock), ErrorCodes.Reward.StockInvalid));
        }

        if (PerPersonLimit is < 1)
        {
            errors.Add((nameof(PerPersonLimit), ErrorCodes.Reward.LimitInvalid));
        }

        if (ValidFromUtc is { } from && ValidUntilUtc is { } until && until <= from)
        {
            errors.Add((nameof(ValidUntilUtc), ErrorCodes.Reward.ValidityInvalid));
        }

        return errors;
    }
}
